import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import * as T from "../init-templates.js";
import { workflows } from "../workflow-templates.js";

/** `init [DIR]`: a starter repository that validates, tests and evaluates cleanly right away. */
export async function initCommand(io: CliIO, dir: string, options: { force?: boolean }): Promise<ExitCode> {
  const root = path.resolve(io.cwd, dir);
  const sample = T.sampleSnapshot();
  const files: Record<string, string> = {
    "policies/agreement.policy": T.AGREEMENT,
    "policies/leads.policy": T.LEADS,
    "policies/slas.policy": T.SLAS,
    "policies/goals.policy": T.GOALS,
    "policies/agreement.test.yaml": T.TESTS,
    "snapshots/sample/leads.csv": sample.leads,
    "snapshots/sample/activities.csv": sample.activities,
    "snapshots/sample/snapshot.yaml": sample.manifest,
    ...Object.fromEntries(Object.entries(workflows("package")).map(([name, text]) => [`.github/workflows/${name}`, text])),
    ".github/CODEOWNERS": T.CODEOWNERS,
    "package.json": T.PACKAGE_JSON,
    ".gitignore": T.GITIGNORE,
    "README.md": T.README,
  };
  const existing: string[] = [];
  for (const name of Object.keys(files)) {
    if (await stat(path.join(root, name)).then(() => true, () => false)) existing.push(name);
  }
  if (existing.length > 0 && !options.force) {
    io.stderr(`these files already exist and were left alone:\n${existing.map((f) => `  ${f}`).join("\n")}\nrun with --force to overwrite them\n`);
    return EXIT.invalid;
  }
  for (const [name, content] of Object.entries(files)) {
    const target = path.join(root, name);
    await mkdir(path.dirname(target), { recursive: true });
    await writeFile(target, content, "utf8");
  }
  const shown = path.relative(io.cwd, root) || ".";
  io.stdout(
    [
      `wrote a starter agreement in ${shown}:`,
      ...Object.keys(files).map((f) => `  ${f}`),
      "",
      "next:",
      `  cd ${/^[\w./-]+$/.test(shown) ? shown : `'${shown.replace(/'/g, "'\\''")}'`}`,
      "  npm install",
      "  npx smarketing-policy validate policies",
      "  npx smarketing-policy test policies",
      "  npx smarketing-policy eval --snapshot snapshots/sample",
      "",
    ].join("\n"),
  );
  return EXIT.ok;
}

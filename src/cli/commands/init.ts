import { mkdir, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { EXIT, type ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import * as T from "../init-templates.js";
import { parseCrm, presetFor, SAMPLE_SEED } from "../presets/preset.js";
import { workflows } from "../workflow-templates.js";

export interface InitOptions {
  force?: boolean;
  /** `--crm hubspot|salesforce`: fields that read that CRM's exports, and a sample export of it. */
  crm?: string;
}

/** The agreement, its tests, the sample snapshot and the README: the generic ones, or a CRM preset's (and its name). */
function starterContent(crm: string | undefined): { files: Record<string, string>; crmName?: string } {
  if (crm === undefined) {
    const sample = T.sampleSnapshot();
    const policies = { "agreement.policy": T.AGREEMENT, "leads.policy": T.LEADS, "slas.policy": T.SLAS, "goals.policy": T.GOALS, "agreement.test.yaml": T.TESTS };
    return { files: starterFiles(policies, sample, T.README) };
  }
  const preset = presetFor(parseCrm(crm));
  return { files: starterFiles(preset.policies, preset.sample(SAMPLE_SEED), `${T.README}\n${preset.exporting}`), crmName: preset.name };
}

function starterFiles(policies: Readonly<Record<string, string>>, sample: T.SampleFiles, readme: string): Record<string, string> {
  return {
    ...Object.fromEntries(Object.entries(policies).map(([name, text]) => [`policies/${name}`, text])),
    "snapshots/sample/leads.csv": sample.leads,
    "snapshots/sample/activities.csv": sample.activities,
    "snapshots/sample/snapshot.yaml": sample.manifest,
    ...Object.fromEntries(Object.entries(workflows("package")).map(([name, text]) => [`.github/workflows/${name}`, text])),
    ".github/CODEOWNERS": T.CODEOWNERS,
    "package.json": T.PACKAGE_JSON,
    ".gitignore": T.GITIGNORE,
    "README.md": readme,
  };
}

/** `init [DIR]`: a starter repository that validates, tests and evaluates cleanly right away. */
export async function initCommand(io: CliIO, dir: string, options: InitOptions): Promise<ExitCode> {
  const root = path.resolve(io.cwd, dir);
  const { files, crmName } = starterContent(options.crm);
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
      ...(crmName ? [`then put your own ${crmName} export next to the sample: README.md, "Exporting from ${crmName}"`] : []),
      "",
    ].join("\n"),
  );
  return EXIT.ok;
}

import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, ROOT, tempDir } from "../helpers.js";

/**
 * Golden scenarios: each test/golden/*.golden file holds a command line, its exit code and its
 * exact standard output (and standard error when it matters). Run with UPDATE_GOLDEN=1 to
 * rewrite them after an intended change, then review the diff like any other.
 * A scenario runs in the repository's root, or, with a line `in: a new empty folder` (for
 * commands that write files, like init), in a fresh temporary folder removed afterwards.
 */
const GOLDEN_DIR = path.join(ROOT, "test/golden");

const IN_EMPTY_FOLDER = "in: a new empty folder";

interface Scenario {
  title: string;
  inEmptyFolder: boolean;
  args: string[];
  exit: number;
  stdout: string;
  stderr?: string | undefined;
}

function parse(text: string): Scenario {
  // Only "--- stdout" and "--- stderr" start a section: output may hold "--- a/file" (fmt --diff).
  const [head = "", ...sections] = text.split(/^--- (?=(?:stdout|stderr)\n)/m);
  const lines = head.split("\n");
  const title = lines.filter((l) => l.startsWith("#")).map((l) => l.slice(1).trim()).join(" ");
  const command = lines.find((l) => l.startsWith("$ smarketing-policy"));
  const exitLine = lines.find((l) => l.startsWith("exit "));
  if (!command || !exitLine) throw new Error("a golden file needs a '$ smarketing-policy …' line and an 'exit N' line");
  const section = (name: string) => {
    const s = sections.find((x) => x.startsWith(`${name}\n`));
    return s === undefined ? undefined : s.slice(name.length + 1);
  };
  return {
    title,
    inEmptyFolder: lines.includes(IN_EMPTY_FOLDER),
    args: command.slice("$ smarketing-policy".length).trim().split(/\s+/).filter(Boolean),
    exit: Number(exitLine.slice(5)),
    stdout: section("stdout") ?? "",
    stderr: section("stderr"),
  };
}

function print(s: Scenario): string {
  const where = s.inEmptyFolder ? `${IN_EMPTY_FOLDER}\n` : "";
  const parts = [`# ${s.title}\n${where}$ smarketing-policy ${s.args.join(" ")}\nexit ${s.exit}\n`, `--- stdout\n${s.stdout}`];
  if (s.stderr !== undefined) parts.push(`--- stderr\n${s.stderr}`);
  return parts.join("");
}

const files = readdirSync(GOLDEN_DIR).filter((f) => f.endsWith(".golden")).sort();

describe("golden CLI scenarios", () => {
  it("there are scenarios to run", () => {
    expect(files.length).toBeGreaterThan(5);
  });

  for (const file of files) {
    const full = path.join(GOLDEN_DIR, file);
    const scenario = parse(readFileSync(full, "utf8"));
    it(`${file}: ${scenario.title}`, async () => {
      const folder = scenario.inEmptyFolder ? await tempDir() : undefined;
      const result = await runCli(scenario.args, { cwd: folder?.dir ?? ROOT }).finally(() => folder?.cleanup());
      if (process.env["UPDATE_GOLDEN"]) {
        writeFileSync(
          full,
          print({ ...scenario, exit: result.code, stdout: result.stdout, stderr: scenario.stderr === undefined ? undefined : result.stderr }),
        );
        return;
      }
      expect(result.stdout).toBe(scenario.stdout);
      if (scenario.stderr !== undefined) expect(result.stderr).toBe(scenario.stderr);
      expect(result.code).toBe(scenario.exit);
    });
  }
});

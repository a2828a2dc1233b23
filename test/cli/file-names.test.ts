import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers.js";

/**
 * File and folder names are data too: one holding an escape sequence is shown, never obeyed, by
 * the terminal `fmt --check` and `latest-snapshot` print to.
 */
const HOSTILE = "x\u001b]8;;evil\u0007y";

describe("file names in terminal output", () => {
  it("fmt --check lists a policy file whose name holds an escape sequence with the sequence made visible", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await writeFile(path.join(dir, `${HOSTILE}.policy`), 'team   t { approvers @t }\n');
      const run = await runCli(["fmt", "--check", "."], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stdout).not.toContain("\u001b");
      expect(run.stdout).toContain("x");
    } finally {
      await cleanup();
    }
  });

  it("latest-snapshot names a root folder holding an escape sequence with the sequence made visible", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await mkdir(path.join(dir, HOSTILE));
      const run = await runCli(["latest-snapshot", HOSTILE], { cwd: dir });
      expect(run.code).toBe(2);
      expect(run.stderr).not.toContain("\u001b");
      expect(run.stderr).toContain("no snapshot under");
    } finally {
      await cleanup();
    }
  });
});

describe("report paths that cannot be made", () => {
  it("--output and --rejects under /proc end in a usage error, not a spin (Node's recursive mkdir never returns there)", async () => {
    const output = await runCli(["eval", "--snapshot", "snapshots/sample", "--output", "/proc/no-such/report.json"]);
    expect(output.code).toBe(2);
    expect(output.stderr).toContain("--output: cannot write '/proc/no-such/report.json'");
    const rejects = await runCli(["eval", "--snapshot", "snapshots/sample", "--rejects", "/proc/no-such/rejects.csv"]);
    expect(rejects.code).toBe(2);
    expect(rejects.stderr).toContain("--rejects: cannot write '/proc/no-such/rejects.csv'");
  }, 30_000);
});

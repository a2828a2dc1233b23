import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp, cp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";
import type { CliIO } from "../src/cli/io.js";
import { run } from "../src/cli/run.js";
import { analyzePolicySet } from "../src/lang/policy-set.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process, as a user would from `cwd`, capturing both streams. */
export async function runCli(args: string[], options: { cwd?: string; stdin?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  let stdout = "";
  let stderr = "";
  const io: CliIO = {
    cwd: options.cwd ?? ROOT,
    env: { NO_COLOR: "1", ...options.env },
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    readStdin: async () => options.stdin ?? "",
  };
  const code = await run(args, io);
  return { code, stdout, stderr };
}

/** Checks policy text given as one or more files; returns [code, line, column] triples. */
export function codesOf(files: Record<string, string>): Array<[string, number, number]> {
  const result = analyzePolicySet(Object.entries(files).map(([p, text]) => ({ path: p, text })));
  return result.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.column]);
}

/** A copy of a folder in a fresh temporary directory; removed by the returned cleanup. */
export async function tempCopy(source: string): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "smarketing-"));
  await cp(source, dir, { recursive: true });
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "smarketing-"));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A bench script (`bench/….ts`) run at a small size with `--out` a fresh folder, as the bench
 * smoke tests run them: it must end cleanly (nothing on stderr, exit 0); the JSON it wrote to
 * `resultFile` there.
 */
export async function runBenchScript(script: string, args: readonly string[], resultFile: string): Promise<unknown> {
  const t = await tempDir();
  try {
    const run = spawnSync(process.execPath, ["--import", "tsx", script, ...args, "--out", t.dir], { cwd: ROOT, encoding: "utf8" });
    expect(run.stderr).toBe("");
    expect(run.status).toBe(0);
    return JSON.parse(readFileSync(path.join(t.dir, resultFile), "utf8")) as unknown;
  } finally {
    await t.cleanup();
  }
}

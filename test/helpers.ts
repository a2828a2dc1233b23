import { mkdtemp, cp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
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

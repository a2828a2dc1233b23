import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";

export interface Run {
  ms: number;
  /** User + system CPU time of the process, all its threads (the steadier figure on a shared machine). */
  cpuMs: number;
  rssMiB: number;
  stdout: string;
}

/**
 * Runs node with `args` in a child process: its wall time, CPU time and peak memory
 * (bench/rss.mjs) and output. eval may exit 1 (a breached SLA). A run past `timeoutMs` is killed
 * and throws, as a failed run does.
 */
export function measure(args: string[], tmp: string, timeoutMs?: number): Run {
  const rssFile = path.join(tmp, "rss");
  rmSync(rssFile, { force: true });
  const start = performance.now();
  const child = spawnSync(process.execPath, ["--import", "./bench/rss.mjs", ...args], {
    encoding: "utf8",
    env: { ...process.env, BENCH_RSS_FILE: rssFile, NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
    ...(timeoutMs === undefined ? {} : { timeout: timeoutMs, killSignal: "SIGKILL" as const }),
  });
  const ms = performance.now() - start;
  if (child.error) throw new Error(`${args.join(" ")} stopped after ${Math.round(ms / 1000)} s: ${child.error.message}`);
  if (child.status !== 0 && !(args.includes("eval") && child.status === 1)) {
    throw new Error(`${args.join(" ")} failed (${child.status ?? child.signal}): ${child.stderr.slice(0, 2000)}`);
  }
  const [kib, user, system] = readFileSync(rssFile, "utf8").split(" ").map(Number) as [number, number, number];
  return { ms, cpuMs: (user + system) / 1000, rssMiB: kib / 1024, stdout: child.stdout };
}

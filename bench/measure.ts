import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";

export interface Run {
  ms: number;
  rssMiB: number;
  stdout: string;
}

/** Runs node with `args` in a child process: its wall time, peak memory (bench/rss.mjs) and output. eval may exit 1 (a breached SLA). */
export function measure(args: string[], tmp: string): Run {
  const rssFile = path.join(tmp, "rss");
  rmSync(rssFile, { force: true });
  const start = performance.now();
  const child = spawnSync(process.execPath, ["--import", "./bench/rss.mjs", ...args], {
    encoding: "utf8",
    env: { ...process.env, BENCH_RSS_FILE: rssFile, NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = performance.now() - start;
  if (child.status !== 0 && !(args.includes("eval") && child.status === 1)) {
    throw new Error(`${args.join(" ")} failed (${child.status}): ${child.stderr.slice(0, 2000)}`);
  }
  return { ms, rssMiB: Number(readFileSync(rssFile, "utf8")) / 1024, stdout: child.stdout };
}

// Loaded with --import into every measured process: writes its peak memory (KiB) and CPU time
// (user and system, µs, all its threads: workers and DuckDB's included) on exit.
import { writeFileSync } from "node:fs";
process.on("exit", () => {
  const usage = process.resourceUsage();
  if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, `${usage.maxRSS} ${usage.userCPUTime} ${usage.systemCPUTime}`);
});

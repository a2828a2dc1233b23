// Loaded with --import into every measured process: writes its peak memory (KiB) on exit.
import { writeFileSync } from "node:fs";
process.on("exit", () => {
  if (process.env.BENCH_RSS_FILE) writeFileSync(process.env.BENCH_RSS_FILE, String(process.resourceUsage().maxRSS));
});

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, ROOT, tempCopy } from "../helpers.js";

/** The acceptance check of the language: a dozen deliberate mistakes in a copy of the example. */
/** A duplicate is reported on the declaration that comes later in path order (`reportedIn`), naming the first. */
const mistakes: Array<{ name: string; file: string; from: string; to: string; code: string; line: number; reportedIn?: string }> = [
  { name: "a typo in a reference", file: "slas.policy", from: "leads sales_ready from became_sql_at  ", to: "leads sales_redy from became_sql_at   ", code: "E0203", line: 36 },
  { name: "an unknown field", file: "slas.policy", from: "by product", to: "by region", code: "E0201", line: 19 },
  { name: "a type mismatch", file: "leads.policy", from: "employees >= 50", to: 'employees >= "fifty"', code: "E0301", line: 13 },
  { name: "a percentage of 120%", file: "slas.policy", from: "target 95%", to: "target 120%", code: "E0401", line: 39 },
  { name: "a bad time zone", file: "agreement.policy", from: 'timezone "America/New_York"  #', to: 'timezone "America/NewYork"  #', code: "E0603", line: 7 },
  { name: "inverted hours", file: "agreement.policy", from: "hours fri 09:00-15:00", to: "hours fri 15:00-09:00", code: "E0601", line: 24 },
  { name: "an unknown team", file: "goals.policy", from: "owner sales, marketing", to: "owner sales, marketeers", code: "E0202", line: 6 },
  { name: "a missing brace", file: "leads.policy", from: "  since created_at\n}", to: "  since created_at\n", code: "E0002", line: 4 },
  { name: "a duplicate id", file: "goals.policy", from: "goal rep_quota", to: "goal first_touch", code: "E0101", line: 34, reportedIn: "slas.policy" },
  { name: "a cycle", file: "leads.policy", from: 'when deal_stage = "closedwon"', to: 'when deal_stage = "closedwon" and not mql and won', code: "E0501", line: 28 },
  { name: "a 0% funnel rate", file: "goals.policy", from: "won 25%", to: "won 0%", code: "E0402", line: 9 },
  { name: "a stray character", file: "slas.policy", from: "per quarter", to: "per quarter;", code: "E0001", line: 28 },
];

describe("a dozen deliberate mistakes in a copy of the example", () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  for (const m of mistakes) {
    const reported = m.reportedIn ?? m.file;
    it(`${m.name}: exit 2 with ${m.code} at ${reported}:${m.line}`, async () => {
      const copy = await tempCopy(path.join(ROOT, "policies"));
      cleanup = copy.cleanup;
      const file = path.join(copy.dir, m.file);
      const text = await readFile(file, "utf8");
      expect(text).toContain(m.from);
      await writeFile(file, text.replace(m.from, m.to));
      const result = await runCli(["validate", "."], { cwd: copy.dir });
      expect(result.code).toBe(2);
      expect(result.stdout).toMatch(new RegExp(`^${reported.replace(".", "\\.")}:${m.line}:\\d+: error\\[${m.code}\\]`, "m"));
    });
  }
});

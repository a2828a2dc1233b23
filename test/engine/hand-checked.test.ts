import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPlan } from "../../src/engine/plan.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { runSnapshot, type SnapshotRun } from "../../src/snapshot/load.js";
import { ROOT, runCli } from "../helpers.js";

const FIXTURE = path.join(ROOT, "test/fixtures/hand-checked");
const AS_OF = Date.parse("2026-11-30T20:00:00Z"); // Monday 15:00 in New York

/**
 * Every lead's outcome, worked out by hand. Calendar: Mon-Fri 09:00-17:00 New York, holiday
 * Thursday 2026-11-26; clocks changed on Sunday 2026-11-01.
 *
 * first_touch (4 business hours):
 *   L1 clock Mon 11-02 10:00 EST, deadline 14:00; call 13:00                          → met
 *   L2 clock Fri 10-30 15:00 EDT: 2h Friday, 2h Monday after the clock change,
 *      deadline Mon 11-02 11:00 EST = 16:00Z; call at exactly 16:00Z                  → met
 *   L3 clock Wed 11-25 15:00 (no offset: New York): 2h Wed, holiday Thu, 2h Fri,
 *      deadline Fri 11:00 EST; e-mail 11:30                                           → breached
 *   L4 clock Sat 11-14 10:00: starts Monday 09:00, deadline 13:00; call 12:59         → met
 *   L5 clock Mon 11-30 13:00, deadline 17:00, as_of 15:00, no touch yet               → pending
 *   L6 no ready_at                                                                    → no_clock
 *   L7 clock Tue 11-10 09:00, deadline 13:00; marketing e-mail 09:30 does not count;
 *      call Wed                                                                       → breached
 * cap (at most 2 touches within 2 days): L1 has 3 → breached; L2, L3, L4, L7 have 0-1 → met;
 *   L5's window is still open with 0 → pending; L6 → no_clock.
 */
const EXPECTED: Record<string, { definitions: string[]; slas: Record<string, string> }> = {
  L1: { definitions: ["ready", "hot"], slas: { first_touch: "met", cap: "breached" } },
  L2: { definitions: ["ready", "hot"], slas: { first_touch: "met", cap: "met" } },
  L3: { definitions: ["ready"], slas: { first_touch: "breached", cap: "met" } },
  L4: { definitions: ["ready", "hot"], slas: { first_touch: "met", cap: "met" } },
  L5: { definitions: ["ready"], slas: { first_touch: "pending", cap: "pending" } },
  L6: { definitions: ["ready", "hot"], slas: { first_touch: "no_clock", cap: "no_clock", volume: "no_clock", heat: "no_clock" } },
  L7: { definitions: ["ready"], slas: { first_touch: "breached", cap: "met" } },
  L8: { definitions: [], slas: {} },
};

function load(): ReturnType<typeof buildPlan> {
  const dir = path.join(FIXTURE, "policies");
  const sources = readdirSync(dir).map((f) => ({ path: f, text: readFileSync(path.join(dir, f), "utf8") }));
  const analyzed = analyzePolicySet(sources);
  expect(analyzed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return buildPlan(analyzed.symbols);
}

describe("hand-checked snapshot: every lead's outcome", () => {
  let run: SnapshotRun;
  beforeAll(async () => {
    run = await runSnapshot({ plan: load(), dir: path.join(FIXTURE, "snapshot"), shown: "snapshot", asOf: AS_OF, keepLeadOutcomes: true });
  });

  it("classifies and judges each lead as worked out by hand", () => {
    const actual = Object.fromEntries([...run.leadOutcomes].map(([id, o]) => [id, { definitions: [...o.definitions].sort(), slas: o.slas }]));
    const expected = Object.fromEntries(Object.entries(EXPECTED).map(([id, o]) => [id, { definitions: [...o.definitions].sort(), slas: o.slas }]));
    expect(actual).toEqual(expected);
  });

  it("uses or rejects every row, with file, line and reason", () => {
    expect(run.files).toEqual([
      { file: "snapshot/leads.csv", kind: "leads", read: 9, used: 8, rejected: 1 },
      { file: "snapshot/activities.csv", kind: "activities", read: 9, used: 8, rejected: 1 },
    ]);
    expect(run.rejects).toEqual([
      { file: "snapshot/leads.csv", line: 10, reason: "column 'score': 'abc' is not a number" },
      { file: "snapshot/activities.csv", line: 10, reason: "activity for unknown lead 'L99'" },
    ]);
    expect(run.unknownLeadActivities).toBe(1);
    expect(run.naiveTimestamps).toBe(1);
    expect(run.definitions).toEqual({ ready: 7, hot: 4 });
  });

  it("first_touch: October met; November at risk (2 met, 2 missed, 1 open, below 50% if it misses)", () => {
    const sla = run.slas.find((s) => s.id === "first_touch")!;
    expect(sla.results.map((c) => [c.period, c.status, c.met, c.breached, c.pending])).toEqual([
      ["2026-10", "met", 1, 0, 0],
      ["2026-11", "at_risk", 2, 2, 1],
    ]);
    expect(sla.status).toBe("at_risk");
    expect(sla.value).toBeCloseTo(3 / 5);
    expect(sla.totals.noClock).toBe(1);
  });

  it("cap: one lead over the cap breaches a 100% target", () => {
    const sla = run.slas.find((s) => s.id === "cap")!;
    expect(sla.results.map((c) => [c.period, c.status, c.met, c.breached, c.pending, c.noClock])).toEqual([["all", "breached", 4, 1, 1, 1]]);
  });

  it("volume: October breached with 1; November already has 5 of 3, met before it ends", () => {
    const sla = run.slas.find((s) => s.id === "volume")!;
    expect(sla.results.map((c) => [c.period, c.status, c.value])).toEqual([
      ["2026-10", "breached", 1],
      ["2026-11", "met", 5],
    ]);
    expect(sla.status).toBe("breached");
  });

  it("heat: October 1 of 1 hot; November 2 of 5 is below half but the month is not over", () => {
    const sla = run.slas.find((s) => s.id === "heat")!;
    expect(sla.results.map((c) => [c.period, c.status, c.value])).toEqual([
      ["2026-10", "met", 1],
      ["2026-11", "at_risk", 0.4],
    ]);
  });

  it("the CLI exits 1 (hard SLAs breached) once rejects are allowed, and 2 with the default --max-rejected 0", async () => {
    const args = ["eval", "--policies", "test/fixtures/hand-checked/policies", "--snapshot", "test/fixtures/hand-checked/snapshot"];
    const strict = await runCli([...args, "--format", "json"]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain("test/fixtures/hand-checked/snapshot/leads.csv:10: column 'score': 'abc' is not a number");
    const tolerant = await runCli([...args, "--format", "json", "--max-rejected", "2"]);
    expect(tolerant.code).toBe(1);
    const report = JSON.parse(tolerant.stdout) as { summary: { failing: string[] } };
    expect(report.summary.failing.sort()).toEqual(["cap", "volume"]);
    const never = await runCli([...args, "--max-rejected", "25%", "--fail-on", "never"]);
    expect(never.code).toBe(0);
  });
});

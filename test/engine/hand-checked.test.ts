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

  it("uses, rejects or lists as unmatched every row, with file, line and reason", () => {
    expect(run.files).toEqual([
      { file: "snapshot/leads.csv", kind: "leads", read: 9, used: 8, rejected: 1, unmatched: 0 },
      { file: "snapshot/activities.csv", kind: "activities", read: 9, used: 8, rejected: 0, unmatched: 1 },
    ]);
    expect(run.rejects).toEqual([{ file: "snapshot/leads.csv", line: 10, reason: "column 'score': 'abc' is not a number" }]);
    expect(run.unmatchedActivities).toEqual([{ file: "snapshot/activities.csv", line: 10, reason: "activity for lead 'L99', which is not in the lead export (unmatched)" }]);
    expect(run.unknownLeadActivities).toBe(1);
    expect(run.rejectedLeadActivities).toBe(0);
    // L3's clock only: L9's (rejected) and L99's call (unmatched) have no offset either, and are not counted.
    expect(run.naiveTimestamps).toBe(1);
    expect(run.definitions).toEqual({ ready: 7, hot: 4 });
  });

  it("first_touch: October met by its one lead, too few to judge; November at risk (2 met, 2 missed, 1 open, below 50% if it misses)", () => {
    const sla = run.slas.find((s) => s.id === "first_touch")!;
    // October has one lead (L2), below the default minimum of 5 leads: insufficient, with its counts.
    expect(sla.results.map((c) => [c.period, c.status, c.met, c.breached, c.pending])).toEqual([
      ["2026-10", "insufficient", 1, 0, 0],
      ["2026-11", "at_risk", 2, 2, 1],
    ]);
    expect(sla.minimum).toBe(5);
    // 1 of 1 met: Wilson 95% interval, z = 1.96: centre (1 + z²/2)/(1 + z²) = 2.9208/4.8415 = 0.6033,
    // half-width z·sqrt(0 + z²/4)/(1 + z²) = 1.96·0.98/4.8415 = 0.3967: 0.2065 to 1.
    expect(sla.results[0]!.sample!.size).toBe(1);
    expect(sla.results[0]!.sample!.low).toBeCloseTo(0.2065, 3);
    expect(sla.results[0]!.sample!.high).toBe(1);
    // November: 2 met of 4 decided, p = 0.5, z²/n = 0.9604: centre 0.5, half-width
    // 1.96·sqrt(0.0625 + 0.0600)/1.9604 = 1.96·0.3500/1.9604 = 0.3499: 0.1500 to 0.8500.
    expect(sla.results[1]!.sample!.size).toBe(4);
    expect(sla.results[1]!.sample!.low).toBeCloseTo(0.15, 3);
    expect(sla.results[1]!.sample!.high).toBeCloseTo(0.85, 3);
    expect(sla.status).toBe("at_risk");
    expect(sla.value).toBeCloseTo(3 / 5);
    expect(sla.totals.noClock).toBe(1);
  });

  /*
   * The leads behind each result, by deadline (earliest first):
   *   first_touch 2026-11 breached: L7 (clock 11-10 14:00Z, deadline 13:00 EST = 18:00Z, its
   *     only call is the next day, so no touch counted: 0; first touch 11-11 15:00Z), then L3
   *     (clock 11-25 15:00 New York = 20:00Z, deadline Fri 11-27 11:00 EST = 16:00Z, e-mail 16:30Z);
   *     pending: L5 (clock 11-30 18:00Z, deadline 17:00 EST = 22:00Z, no touch).
   *   cap breached: L1 (clock 11-02 15:00Z, deadline + 2 days = 11-04 15:00Z, first call
   *     18:00Z, 3 touches); pending: L5 (deadline 12-02 18:00Z).
   */
  it("names the breached and pending leads of each result, with clock, deadline and first touch", () => {
    const leadsOf = (id: string) =>
      run.slas.find((s) => s.id === id)!.results.map((c) => ({ period: c.period, breached: c.breachedLeads, pending: c.pendingLeads }));
    expect(leadsOf("first_touch")).toEqual([
      { period: "2026-10", breached: { leads: [], leftOut: 0 }, pending: { leads: [], leftOut: 0 } },
      {
        period: "2026-11",
        breached: {
          leads: [
            { id: "L7", clock: "2026-11-10T14:00:00.000Z", deadline: "2026-11-10T18:00:00.000Z", firstTouch: "2026-11-11T15:00:00.000Z", touches: 0 },
            { id: "L3", clock: "2026-11-25T20:00:00.000Z", deadline: "2026-11-27T16:00:00.000Z", firstTouch: "2026-11-27T16:30:00.000Z", touches: 0 },
          ],
          leftOut: 0,
        },
        pending: { leads: [{ id: "L5", clock: "2026-11-30T18:00:00.000Z", deadline: "2026-11-30T22:00:00.000Z", firstTouch: null, touches: 0 }], leftOut: 0 },
      },
    ]);
    expect(leadsOf("cap")).toEqual([
      {
        period: "all",
        breached: { leads: [{ id: "L1", clock: "2026-11-02T15:00:00.000Z", deadline: "2026-11-04T15:00:00.000Z", firstTouch: "2026-11-02T18:00:00.000Z", touches: 3 }], leftOut: 0 },
        pending: { leads: [{ id: "L5", clock: "2026-11-30T18:00:00.000Z", deadline: "2026-12-02T18:00:00.000Z", firstTouch: null, touches: 0 }], leftOut: 0 },
      },
    ]);
  });

  it("--leads 1 lists the first lead of each outcome and says how many were left out", async () => {
    const short = await runSnapshot({ plan: load(), dir: path.join(FIXTURE, "snapshot"), shown: "snapshot", asOf: AS_OF, leadsPerResult: 1 });
    const november = short.slas.find((s) => s.id === "first_touch")!.results[1]!;
    expect(november.breachedLeads.leads.map((l) => l.id)).toEqual(["L7"]);
    expect(november.breachedLeads.leftOut).toBe(1);
    expect(november.pendingLeads).toMatchObject({ leads: [{ id: "L5" }], leftOut: 0 });
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

  it("heat: October 1 of 1 hot is too few to judge; November 2 of 5 is below half but the month is not over", () => {
    const sla = run.slas.find((s) => s.id === "heat")!;
    expect(sla.results.map((c) => [c.period, c.status, c.value])).toEqual([
      ["2026-10", "insufficient", 1],
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

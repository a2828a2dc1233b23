import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { assembleResult } from "../../src/engine/assemble.js";
import { buildPlan } from "../../src/engine/plan.js";
import type { EvaluationResult } from "../../src/engine/result.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { runSnapshot } from "../../src/snapshot/load.js";
import { ROOT } from "../helpers.js";

const FIXTURE = path.join(ROOT, "test/fixtures/zero-and-cut");
const AS_OF = Date.parse("2026-11-20T17:00:00Z"); // Friday 12:00 in New York

/**
 * SPEC §8.1's "every number tells the truth", worked out by hand. The agreement takes effect
 * on Thursday 2026-10-15 (00:00 New York = 04:00Z): October is in force for 17 of its 31 days
 * (Oct 15 to Nov 1, both at 04:00Z; the clocks change on Nov 1 at 02:00, after the month ends).
 *
 * Leads (ready_at New York): A1 Oct 10 (before effective: not judged), A2 Oct 20, A3 Oct 25
 * (won Oct 28, 1,000 USD), A4 Nov 2 (won Nov 25: after as_of), A5 Nov 25 (after as_of: cut),
 * A6 not sql. tier is "gold" in the export, so `vip` (tier = "Gold") matches no lead.
 *
 * volume (count >= 3 a month):
 *   2026-10: A2, A3 = 2 against 3 × 17/31 = 1.645 (prorated)             → met
 *   2026-11: A4 = 1 (A5 cut); 19.5 of 30 days gone, pace 1/0.65 = 1.5 → 2 < 3 → at_risk
 * vip_volume (count >= 2 a month by source, `one of ["web", "event"]`): 0 in every cell;
 *   2026-10 event and web: 0 against 2 × 17/31 = 1.097                    → breached
 *   2026-11 event and web: 0, month not over, pace 0                       → at_risk
 * touch (a call within a day, 50%, minimum 2 leads):
 *   2026-10: A2 called 15:00Z within a day of 14:00Z → met; A3 only e-mailed → breached:
 *            1 of 2 = 50%, 2 leads meet the minimum                         → met
 *   2026-11: A4 not called by Nov 3 15:00Z → breached; 1 lead < 2           → insufficient
 * monthly goal (31,000 USD a month, 1,000 a deal: 31 won, 62 ready at 50%):
 *   2026-10 prorated 17/31: won ⌈17⌉ = 17, ready ⌈34⌉ = 34, revenue 17,000; actual ready
 *            A2, A3 = 2 (A1 is before the effective date), won A3 = 1, 1,000 USD → breached
 *   2026-11: ready A4 = 1 (A5 cut), won 0 (A4's close is after as_of), revenue 0
 */
describe("hand-checked: zero counts, the as-of cut, prorating, too few leads", () => {
  let result: EvaluationResult;
  beforeAll(async () => {
    const dir = path.join(FIXTURE, "policies");
    const analyzed = analyzePolicySet(readdirSync(dir).map((f) => ({ path: f, text: readFileSync(path.join(dir, f), "utf8") })));
    expect(analyzed.diagnostics).toEqual([]);
    const plan = buildPlan(analyzed.symbols);
    const run = await runSnapshot({ plan, dir: path.join(FIXTURE, "snapshot"), shown: "snapshot", asOf: AS_OF });
    result = assembleResult(run, { asOf: AS_OF, plan, policyHash: "sha256:test", failOn: "hard" });
  });
  const sla = (id: string) => result.slas.find((s) => s.id === id)!;

  it("a count on a definition that matches no lead is 0 in every period and group, breached once the period closes", () => {
    expect(sla("vip_volume").results.map((c) => [c.period, c.group, c.value, c.status])).toEqual([
      ["2026-10", "event", 0, "breached"],
      ["2026-10", "web", 0, "breached"],
      ["2026-11", "event", 0, "at_risk"],
      ["2026-11", "web", 0, "at_risk"],
    ]);
    expect(result.summary.failing).toEqual(["vip_volume"]);
    expect(result.notes).toContain(
      "warning[W0107]: lead definition 'vip' matches none of the 6 leads in this snapshot; every count on it is 0 (a value that differs from the export's, or a lead source that stopped?).",
    );
  });

  it("--as-of cuts counts and goals: A5's clock and A4's close come after it", () => {
    expect(sla("volume").results.map((c) => [c.period, c.value, c.status])).toEqual([
      ["2026-10", 2, "met"],
      ["2026-11", 1, "at_risk"],
    ]);
    expect(result.input.leadClocksAfterAsOf).toBe(2);
    const goal = result.goals[0]!;
    expect(goal.results.map((c) => [c.period, c.stages.map((s) => s.actual), c.revenue.actual])).toEqual([
      ["2026-10", [2, 1], 1000],
      ["2026-11", [1, 0], 0],
    ]);
  });

  it("October, in force for 17 of 31 days, has its count and goal targets prorated, and says so", () => {
    const october = sla("volume").results[0]!;
    expect(october.prorated).toEqual({ daysInForce: 17, daysInPeriod: 31, target: (3 * 17) / 31 });
    expect(sla("volume").results[1]!.prorated).toBeNull();
    const goal = result.goals[0]!.results[0]!;
    expect(goal.prorated).toEqual({ daysInForce: 17, daysInPeriod: 31 });
    expect(goal.stages.map((s) => s.required)).toEqual([34, 17]);
    expect(goal.revenue.required).toBeCloseTo(17_000);
    expect(result.notes).toContain(
      "4 results cover a period that began before the agreement took effect (2026-10-15): count and goal targets there are prorated by the days in force.",
    );
  });

  it("a result on fewer leads than 'minimum 2 leads' is insufficient and fails nothing", () => {
    expect(sla("touch").minimum).toBe(2);
    expect(sla("touch").results.map((c) => [c.period, c.met, c.breached, c.status])).toEqual([
      ["2026-10", 1, 1, "met"],
      ["2026-11", 0, 1, "insufficient"],
    ]);
    expect(result.summary.failing).not.toContain("touch");
  });
});

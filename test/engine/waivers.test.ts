import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { assembleResult } from "../../src/engine/assemble.js";
import { buildPlan } from "../../src/engine/plan.js";
import type { EvaluationResult } from "../../src/engine/result.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { runSnapshot } from "../../src/snapshot/load.js";
import type { SnapshotRun } from "../../src/engine/evaluate.js";
import { ROOT } from "../helpers.js";

const FIXTURE = path.join(ROOT, "test/fixtures/waivers");
const AS_OF = Date.parse("2027-03-02T00:00:00Z");

async function evaluateFixture(options: { withoutWaivers?: boolean; asOf?: number } = {}): Promise<{ result: EvaluationResult; run: SnapshotRun }> {
  const dir = path.join(FIXTURE, "policies");
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".policy") && !(options.withoutWaivers && f === "waivers.policy"))
    .map((f) => ({ path: f, text: readFileSync(path.join(dir, f), "utf8") }));
  const analyzed = analyzePolicySet(files);
  expect(analyzed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const plan = buildPlan(analyzed.symbols);
  const asOf = options.asOf ?? AS_OF;
  const run = await runSnapshot({ plan, dir: path.join(FIXTURE, "snapshot"), shown: "snapshot", asOf, keepLeadOutcomes: true, keepLeadRows: true });
  return { result: assembleResult(run, { asOf, plan, policyHash: "sha256:test", failOn: "hard" }), run };
}

/**
 * SPEC §8.4 worked by hand. first_touch: a call within 1 day, target 95%, per month (UTC).
 *   2027-01: L1–L6 and L8–L11 called an hour after their clock (10 met); L7 never (breached).
 *            Without waivers: 10 of 11 = 90.9% < 95% → breached.
 *            l7_duplicate waives L7 (until 2027-03-31, in force at as_of 2 March): 10 of 10 → met.
 *   2027-02: L12–L16 met (5); L20 never called: its waiver ended 10 February, before as_of, so it
 *            does not apply (W0703) and L20 is breached; L30 (source "test") was called six days
 *            late, but test_records waives it by condition: 5 of 6 = 83% → breached, L30 waived.
 *   l7_duplicate also names L99, which the snapshot does not have (W0702).
 */
describe("hand-checked: waivers", () => {
  it("a waived lead turns a breached result into met (95% target)", async () => {
    const without = (await evaluateFixture({ withoutWaivers: true })).result.slas[0]!;
    const jan0 = without.results.find((c) => c.period === "2027-01")!;
    expect([jan0.met, jan0.breached, jan0.waived, jan0.status]).toEqual([10, 1, 0, "breached"]);

    const { result } = await evaluateFixture();
    const jan = result.slas[0]!.results.find((c) => c.period === "2027-01")!;
    expect([jan.leads, jan.met, jan.breached, jan.pending, jan.waived, jan.value, jan.status]).toEqual([11, 10, 0, 0, 1, 1, "met"]);
    expect(jan.sample?.size).toBe(10);
    expect(jan.waivedLeads).toEqual({
      leads: [{ id: "L7", clock: "2027-01-11T10:00:00.000Z", deadline: "2027-01-12T10:00:00.000Z", waiver: "l7_duplicate" }],
      leftOut: 0,
    });
    expect(jan.breachedLeads.leads).toEqual([]);
  });

  it("an expired waiver does not apply, and warns", async () => {
    const { result } = await evaluateFixture();
    const feb = result.slas[0]!.results.find((c) => c.period === "2027-02")!;
    expect([feb.met, feb.breached, feb.waived, feb.status]).toEqual([5, 1, 1, "breached"]);
    expect(feb.breachedLeads.leads.map((l) => l.id)).toEqual(["L20"]);
    expect(result.notes).toContain(
      "warning[W0703]: waiver 'l20_on_leave' expired on 2027-02-10, before as_of: it excuses no lead any more, so the leads it named are judged like any other (renew it with a later 'until', or remove it).",
    );
  });

  it("the same waiver applies while as_of is on or before its until day", async () => {
    const { result } = await evaluateFixture({ asOf: Date.parse("2027-02-10T23:59:59Z") });
    const feb = result.slas[0]!.results.find((c) => c.period === "2027-02")!;
    expect(feb.waivedLeads.leads.map((l) => [l.id, l.waiver])).toEqual([
      ["L20", "l20_on_leave"],
      ["L30", "test_records"],
    ]);
    expect(result.notes.some((n) => n.includes("W0703"))).toBe(false);
  });

  it("a waiver by condition excuses the leads it matches, in its periods only", async () => {
    const { result, run } = await evaluateFixture();
    const feb = result.slas[0]!.results.find((c) => c.period === "2027-02")!;
    expect(feb.waivedLeads.leads.map((l) => [l.id, l.waiver])).toEqual([["L30", "test_records"]]);
    expect(run.leadOutcomes.get("L30")?.slas).toEqual({ first_touch: "waived" });
    expect(run.leadOutcomes.get("L20")?.slas).toEqual({ first_touch: "breached" });
  });

  it("a waiver naming a lead the snapshot does not have warns", async () => {
    const { result } = await evaluateFixture();
    expect(result.notes).toContain(
      "warning[W0702]: waiver 'l7_duplicate' names lead 'L99', which is not in this snapshot; it excuses nothing for it (a typo, or a lead merged away?).",
    );
  });

  it("totals, the SLA's waivers with their counts, and the CSV rows say waived", async () => {
    const { result, run } = await evaluateFixture();
    const sla = result.slas[0]!;
    expect(sla.totals).toMatchObject({ met: 15, breached: 1, waived: 2, leads: 18 });
    expect(sla.waivers).toEqual([
      { id: "l7_duplicate", title: "L7 was a duplicate of L3, worked there", until: "2027-03-31", expired: false, leads: 1 },
      { id: "l20_on_leave", title: "L20's rep was on leave", until: "2027-02-10", expired: true, leads: 0 },
      { id: "test_records", title: "Test records are not leads", until: "2027-12-31", expired: false, leads: 1 },
    ]);
    const waived = [...run.leadRows].filter((r) => r.outcome === "waived").map((r) => [r.lead, r.period, r.firstTouch, r.touches]);
    expect(waived).toEqual([
      ["L7", "2027-01", null, null],
      ["L30", "2027-02", null, null],
    ]);
  });
});

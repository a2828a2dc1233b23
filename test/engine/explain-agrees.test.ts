import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runPlan } from "../../src/engine/evaluate.js";
import { explainLead } from "../../src/engine/explain.js";
import type { Value } from "../../src/engine/ir.js";
import { buildPlan, type EvalPlan } from "../../src/engine/plan.js";
import type { RowSink, SnapshotSource, SourceEnd } from "../../src/engine/source.js";
import { LeadWatch } from "../../src/engine/watch.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { policyWithWaiversArb, runEngine, snapshotArb } from "./generators.js";

/**
 * `explain` judges one lead from all its activities at once (judgeLead); the evaluator streams
 * them into per-lead numbers. Both must reach the same outcome for every lead and SLA.
 */
describe("explain agrees with the evaluator (fast-check)", () => {
  it("on every lead's definitions and its outcome under the SLA", () => {
    let judged = 0;
    fc.assert(
      fc.property(policyWithWaiversArb, snapshotArb, (policyText, snap) => {
        const analyzed = analyzePolicySet([{ path: "p.policy", text: policyText }]);
        fc.pre(!analyzed.diagnostics.some((d) => d.severity === "error"));
        const plan = buildPlan(analyzed.symbols);
        const { leads, activities, asOf, evaluator, leadValues, activityValues } = runEngine(plan, snap);
        for (const lead of leads) {
          const id = lead["id"] as string;
          const explained = explainLead({
            plan,
            id,
            values: leadValues(lead),
            activities: activities.filter((a) => a.lead === id).map(activityValues),
            asOf,
            showValue: (_f, v) => String(v),
            showTime: (ms) => new Date(ms).toISOString(),
            showGroup: (label) => label,
          });
          const evaluated = evaluator.leadOutcomes.get(id)!;
          expect(explained.definitions.filter((d) => d.result).map((d) => d.id)).toEqual(evaluated.definitions);
          for (const sla of explained.slas) {
            // The evaluator keeps an outcome for leads it judges; count and rate SLAs count leads instead.
            // A clock after as_of has not started: the evaluator leaves the lead out (SPEC §8.1).
            const afterAsOf = sla.clock.value !== null && Date.parse(sla.clock.value) > asOf;
            const expected = !sla.inPopulation ? "not_in_population" : evaluated.slas[sla.id] ?? (afterAsOf ? "after_as_of" : "counted");
            expect(sla.outcome).toBe(expected);
            if (sla.outcome !== "counted" && sla.outcome !== "not_in_population" && sla.outcome !== "after_as_of") judged++;
          }
        }
      }),
      { numRuns: 150 },
    );
    // The property is about judged leads: the generators must produce some.
    expect(judged).toBeGreaterThan(100);
  });

  it("through the evaluation service: the lead `explain` watches as the rows stream is judged as the run judges it", async () => {
    let watched = 0;
    await fc.assert(
      fc.asyncProperty(policyWithWaiversArb, snapshotArb, fc.nat(), async (policyText, snap, pick) => {
        const analyzed = analyzePolicySet([{ path: "p.policy", text: policyText }]);
        fc.pre(!analyzed.diagnostics.some((d) => d.severity === "error"));
        const plan = buildPlan(analyzed.symbols);
        const { leads, activities, asOf, leadValues, activityValues } = runEngine(plan, snap);
        fc.pre(leads.length > 0);
        const id = leads[pick % leads.length]!["id"] as string;
        const source = new ValuesSource(leads.map((l) => [l["id"] as string, leadValues(l)]), activities.map(activityValues));
        const watch = new LeadWatch(id);
        const run = await runPlan(plan, source, { asOf, keepLeadOutcomes: true, watch });
        const row = watch.row;
        if (!row || "rejected" in row) throw new Error(`lead ${id} not seen`);
        expect(watch.activities).toEqual(activities.filter((a) => a.lead === id).map(activityValues));
        const explained = explainLead({ plan, id, values: row.values, activities: watch.activities, asOf, showValue: (_f, v) => String(v), showTime: (ms) => new Date(ms).toISOString(), showGroup: (l) => l });
        const evaluated = run.leadOutcomes.get(id)!;
        expect(explained.definitions.filter((d) => d.result).map((d) => d.id)).toEqual(evaluated.definitions);
        for (const sla of explained.slas) {
          const outcome = evaluated.slas[sla.id];
          if (outcome !== undefined) expect(sla.outcome).toBe(outcome);
        }
        watched++;
      }),
      { numRuns: 100 },
    );
    expect(watched).toBeGreaterThan(50);
  });
});

/** Rows already converted (the generators' values), streamed as a snapshot source would. */
class ValuesSource implements SnapshotSource {
  readonly engine = "memory";
  readonly inputs = [{ name: "leads", kind: "leads" as const }, { name: "activities", kind: "activities" as const }];
  constructor(
    private readonly leads: ReadonlyArray<[string, Value[]]>,
    private readonly activities: readonly Value[][],
  ) {}
  estimate(): number {
    return this.leads.length;
  }
  async rows(_plan: EvalPlan, sink: RowSink): Promise<SourceEnd> {
    this.leads.forEach(([id, values], i) => sink.lead(i + 1, id, values));
    this.activities.forEach((values, i) => sink.activity(i + 1, values));
    return { naiveTimestamps: 0, emptySlots: [] };
  }
}

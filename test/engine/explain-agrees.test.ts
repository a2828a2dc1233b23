import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { explainLead } from "../../src/engine/explain.js";
import { buildPlan } from "../../src/engine/plan.js";
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
});

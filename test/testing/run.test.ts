import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/engine/plan.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import type { PolicyTest } from "../../src/testing/load.js";
import { PolicyTestRunner } from "../../src/testing/run.js";
import { BASE } from "../lang/fixtures.js";

const plan = buildPlan(analyzePolicySet([{ path: "p.policy", text: BASE }]).symbols);

function inline(test: Omit<PolicyTest, "name" | "line">) {
  return new PolicyTestRunner(plan).runFile({ file: "t.yaml", absolute: "/t.yaml", as_of: "2026-06-01T00:00:00Z", tests: [{ name: "t", line: 1, ...test }] });
}

const lead = { id: "a", stage: "mql", score: 70, created_at: "2026-05-01T10:00:00Z", mql_at: "2026-05-01T10:00:00Z", demo: true, product: "x" };

/** Inline leads go through the evaluation service like a snapshot's rows: each row not used is a failure that says why. */
describe("policy tests: inline leads and activities", () => {
  it("a lead that matches its expectation passes", async () => {
    const [outcome] = await inline({ leads: [lead], expect: { leads: { a: { in: ["mql", "ready"] } } } });
    expect(outcome!.failures).toEqual([]);
    expect(outcome!.passed).toBe(true);
  });

  it("a lead that does not convert, an activity that does not, and one for no lead are failures, in that order", async () => {
    const [outcome] = await inline({
      leads: [lead, { ...lead, id: "b", score: "high" }],
      activities: [
        { lead_id: "a", type: "call", at: "not a time" },
        { lead_id: "zz", type: "call", at: "2026-05-01T11:00:00Z" },
      ],
      expect: {},
    });
    expect(outcome!.passed).toBe(false);
    expect(outcome!.failures).toHaveLength(3);
    expect(outcome!.failures[0]).toMatch(/^lead b: /);
    expect(outcome!.failures[1]).toMatch(/^activity for a: /);
    expect(outcome!.failures[2]).toBe("activity for unknown lead 'zz'");
  });

  it("a second lead with the same id is not used, and says so (as in a snapshot)", async () => {
    const [outcome] = await inline({ leads: [lead, { ...lead, stage: "lead" }], expect: { leads: { a: { in: ["mql"] } } } });
    expect(outcome!.failures).toEqual(["lead a: duplicate lead id 'a' (first on line 1); the first one is used"]);
  });
});

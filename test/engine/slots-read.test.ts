import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ACTIVITY_COLUMNS, ACTIVITY_SLOT, activitySlotsRead, buildPlan, slotsReadAfterClassifying } from "../../src/engine/plan.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { ActivityConverter, TimestampReader } from "../../src/snapshot/convert.js";
import { objectRecord } from "../../src/snapshot/convert.js";
import { ROOT } from "../helpers.js";

function planOf(dir: string, edit: (text: string) => string = (t) => t) {
  const sources = readdirSync(dir)
    .filter((f) => f.endsWith(".policy"))
    .map((f) => ({ path: f, text: edit(readFileSync(path.join(dir, f), "utf8")) }));
  const analysis = analyzePolicySet(sources);
  expect(analysis.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return buildPlan(analysis.symbols);
}

const slotNames = (plan: ReturnType<typeof planOf>, slots: number[]) => slots.map((s) => plan.fields.find((f) => f.slot === s)!.name).sort();
const activityNames = (slots: number[]) => slots.map((s) => ACTIVITY_COLUMNS[s]).sort();

describe("the fields a run reads", () => {
  it("after classifying: SLA clocks and groups, goal stage times, revenue and groups, and nothing only definitions read", () => {
    const plan = planOf(path.join(ROOT, "policies"));
    expect(slotNames(plan, slotsReadAfterClassifying(plan))).toEqual(["became_mql_at", "became_sql_at", "closed_at", "created_at", "deal_amount", "owner", "product"]);
  });

  it("of activities: the lead id, the time, and what touch filters name", () => {
    const fixture = path.join(ROOT, "test/fixtures/hand-checked/policies");
    expect(activityNames(activitySlotsRead(planOf(fixture)))).toEqual(["at", "lead_id", "type"]);
    const byOwner = planOf(fixture, (t) => t.replaceAll('touches type in ["call", "email"]', 'touches owner = "ana" and not (type = "meeting")'));
    expect(activityNames(activitySlotsRead(byOwner))).toEqual(["at", "lead_id", "owner", "type"]);
  });

  it("activities convert only the optional slots asked for", () => {
    const record = objectRecord({ lead_id: "L1", type: "call", at: "2026-11-02T18:00:00Z", owner: "ana" });
    const timestamps = () => new TimestampReader(planOf(path.join(ROOT, "policies")).zone);
    const all = new ActivityConverter(timestamps()).convert(record);
    const some = new ActivityConverter(timestamps(), { slots: [ACTIVITY_SLOT.leadId, ACTIVITY_SLOT.at] }).convert(record);
    const at = Date.parse("2026-11-02T18:00:00Z");
    const bySlot = (values: Record<string, unknown>) => ACTIVITY_COLUMNS.map((c) => values[c]);
    expect(all).toEqual({ ok: true, values: bySlot({ lead_id: "L1", type: "call", at, owner: "ana" }) });
    expect(some).toEqual({ ok: true, values: bySlot({ lead_id: "L1", type: null, at, owner: null }) });
  });
});

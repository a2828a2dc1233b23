import { assertNever } from "../lang/never.js";
import { leadSlotsIn, type Value } from "./ir.js";
import type { SlaPlan } from "./plan.js";

/**
 * Rules that read a lead's own fields while judging it (SPEC §8 "whose touch counts", "calendars
 * per lead"): which slots they read, and a copy of just those, kept per tracked lead while its
 * activities stream past.
 */

/** The lead slots an SLA reads while judging a lead: its touch filter's `lead.NAME`s and its `calendar by` field. */
export function leadSlotsReadByJudging(sla: SlaPlan): number[] {
  switch (sla.kind) {
    case "count":
    case "rate":
      return [];
    case "firstTouch":
    case "touches": {
      const slots = sla.touchFilter ? leadSlotsIn(sla.touchFilter.ir) : [];
      return [...new Set(slots)].sort((a, b) => a - b);
    }
    default:
      return assertNever(sla);
  }
}

/** No lead slots: shared by every lead of an SLA whose touch filter reads none. */
export const NO_LEAD_VALUES: readonly Value[] = [];

/**
 * The lead's values at `slots` (the rest left empty), copied: callers reuse their values array
 * from lead to lead, and a lead's touches arrive after it.
 */
export function keptLeadValues(values: readonly Value[], slots: readonly number[]): readonly Value[] {
  if (slots.length === 0) return NO_LEAD_VALUES;
  const kept: Value[] = [];
  for (const slot of slots) kept[slot] = values[slot] ?? null;
  return kept;
}

/** Why an SLA is not compiled to SQL by the rules of this file, or null. The SQL compiler says so instead of compiling it wrong. */
export function leadRuleNotInSql(sla: SlaPlan): string | null {
  if (sla.kind === "count" || sla.kind === "rate") return null;
  if (sla.touchFilter && leadSlotsIn(sla.touchFilter.ir).length > 0) return "touch filters that compare with the lead's own fields (lead.NAME) are not compiled to SQL yet";
  return null;
}

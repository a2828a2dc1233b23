import type { Value } from "./ir.js";
import type { FieldPlan } from "./plan.js";

export const NO_GROUP = "all";
export const EMPTY_GROUP_VALUE = "(none)";

/** The `by` label of a lead: its values joined with " / ", "(none)" for an empty one. */
export function groupKey(values: readonly Value[], by: readonly FieldPlan[]): string {
  if (by.length === 0) return NO_GROUP;
  let key = "";
  for (let i = 0; i < by.length; i++) {
    const v = values[by[i]!.slot];
    const text = v === null || v === undefined || v === "" ? EMPTY_GROUP_VALUE : typeof v === "boolean" ? (v ? "yes" : "no") : String(v);
    key = i === 0 ? text : `${key} / ${text}`;
  }
  return key;
}


import type { ValueType } from "./check/expressions.js";

/**
 * The fields of an activity record (SPEC §3), for touch filters. A module of its own, importing
 * only a type, so that the snapshot reader's second thread can use it without loading the checker.
 */
export const ACTIVITY_FIELDS: ReadonlyMap<string, ValueType> = new Map<string, ValueType>([
  ["type", { kind: "text" }],
  ["at", { kind: "time" }],
  ["owner", { kind: "text" }],
  ["lead_id", { kind: "text" }],
]);

/** Activity record slots, in ACTIVITY_FIELDS order: lead_id, type, at, owner by name. */
export const ACTIVITY_SLOTS: ReadonlyMap<string, number> = new Map([...ACTIVITY_FIELDS.keys()].map((name, i) => [name, i]));
export const ACTIVITY_COLUMNS = [...ACTIVITY_FIELDS.keys()];
/** The slots by name, for code that runs per activity and should not look them up. */
export const ACTIVITY_SLOT = {
  leadId: ACTIVITY_SLOTS.get("lead_id")!,
  type: ACTIVITY_SLOTS.get("type")!,
  at: ACTIVITY_SLOTS.get("at")!,
  owner: ACTIVITY_SLOTS.get("owner")!,
} as const;

import type { FieldDecl, FieldTypeName } from "./ast.js";
import type { ValueType } from "./check/expressions.js";
import { columnFormatOf, type ColumnFormat } from "./column-format.js";

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

/**
 * An activity field as the snapshot reader and touch filters need it (SPEC §8.2): the four own
 * fields first, in their slots, then the `activity fields` block's others in the order written.
 */
export interface ActivityFieldPlan {
  name: string;
  type: FieldTypeName;
  /** The column it is read from: its name unless `from "…"` says otherwise. */
  column: string;
  slot: number;
  format?: ColumnFormat | undefined;
}

/** The activity fields of a policy whose `activity fields` block declares `declared` (none: the four as named). */
export function activityFieldPlans(declared: readonly FieldDecl[]): ActivityFieldPlan[] {
  const byName = new Map(declared.map((d) => [d.name.name, d]));
  const plan = (name: string, type: FieldTypeName, slot: number): ActivityFieldPlan => {
    const d = byName.get(name);
    return { name, type, column: d?.column?.value ?? name, slot, format: d?.format ? columnFormatOf(d.format, type) : undefined };
  };
  const own = ACTIVITY_COLUMNS.map((name, slot) => plan(name, ACTIVITY_FIELDS.get(name)!.kind as FieldTypeName, slot));
  const extra = declared.filter((d) => !ACTIVITY_FIELDS.has(d.name.name));
  return [...own, ...extra.map((d, k) => plan(d.name.name, d.type, own.length + k))];
}

export const DEFAULT_ACTIVITY_FIELDS: readonly ActivityFieldPlan[] = activityFieldPlans([]);

import type * as A from "../lang/ast.js";
import { assertNever } from "../lang/never.js";
import type { BusinessCalendar, DurationSpec } from "./calendar.js";
import { leadSlotsIn, type Value } from "./ir.js";
import type { FieldPlan, SlaPlan } from "./plan.js";

/**
 * Rules that read a lead's own fields while judging it (SPEC §8 "whose touch counts", "calendars
 * per lead"): which slots they read, and a copy of just those, kept per tracked lead while its
 * activities stream past.
 */

/** A calendar `calendar by` may pick, and the SLA's window counted in it. */
export interface CalendarPick {
  calendar: string;
  window: DurationSpec;
}

/** `calendar by FIELD { "V": ID, … } default ID`, resolved: the window per value of the lead's field. */
export interface CalendarChoice {
  field: FieldPlan;
  byValue: ReadonlyMap<string, CalendarPick>;
  fallback: CalendarPick;
}

/**
 * The choice for a business window with no `on ID` of its own; null otherwise (a plain window
 * needs no calendar, and `on ID` overrides the SLA's calendar, as it does a single one).
 */
export function calendarChoiceOf(
  clause: A.CalendarByClause | undefined,
  within: A.Duration,
  field: (id: A.Ident) => FieldPlan,
  windowIn: (calendar: BusinessCalendar | undefined) => DurationSpec,
  calendars: ReadonlyMap<string, BusinessCalendar>,
): CalendarChoice | null {
  if (!clause || !within.business || within.calendar) return null;
  const pick = (id: A.Ident): CalendarPick => ({ calendar: id.name, window: windowIn(calendars.get(id.name)) });
  if (!clause.fallback) throw new Error("internal: 'calendar by' without a default after checking");
  return { field: field(clause.field), byValue: new Map(clause.cases.map((c) => [c.value.value, pick(c.calendar)])), fallback: pick(clause.fallback) };
}

/** The calendar a lead's value picks: exact, as `=` compares; an empty or unlisted value takes the default. */
export function pickCalendar(choice: CalendarChoice, lead: readonly Value[]): CalendarPick {
  const value = lead[choice.field.slot];
  return (typeof value === "string" ? choice.byValue.get(value) : undefined) ?? choice.fallback;
}

/** The lead slots a touch filter reads (`lead.NAME`), kept per tracked lead while its activities stream past. */
export function touchFilterLeadSlots(sla: SlaPlan): number[] {
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

/** The lead slots an SLA reads while judging a lead: its touch filter's `lead.NAME`s and its `calendar by` field. */
export function leadSlotsReadByJudging(sla: SlaPlan): number[] {
  const slots = touchFilterLeadSlots(sla);
  if ((sla.kind === "firstTouch" || sla.kind === "touches") && sla.calendarBy) slots.push(sla.calendarBy.field.slot);
  return [...new Set(slots)].sort((a, b) => a - b);
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
  if (sla.calendarBy) return "calendars picked per lead ('calendar by') are not compiled to SQL yet";
  return null;
}

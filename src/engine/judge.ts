import { assertNever } from "../lang/never.js";
import { deadlineOf, type DurationSpec } from "./calendar.js";
import { pickCalendar, type CalendarPick } from "./lead-rules.js";
import type { Value } from "./ir.js";
import { ACTIVITY_SLOT, type LeadLevelSla, type SlaPlan, type WaiverPlan } from "./plan.js";
import type { Predicate } from "./predicate.js";
import type { LeadOutcome } from "./result.js";
import { firstTouchOutcome, touchCountOutcome } from "./status.js";

/** Touch filters see activity fields, and their lead's fields as `lead.NAME`: no lead definitions. */
const NO_DEFINITIONS: readonly boolean[] = [];

/** What one activity is to one lead under a lead-level SLA. */
export type TouchVerdict = "after_as_of" | "not_a_touch" | "before_clock" | "in_window" | "after_window";

/**
 * The touch rules (SPEC §4), in the order they apply: an activity after as_of has not happened
 * yet; one the SLA's `touches` filter rejects is not a touch; a touch before the clock started
 * does not count; one at or before the deadline is in the window.
 */
export function touchVerdict(
  filter: Predicate | null,
  clock: number,
  deadline: number,
  asOf: number,
  at: number,
  activity: readonly Value[],
  lead: readonly Value[],
): TouchVerdict {
  if (at > asOf) return "after_as_of";
  if (filter !== null && !filter(activity, NO_DEFINITIONS, lead)) return "not_a_touch";
  if (at < clock) return "before_clock";
  return at <= deadline ? "in_window" : "after_window";
}

/** The window a lead is judged in, and the calendar `calendar by` picked for it (null: the SLA's one window). */
export function windowFor(sla: LeadLevelSla, lead: readonly Value[]): { window: DurationSpec; picked: CalendarPick | null } {
  if (sla.calendarBy === null) return { window: sla.window, picked: null };
  const picked = pickCalendar(sla.calendarBy, lead);
  return { window: picked.window, picked };
}

/** A lead's deadline: its clock plus the SLA's window, in the calendar picked for it. */
export function deadlineFor(sla: LeadLevelSla, clock: number, lead: readonly Value[]): number {
  return deadlineOf(clock, windowFor(sla, lead).window);
}

/** The outcome of one lead from its first touch and its touches in the window. */
export function leadOutcome(sla: LeadLevelSla, firstTouch: number, inWindow: number, deadline: number, asOf: number): LeadOutcome {
  switch (sla.kind) {
    case "firstTouch":
      return firstTouchOutcome(firstTouch, deadline, asOf);
    case "touches":
      return touchCountOutcome(sla.op, inWindow, sla.threshold, deadline, asOf);
    default:
      return assertNever(sla);
  }
}

export interface LeadJudgement {
  deadline: number;
  /** Infinity: no touch after the clock started. */
  firstTouch: number;
  inWindow: number;
  /** One per activity, in the order given. */
  verdicts: TouchVerdict[];
  /** The calendar `calendar by` picked for this lead; null when the SLA has one window. */
  picked: CalendarPick | null;
  outcome: LeadOutcome;
}

/**
 * One lead under a lead-level SLA, from its clock and all its activities. The evaluator, which
 * streams activities and cannot keep them per lead, folds the same two rules (touchVerdict, then
 * leadOutcome) over its own per-lead numbers; test/engine/explain-agrees.test.ts checks that both agree.
 */
export function judgeLead(sla: LeadLevelSla, clock: number, touches: ReadonlyArray<readonly Value[]>, asOf: number, lead: readonly Value[]): LeadJudgement {
  const { window, picked } = windowFor(sla, lead);
  const deadline = deadlineOf(clock, window);
  const filter = sla.touchFilter?.predicate ?? null;
  let firstTouch = Infinity;
  let inWindow = 0;
  const verdicts = touches.map((activity) => {
    const at = activity[ACTIVITY_SLOT.at];
    if (typeof at !== "number") return "not_a_touch";
    const verdict = touchVerdict(filter, clock, deadline, asOf, at, activity, lead);
    if (verdict === "in_window" || verdict === "after_window") firstTouch = Math.min(firstTouch, at);
    if (verdict === "in_window") inWindow++;
    return verdict;
  });
  return { deadline, firstTouch, inWindow, verdicts, picked, outcome: leadOutcome(sla, firstTouch, inWindow, deadline, asOf) };
}

/** A waiver has expired once as_of reaches the midnight after its `until` day (W0703): it excuses nothing then. */
export function waiverExpired(waiver: WaiverPlan, asOf: number): boolean {
  return asOf >= waiver.untilEnd;
}

/**
 * The waiver that excuses a lead from a lead-level SLA (SPEC §8.4), or null: the first of the
 * SLA's waivers, in the order written, that is not expired at as_of, whose time covers the
 * lead's clock start (`from` … `until`, and `periods` when given), and that names the lead by id
 * or by its condition. A waived lead is `waived`: left out of met, breached and pending.
 */
export function waiverOf(
  waivers: readonly WaiverPlan[],
  id: string,
  values: readonly Value[],
  defs: readonly boolean[],
  clock: number,
  asOf: number,
): WaiverPlan | null {
  for (const w of waivers) {
    if (waiverExpired(w, asOf) || clock < w.from || clock >= w.untilEnd) continue;
    if (w.periods !== null && !w.periods.some(([start, end]) => clock >= start && clock < end)) continue;
    const who = w.leads;
    switch (who.kind) {
      case "ids":
        if (who.set.has(id)) return w;
        break;
      case "condition":
        if (who.predicate(values, defs)) return w;
        break;
      default:
        assertNever(who);
    }
  }
  return null;
}

/** The touch filter's predicate of an SLA, null for count and rate SLAs or when every activity is a touch. */
export function touchFilterOf(sla: SlaPlan): Predicate | null {
  switch (sla.kind) {
    case "count":
    case "rate":
      return null;
    case "firstTouch":
    case "touches":
      return sla.touchFilter?.predicate ?? null;
    default:
      return assertNever(sla);
  }
}

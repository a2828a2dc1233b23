import type * as A from "../lang/ast.js";
import { printExpr } from "../lang/format.js";
import { assertNever } from "../lang/never.js";
import { groupKey } from "./groups.js";
import { toIr, type Value } from "./ir.js";
import { judgeLead, waiverOf, type TouchVerdict } from "./judge.js";
import type { CalendarPick } from "./lead-rules.js";
import { ACTIVITY_SLOT, isLeadLevelSla, judgedFromOf, leadScope, type EvalPlan, type FieldPlan, type LeadLevelSla } from "./plan.js";
import { classify, compilePredicate } from "./predicate.js";
import type { LeadOutcome, VersionRef } from "./result.js";

export interface ConditionStep {
  text: string;
  result: boolean;
  /** The values this step read: "lead_score is 72". */
  saw: string[];
  children: ConditionStep[];
}

export interface DefinitionExplanation {
  id: string;
  title: string | null;
  result: boolean;
  condition: ConditionStep;
  since: { field: string; value: string | null } | null;
}

export interface TouchExplanation {
  type: string | null;
  at: string;
  counted: boolean;
  why: string;
}

export interface SlaExplanation {
  id: string;
  title: string | null;
  owner: string;
  severity: string;
  expectation: string;
  inPopulation: boolean;
  population: string;
  group: string;
  clock: { field: string; value: string | null };
  period: string | null;
  deadline: string | null;
  window: string | null;
  touches: TouchExplanation[];
  outcome: LeadOutcome | "not_in_population" | "counted" | "before_effective" | "after_as_of";
  why: string;
  /** The waiver that excuses the lead from this SLA (SPEC §8.4); null when none does. */
  waiver: { id: string; title: string; until: string } | null;
  /** `explain --versions git`: the version in force at the lead's clock start, which judged it. Absent without --versions. */
  judgedBy?: VersionRef;
}

export interface LeadExplanation {
  id: string;
  asOf: string;
  timezone: string;
  definitions: DefinitionExplanation[];
  slas: SlaExplanation[];
}

export type ValueFormatter = (field: FieldPlan, value: Value) => string;
/** A `by` label as the reader may see it (the caller masks personal values). */
export type GroupFormatter = (label: string, by: readonly string[]) => string;

function stepsOf(expr: A.Expr, plan: EvalPlan, values: readonly Value[], defs: readonly boolean[], show: ValueFormatter): ConditionStep {
  const scope = leadScope(plan);
  const result = compilePredicate(toIr(expr, scope))(values, defs);
  const saw = (ref: A.RefExpr): string => {
    const f = plan.fieldByName.get(ref.name.name);
    if (f) return `${f.name} is ${show(f, values[f.slot] ?? null)}`;
    const d = plan.definitionById.get(ref.name.name);
    return d ? `the lead ${defs[d.index] ? "is" : "is not"} ${d.id}` : ref.name.name;
  };
  const kids = (list: A.Expr[]) => list.map((e) => stepsOf(e, plan, values, defs, show));
  switch (expr.kind) {
    case "And":
    case "Or":
      return { text: printExpr(expr), result, saw: [], children: kids(expr.operands) };
    case "Not":
      return { text: printExpr(expr), result, saw: [], children: kids([expr.operand]) };
    case "Paren":
      return { ...stepsOf(expr.inner, plan, values, defs, show), text: printExpr(expr) };
    case "Ref":
      return { text: printExpr(expr), result, saw: [saw(expr)], children: [] };
    case "Compare":
      return {
        text: printExpr(expr),
        result,
        saw: [expr.left, expr.right].filter((o): o is A.RefExpr => o.kind === "Ref").map(saw),
        children: [],
      };
    case "In":
    case "TextMatch":
    case "IsSet":
      return { text: printExpr(expr), result, saw: [saw(expr.subject)], children: [] };
    default:
      return { text: printExpr(expr), result, saw: [], children: [] };
  }
}

/**
 * Why one lead is or is not each definition, and its outcome under each SLA, step by step.
 * Pure: the caller finds the lead's values and its activities in the snapshot.
 */
export function explainLead(input: {
  plan: EvalPlan;
  id: string;
  values: readonly Value[];
  activities: ReadonlyArray<readonly Value[]>;
  asOf: number;
  showValue: ValueFormatter;
  showTime: (ms: number) => string;
  showGroup: GroupFormatter;
}): LeadExplanation {
  const { plan, values, asOf, showValue, showTime, showGroup } = input;
  const defs = classify(plan.definitions, values, new Array<boolean>(plan.definitions.length).fill(false));

  const definitions: DefinitionExplanation[] = plan.definitions.map((d) => ({
    id: d.id,
    title: d.title ?? null,
    result: defs[d.index]!,
    condition: stepsOf(d.when, plan, values, defs, showValue),
    since: d.since ? { field: d.since.name, value: typeof values[d.since.slot] === "number" ? showTime(values[d.since.slot] as number) : null } : null,
  }));

  const judgedFrom = judgedFromOf(plan, asOf);
  const sorted = [...input.activities].sort((a, b) => (a[ACTIVITY_SLOT.at] as number) - (b[ACTIVITY_SLOT.at] as number));

  const slas: SlaExplanation[] = plan.slas.map((sla) => {
    const inPopulation = defs[sla.population.index]!;
    const clockValue = values[sla.clock.slot];
    const clock = typeof clockValue === "number" ? clockValue : undefined;
    const base = {
      id: sla.id,
      title: sla.title ?? null,
      owner: sla.owner,
      severity: sla.severity,
      expectation: sla.expectation,
      inPopulation,
      population: sla.population.id,
      group: showGroup(groupKey(values, sla.by), sla.by.map((f) => f.name)),
      clock: { field: sla.clock.name, value: clock === undefined ? null : showTime(clock) },
      period: clock === undefined ? null : sla.periods.of(clock).key,
      deadline: null,
      window: isLeadLevelSla(sla) ? sla.windowText : null,
      touches: [] as TouchExplanation[],
      waiver: null,
    };
    if (!inPopulation) return { ...base, outcome: "not_in_population", why: `the lead is not ${sla.population.id}, so this SLA does not apply to it` };
    if (clock === undefined) return { ...base, outcome: "no_clock", why: `${sla.clock.name} is empty: the clock never started (counted as no_clock)` };
    if (clock < judgedFrom) return { ...base, outcome: "before_effective", why: `the clock started before the agreement took effect (${plan.agreement.effective})` };
    if (clock > asOf) return { ...base, outcome: "after_as_of", why: `the clock starts after as_of (${showTime(asOf)}): not started yet, so left out of this SLA` };
    const where = `${base.period === "all" ? "the total" : `period ${base.period}`}, group ${base.group}`;
    switch (sla.kind) {
      case "count":
        return { ...base, outcome: "counted", why: `counted in ${where}` };
      case "rate":
        return { ...base, outcome: "counted", why: `counted in ${where}; it ${defs[sla.rateOf.index] ? "counts" : "does not count"} as ${sla.rateOf.id}` };
      case "firstTouch":
      case "touches":
        return { ...base, ...waived(sla, { id: input.id, values, defs, clock, asOf }, leadLevelExplanation(sla, clock, sorted, asOf, showTime, values, showValue)) };
      default:
        return assertNever(sla);
    }
  });

  return { id: input.id, asOf: new Date(asOf).toISOString(), timezone: plan.zone.name, definitions, slas };
}

/** The window as written; under `calendar by`, with the calendar picked and why ("on london_office: region is EMEA"). */
function windowText(sla: LeadLevelSla, picked: CalendarPick | null, lead: readonly Value[], show: ValueFormatter): string {
  const choice = sla.calendarBy;
  if (picked === null || choice === null) return sla.windowText;
  const value = lead[choice.field.slot] ?? null;
  const shown = show(choice.field, value);
  const listed = typeof value === "string" && choice.byValue.has(value);
  const why = listed ? `${choice.field.name} is ${shown}` : `the default: ${choice.field.name} is ${typeof value === "string" ? `${shown}, not listed` : "empty"}`;
  return `${sla.windowText} on ${picked.calendar} (${why})`;
}

/**
 * A lead-level outcome with its waiver (judge.ts waiverOf, as the evaluator applies it): a waived
 * lead says which waiver excuses it and what it would be without; one whose waiver has expired
 * says so, since a reader who wrote the waiver expects it to apply.
 */
function waived(
  sla: LeadLevelSla,
  lead: { id: string; values: readonly Value[]; defs: readonly boolean[]; clock: number; asOf: number },
  judged: Pick<SlaExplanation, "deadline" | "touches" | "outcome" | "why" | "window">,
): Pick<SlaExplanation, "deadline" | "touches" | "outcome" | "why" | "window" | "waiver"> {
  const w = waiverOf(sla.waivers, lead.id, lead.values, lead.defs, lead.clock, lead.asOf);
  if (w) {
    return {
      ...judged,
      outcome: "waived",
      why: `waived by ${w.id} (“${w.title}”, until ${w.until}), so left out of met and breached; without it: ${judged.outcome}, ${judged.why}`,
      waiver: { id: w.id, title: w.title, until: w.until },
    };
  }
  // As if no waiver had expired: one that would apply but for its date.
  const expired = waiverOf(sla.waivers, lead.id, lead.values, lead.defs, lead.clock, -Infinity);
  const why = expired ? `${judged.why}; waiver ${expired.id} expired on ${expired.until} and no longer excuses it` : judged.why;
  return { ...judged, why, waiver: null };
}

const TOUCH_WHY: Readonly<Record<Exclude<TouchVerdict, "in_window">, string>> = {
  after_as_of: "after as_of",
  not_a_touch: "",
  before_clock: "before the clock started",
  after_window: "after the window closed",
};

function leadLevelExplanation(
  sla: LeadLevelSla,
  clock: number,
  sorted: ReadonlyArray<readonly Value[]>,
  asOf: number,
  showTime: (ms: number) => string,
  lead: readonly Value[],
  showValue: ValueFormatter,
): Pick<SlaExplanation, "deadline" | "touches" | "outcome" | "why" | "window"> {
  const { deadline, firstTouch, inWindow, verdicts, outcome, picked } = judgeLead(sla, clock, sorted, asOf, lead);
  let counted = 0;
  const touches: TouchExplanation[] = sorted.map((a, i) => {
    const verdict = verdicts[i]!;
    const shown = { type: (a[ACTIVITY_SLOT.type] as string | null) ?? null, at: showTime(a[ACTIVITY_SLOT.at] as number) };
    if (verdict === "in_window") {
      counted++;
      return { ...shown, counted: true, why: counted === 1 ? "first touch, within the window" : `touch ${counted} within the window` };
    }
    return { ...shown, counted: false, why: verdict === "not_a_touch" ? `does not match ${sla.touchFilter?.text ?? "the touch filter"}` : TOUCH_WHY[verdict] };
  });
  const deadlineText = Number.isFinite(deadline) ? showTime(deadline) : "never (the calendar never opens)";
  let why: string;
  switch (sla.kind) {
    case "firstTouch":
      why =
        outcome === "met"
          ? `first touch at ${showTime(firstTouch)}, by the deadline ${deadlineText}`
          : outcome === "pending"
            ? `no touch yet; the window is open until ${deadlineText}`
            : Number.isFinite(firstTouch)
              ? `first touch at ${showTime(firstTouch)}, after the deadline ${deadlineText}`
              : `no touch by the deadline ${deadlineText}`;
      break;
    case "touches":
      why = `${inWindow} touches in the window until ${deadlineText} (expected ${sla.op} ${sla.threshold})${outcome === "pending" ? "; the window is still open" : ""}`;
      break;
    default:
      return assertNever(sla);
  }
  return { deadline: deadlineText, touches, outcome, why, window: windowText(sla, picked, lead, showValue) };
}

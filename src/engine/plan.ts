import type * as A from "../lang/ast.js";
import { ACTIVITY_COLUMNS, ACTIVITY_SLOT, ACTIVITY_SLOTS, activityFieldPlans, type ActivityFieldPlan } from "../lang/activity-fields.js";
import { daysOf } from "../lang/check/calendars.js";
import type { SymbolTable } from "../lang/check/symbols.js";
import { printDuration, printExpectation, printExpr } from "../lang/format.js";
import { assertNever } from "../lang/never.js";
import { isLeadLevel } from "../lang/sla-kind.js";
import { BusinessCalendar, PLAIN_UNIT_MS, type DurationSpec } from "./calendar.js";
import { calendarChoiceOf, leadSlotsReadByJudging, type CalendarChoice } from "./lead-rules.js";
import { definitionsIn, slotsIn, toIr, type Column, type Ir, type IrScope } from "./ir.js";
import { PeriodIndex } from "./periods.js";
import { compilePredicate, type Predicate } from "./predicate.js";
import { dayOfIsoDate, Zone } from "./time.js";
import { WEEKDAYS } from "../lang/vocabulary.js";
import { columnFormatOf, type ColumnFormat } from "../lang/column-format.js";
import { waiverPlans, waiverSlots, type WaiverPlan } from "./waiver-plan.js";

export type { WaiverPlan } from "./waiver-plan.js";

export interface FieldPlan {
  name: string;
  type: A.FieldTypeName;
  /** Snapshot column the value is read from. */
  column: string;
  pii: boolean;
  slot: number;
  currency?: string | undefined;
  oneOf?: readonly string[] | undefined;
  /** How the column is written (`format …`); undefined: ISO times, plain numbers. */
  format?: ColumnFormat | undefined;
}

export interface DefinitionPlan {
  id: string;
  title?: string | undefined;
  index: number;
  ir: Ir;
  predicate: Predicate;
  /** The lead definition as written, for explain. */
  when: A.Expr;
  since?: FieldPlan | undefined;
}

export type { SlaKind } from "../lang/sla-kind.js";

interface SlaCommon {
  id: string;
  title?: string | undefined;
  owner: string;
  severity: A.Severity;
  /** How the expectation reads, e.g. "first touch within 5 business hours". */
  expectation: string;
  population: DefinitionPlan;
  clock: FieldPlan;
  periods: PeriodIndex;
  by: FieldPlan[];
}

/** `expect count OP N`: the number of leads in each period and group. */
export interface CountSla extends SlaCommon {
  kind: "count";
  op: A.CompareOp;
  threshold: number;
}

/** Leads a lead-level or rate result needs to be judged, when the SLA says no `minimum N leads` (SPEC §8.1). */
export const DEFAULT_MINIMUM_LEADS = 5;

/** `expect rate of D OP P%`: the share (0–1) of the population that is also `rateOf`. */
export interface RateSla extends SlaCommon {
  kind: "rate";
  op: A.CompareOp;
  threshold: number;
  rateOf: DefinitionPlan;
  /** Fewer leads in a result make it `insufficient`. */
  minimum: number;
}

/** Which activities count as touches (`touches …`), compiled and as written. */
export interface TouchFilter {
  ir: Ir;
  predicate: Predicate;
  text: string;
}

/** What the lead-level kinds share: a deadline per lead, and a share of leads that must meet it. */
interface LeadLevelCommon extends SlaCommon {
  /** Share of leads that must meet it, 0–1. */
  target: number;
  /** Fewer judged leads in a result make it `insufficient`. */
  minimum: number;
  window: DurationSpec;
  windowText: string;
  /** null: every activity is a touch. */
  touchFilter: TouchFilter | null;
  /**
   * `calendar by FIELD`: the window per lead (judge.ts windowFor); `window` is then the
   * default's. null: every lead's window is `window`.
   */
  calendarBy: CalendarChoice | null;
  /** The waivers that name this SLA (SPEC §8.4), in the order written; the first that applies names a waived lead. */
  waivers: readonly WaiverPlan[];
}

/** `expect first touch within D`. */
export interface FirstTouchSla extends LeadLevelCommon {
  kind: "firstTouch";
}

/** `expect touches within D OP N`: the number of touches in the window, per lead. */
export interface TouchCountSla extends LeadLevelCommon {
  kind: "touches";
  op: A.CompareOp;
  threshold: number;
}

export type LeadLevelSla = FirstTouchSla | TouchCountSla;
export type SlaPlan = CountSla | RateSla | LeadLevelSla;

export function isLeadLevelSla(sla: SlaPlan): sla is LeadLevelSla {
  return isLeadLevel(sla.kind);
}

export interface GoalStagePlan {
  definition: DefinitionPlan;
  /** Conversion from the previous stage, 0–1; undefined: measured from the snapshot. */
  rate?: number | undefined;
}

export interface GoalPlan {
  id: string;
  title?: string | undefined;
  owners: string[];
  revenue: number;
  currency: string;
  periods: PeriodIndex;
  revenueField: FieldPlan;
  averageDeal?: number | undefined;
  stages: GoalStagePlan[];
  by: FieldPlan[];
  /**
   * `quotas`: each group's own revenue (by its label as reported); `revenue` is every other
   * group's. Empty without quotas, and under --group-by other than the goal's own `by`.
   */
  quotas: ReadonlyMap<string, number>;
  /**
   * The goal's quotas that this plan sets aside, under --group-by other than the goal's own
   * `by` (a quota names a group of that `by`): how many, and that `by`, for the report's note.
   * Null when none were set aside.
   */
  quotasNotApplied: { count: number; ownBy: string[] } | null;
}

export interface EvalPlan {
  agreement: { title: string; version?: number | undefined; effective?: string | undefined; effectiveMs?: number | undefined; timezone: string };
  zone: Zone;
  fields: FieldPlan[];
  fieldByName: ReadonlyMap<string, FieldPlan>;
  /** The activity fields: the four own ones in their slots, then the `activity fields` block's others (SPEC §8.2). */
  activityFields: ActivityFieldPlan[];
  /** In evaluation order: every definition after the ones it uses. */
  definitions: DefinitionPlan[];
  definitionById: ReadonlyMap<string, DefinitionPlan>;
  slas: SlaPlan[];
  goals: GoalPlan[];
  /** Every waiver, expired or not: which apply depends on as_of. */
  waivers: WaiverPlan[];
}

export { ACTIVITY_COLUMNS, ACTIVITY_SLOT, ACTIVITY_SLOTS };

/** What building one SLA or goal needs from the rest of the plan. */
interface PlanContext {
  agreement: A.AgreementBlock;
  zone: Zone;
  activityFields: readonly ActivityFieldPlan[];
  field(id: A.Ident | undefined): FieldPlan;
  fieldByName: ReadonlyMap<string, FieldPlan>;
  definition(id: A.Ident): DefinitionPlan;
  /** The `by` fields, or --group-by's when given. */
  groupBy(by: A.Ident[]): FieldPlan[];
  /** Whether results are grouped by these `by` fields as written (no --group-by, or the same fields). */
  ownGrouping(by: A.Ident[]): boolean;
  calendars: ReadonlyMap<string, BusinessCalendar>;
  waivers: readonly WaiverPlan[];
}

/**
 * Compiles a checked policy set (no errors) into what the evaluator runs: field slots, the
 * definitions as compiled predicates in dependency order, and each SLA and goal resolved.
 * `groupBy` replaces every SLA's and goal's `by` (eval --group-by).
 */
export function buildPlan(symbols: SymbolTable, options: { groupBy?: readonly string[] | undefined } = {}): EvalPlan {
  const agreement = symbols.agreement?.node;
  if (!agreement?.timezone) throw new Error("internal: building a plan for a policy without an agreement timezone");
  const zone = new Zone(agreement.timezone.value);

  const fields = fieldPlans(symbols);
  const activityFields = activityFieldPlans([...symbols.activityFields.values()].map((f) => f.node));
  const fieldByName = new Map(fields.map((f) => [f.name, f]));
  const field = (id: A.Ident | undefined): FieldPlan => {
    const f = id && fieldByName.get(id.name);
    if (!f) throw new Error(`internal: unresolved field '${id?.name}' after checking`);
    return f;
  };
  const byIndex = definitionPlans(symbols, zone, fieldByName, field);
  const definitionById = new Map(byIndex.map((d) => [d.id, d]));
  const calendars = new Map<string, BusinessCalendar>();
  for (const { node } of symbols.calendars.values()) calendars.set(node.id.name, new BusinessCalendar(calendarSpec(node, agreement.timezone.value)));

  const context: PlanContext = {
    agreement,
    zone,
    activityFields,
    field,
    fieldByName,
    definition: (id) => definitionById.get(id.name)!,
    groupBy: (by) => (options.groupBy ? options.groupBy.map((name) => field({ kind: "Ident", name, range: agreement.range })) : by.map(field)),
    ownGrouping: (by) => !options.groupBy || options.groupBy.join("\u0000") === by.map((b) => b.name).join("\u0000"),
    calendars,
    waivers: waiverPlans(symbols, zone, {
      zone,
      column: (name) => {
        const f = fieldByName.get(name);
        return f ? { slot: f.slot, name } : undefined;
      },
      definition: (name) => definitionById.get(name)?.index,
      leadColumn: () => undefined,
    }),
  };
  const effective = agreement.effective?.value;
  return {
    agreement: {
      title: agreement.title.value,
      version: agreement.version?.value,
      effective,
      effectiveMs: effective ? zone.startOfDay(dayOfIsoDate(effective)) : undefined,
      timezone: zone.name,
    },
    zone,
    fields,
    fieldByName,
    activityFields,
    definitions: evaluationOrder(byIndex),
    definitionById,
    slas: [...symbols.slas.values()].map(({ node }) => slaPlan(node, context)),
    goals: [...symbols.goals.values()].map(({ node }) => goalPlan(node, context)),
    waivers: [...context.waivers],
  };
}

function fieldPlans(symbols: SymbolTable): FieldPlan[] {
  return [...symbols.fields.values()].map(({ node }, slot) => ({
    name: node.name.name,
    type: node.type,
    column: node.column?.value ?? node.name.name,
    pii: node.pii,
    slot,
    currency: node.currency?.name,
    oneOf: node.oneOf?.map((s) => s.value),
    format: node.format ? columnFormatOf(node.format, node.type) : undefined,
  }));
}

/** The lead definitions, compiled, by index (the order written). */
function definitionPlans(
  symbols: SymbolTable,
  zone: Zone,
  fieldByName: ReadonlyMap<string, FieldPlan>,
  field: PlanContext["field"],
): DefinitionPlan[] {
  const leadNodes = [...symbols.leads.values()].map((l) => l.node);
  const indexOf = new Map(leadNodes.map((l, i) => [l.id.name, i]));
  const scope = {
    zone,
    column: (name: string): Column | undefined => {
      const f = fieldByName.get(name);
      return f ? { slot: f.slot, name } : undefined;
    },
    definition: (name: string) => indexOf.get(name),
    leadColumn: () => undefined,
  };
  return leadNodes.map((node, index) => {
    const ir = toIr(node.when!, scope);
    return {
      id: node.id.name,
      title: node.title?.value,
      index,
      ir,
      predicate: compilePredicate(ir),
      when: node.when!,
      since: node.since ? field(node.since) : undefined,
    };
  });
}

/** Touch filters read activity fields, and their lead's fields as `lead.NAME`: no lead definitions. */
function activityScope(context: PlanContext): IrScope {
  const slots = new Map(context.activityFields.map((f) => [f.name, f.slot]));
  return {
    zone: context.zone,
    column: (name: string): Column | undefined => {
      const slot = slots.get(name);
      return slot === undefined ? undefined : { slot, name };
    },
    definition: () => undefined,
    leadColumn: (name: string): Column | undefined => {
      const f = context.fieldByName.get(name);
      return f ? { slot: f.slot, name } : undefined;
    },
  };
}

function slaPlan(node: A.SlaBlock, context: PlanContext): SlaPlan {
  const population = context.definition(node.leads!);
  const base: SlaCommon = {
    id: node.id.name,
    title: node.title?.value,
    owner: node.owner!.name,
    severity: (node.severity?.name ?? "hard") as A.Severity,
    expectation: printExpectation(node.expect!),
    population,
    clock: node.clock ? context.field(node.clock) : population.since!,
    periods: new PeriodIndex(node.per?.name as A.Period | undefined, context.zone),
    by: context.groupBy(node.by),
  };
  const minimum = node.minimum?.value ?? DEFAULT_MINIMUM_LEADS;
  const leadLevel = (within: A.Duration) => {
    const calendar = context.calendars.get((within.calendar ?? node.calendar ?? node.calendarBy?.fallback ?? context.agreement.calendar)?.name ?? "");
    const touches = node.touches;
    const ir = touches ? toIr(touches, activityScope(context)) : undefined;
    return {
      ...base,
      target: (node.target?.value ?? 100) / 100,
      minimum,
      window: durationSpec(within, calendar),
      windowText: printDuration(within),
      touchFilter: ir && touches ? { ir, predicate: compilePredicate(ir), text: printExpr(touches) } : null,
      calendarBy: calendarChoiceOf(node.calendarBy, within, context.field, (c) => durationSpec(within, c), context.calendars),
      waivers: context.waivers.filter((w) => w.slas.includes(node.id.name)),
    };
  };
  const expect = node.expect!;
  switch (expect.kind) {
    case "CountExpectation":
      return { ...base, kind: "count", op: expect.op, threshold: expect.value.value };
    case "RateExpectation":
      return { ...base, kind: "rate", op: expect.op, threshold: expect.value.value / 100, rateOf: context.definition(expect.definition), minimum };
    case "FirstTouchExpectation":
      return { ...leadLevel(expect.within), kind: "firstTouch" };
    case "TouchesExpectation":
      return { ...leadLevel(expect.within), kind: "touches", op: expect.op, threshold: expect.value.value };
    default:
      return assertNever(expect);
  }
}

function goalPlan(node: A.GoalBlock, context: PlanContext): GoalPlan {
  const revenue = node.revenue!;
  return {
    id: node.id.name,
    title: node.title?.value,
    owners: node.owners.map((o) => o.name),
    revenue: revenue.amount.amount,
    currency: revenue.amount.currency,
    periods: new PeriodIndex(revenue.per.name as A.Period, context.zone),
    revenueField: context.field(revenue.from),
    averageDeal: node.averageDeal?.amount,
    stages: node.funnel.map((s) => ({ definition: context.definition(s.definition), rate: s.rate ? s.rate.value / 100 : undefined })),
    by: context.groupBy(node.by),
    quotas: context.ownGrouping(node.by) ? new Map(node.quotas?.entries.map((e) => [e.group.value, e.amount.amount])) : new Map(),
    quotasNotApplied: !context.ownGrouping(node.by) && node.quotas && node.quotas.entries.length > 0 ? { count: node.quotas.entries.length, ownBy: node.by.map((b) => b.name) } : null,
  };
}

/**
 * Dependencies before the definitions that use them. A depth-first walk on an explicit stack, not
 * recursion: a chain of thousands of definitions must not overflow the call stack.
 */
function evaluationOrder(defs: DefinitionPlan[]): DefinitionPlan[] {
  const order: DefinitionPlan[] = [];
  const done = new Set<number>();
  const stack: { def: DefinitionPlan; deps: number[]; next: number }[] = [];
  const enter = (def: DefinitionPlan): void => {
    done.add(def.index);
    stack.push({ def, deps: definitionsIn(def.ir), next: 0 });
  };
  for (const root of defs) {
    if (done.has(root.index)) continue;
    enter(root);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const dep = top.deps[top.next++];
      if (dep === undefined) {
        order.push(top.def);
        stack.pop();
      } else if (!done.has(dep)) {
        enter(defs[dep]!);
      }
    }
  }
  return order;
}

function calendarSpec(node: A.CalendarBlock, defaultZone: string) {
  const week = new Map<number, Array<[number, number]>>();
  for (const hours of node.hours) {
    const days = hours.days.flatMap((d) => daysOf(d) ?? []);
    for (const day of days) {
      const iso = WEEKDAYS.indexOf(day) + 1;
      const list = week.get(iso) ?? [];
      for (const i of hours.intervals) list.push([i.start.minutes, i.end.minutes]);
      week.set(iso, list.sort((a, b) => a[0] - b[0]));
    }
  }
  return { id: node.id.name, zone: node.timezone?.value ?? defaultZone, week, holidays: node.holidays.map((h) => h.value) };
}

function durationSpec(d: A.Duration, calendar: BusinessCalendar | undefined): DurationSpec {
  if (!d.business) return { business: false, ms: d.amount.value * PLAIN_UNIT_MS[d.unit] };
  if (!calendar) throw new Error("internal: business duration without a calendar after checking");
  if (d.unit === "days") return { business: true, unit: "days", amount: d.amount.value, calendar };
  return { business: true, unit: "minutes", amount: d.amount.value * (d.unit === "hours" ? 60 : 1), calendar };
}

/**
 * The activity slots a run reads: the lead id, the time, and what touch filters look at. The
 * others (an owner no filter names) need not be converted.
 */
export function activitySlotsRead(plan: EvalPlan): number[] {
  const slots = new Set<number>([ACTIVITY_SLOT.leadId, ACTIVITY_SLOT.at]);
  for (const sla of plan.slas) if (isLeadLevelSla(sla) && sla.touchFilter) for (const slot of slotsIn(sla.touchFilter.ir)) slots.add(slot);
  return [...slots].sort((a, b) => a - b);
}

/**
 * The lead fields the evaluator reads once a lead's definitions are decided: SLA clocks and
 * groups, goal stage times, revenue and groups. The rest are read by definitions only, so a
 * thread that classifies leads for the evaluator (snapshot/parallel.ts) need not send them.
 */
export function slotsReadAfterClassifying(plan: EvalPlan): number[] {
  const slots = new Set<number>();
  for (const sla of plan.slas) {
    slots.add(sla.clock.slot);
    for (const f of sla.by) slots.add(f.slot);
    for (const slot of leadSlotsReadByJudging(sla)) slots.add(slot);
  }
  for (const goal of plan.goals) {
    slots.add(goal.revenueField.slot);
    for (const f of goal.by) slots.add(f.slot);
    for (const stage of goal.stages) if (stage.definition.since) slots.add(stage.definition.since.slot);
  }
  for (const slot of waiverSlots(plan.waivers)) slots.add(slot);
  return [...slots].sort((a, b) => a - b);
}

/**
 * The first clock time judged: leads whose clock started before the effective date are left out,
 * except while as_of is itself before it (a preview, in which nothing is left out: -Infinity).
 */
export function judgedFromOf(plan: EvalPlan, asOf: number): number {
  const effective = plan.agreement.effectiveMs;
  return effective !== undefined && asOf >= effective ? effective : -Infinity;
}

/** How conditions over lead fields resolve against a built plan (for `explain` and policy tests). */
export function leadScope(plan: EvalPlan): IrScope {
  return {
    zone: plan.zone,
    column: (name: string) => {
      const f = plan.fieldByName.get(name);
      return f ? { slot: f.slot, name } : undefined;
    },
    definition: (name: string) => plan.definitionById.get(name)?.index,
    leadColumn: () => undefined,
  };
}

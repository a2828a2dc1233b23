import { CellTable } from "./cells.js";
import { groupKey, NO_GROUP } from "./groups.js";
import type { Value } from "./ir.js";
import { prorationOf, proratedTarget, type PeriodSlot } from "./periods.js";
import type { GoalPlan } from "./plan.js";
import type { GoalCell, GoalResult, GoalStageResult, Status } from "./result.js";
import { worstStatus } from "./result.js";
import { elapsedShare } from "./status.js";

interface Counts {
  counts: number[];
  revenue: number;
}

/** Per goal: leads entering each stage, and revenue won, per period and group; closed periods for measuring. */
export class GoalTally {
  readonly cells = new CellTable<Counts & { period: PeriodSlot; group: string }>((period, group) => ({ ...this.empty(), period, group }));
  readonly closedByGroup = new Map<string, Counts>();
  readonly closedAll: Counts;
  readonly groups = new Set<string>();

  constructor(
    readonly plan: GoalPlan,
    private readonly asOf: number,
  ) {
    this.closedAll = this.empty();
  }

  private empty(): Counts {
    return { counts: new Array<number>(this.plan.stages.length).fill(0), revenue: 0 };
  }

  add(values: readonly Value[], defs: readonly boolean[], judgedFrom: number, judgedUntil = Infinity): void {
    const plan = this.plan;
    const last = plan.stages.length - 1;
    let group: string | undefined;
    for (let i = 0; i <= last; i++) {
      const stage = plan.stages[i]!;
      if (!defs[stage.definition.index]) continue;
      const at = values[stage.definition.since!.slot];
      if (typeof at !== "number" || at > this.asOf) continue;
      if (group === undefined) {
        group = groupKey(values, plan.by);
        this.groups.add(group);
      }
      const amount = i === last ? numberOr0(values[plan.revenueField.slot]) : 0;
      const period = plan.periods.of(at);
      if (period.end <= this.asOf) {
        let closed = this.closedByGroup.get(group);
        if (!closed) this.closedByGroup.set(group, (closed = this.empty()));
        closed.counts[i]!++;
        closed.revenue += amount;
        this.closedAll.counts[i]!++;
        this.closedAll.revenue += amount;
      }
      // Before the effective date a lead is not counted, as SLAs do not judge it; its period's
      // targets are prorated to the days in force instead (SPEC §8.1).
      // From a later version's effective date on, that version counts it (`eval --versions`).
      if (at < judgedFrom || at >= judgedUntil) continue;
      const cell = this.cells.get(period, group);
      cell.counts[i]!++;
      cell.revenue += amount;
    }
  }

  /**
   * add's counting for leads a database engine counted together (engine/aggregate.ts): `leads`
   * leads entering stage `stage` in the period holding `at`, worth `revenue` together.
   */
  addCounts(stage: number, at: number, group: string, judged: boolean, leads: number, revenue: number): void {
    this.groups.add(group);
    const period = this.plan.periods.of(at);
    if (period.end <= this.asOf) {
      let closed = this.closedByGroup.get(group);
      if (!closed) this.closedByGroup.set(group, (closed = this.empty()));
      closed.counts[stage]! += leads;
      closed.revenue += revenue;
      this.closedAll.counts[stage]! += leads;
      this.closedAll.revenue += revenue;
    }
    if (!judged) return;
    const cell = this.cells.get(period, group);
    cell.counts[stage]! += leads;
    cell.revenue += revenue;
  }
}

function numberOr0(v: Value | undefined): number {
  return typeof v === "number" ? v : 0;
}

/** A group's revenue goal: its own quota when the goal lists one, else the goal's revenue. */
export function revenueGoalOf(plan: GoalPlan, group: string): number {
  return plan.quotas.get(group) ?? plan.revenue;
}

/** Division that tolerates float noise: 240 / 0.4 needs 600 leads, not 601. */
function neededFor(amount: number, per: number): number {
  return Math.ceil(amount / per - 1e-9);
}

interface Derived {
  averageDeal: GoalResult["averageDeal"];
  stages: Array<Omit<GoalStageResult, "actual">>;
}

/** Works the goal backwards for one group: revenue / average deal = customers; / each rate up the funnel. */
function derive(tally: GoalTally, group: string): Derived {
  const plan = tally.plan;
  const closed = tally.closedByGroup.get(group);
  const measured = (pick: (c: Counts) => { num: number; den: number }) => {
    // A group with nothing to measure yet (a new rep, no deals closed) uses the team's figure.
    const own = closed ? pick(closed) : { num: 0, den: 0 };
    return own.den > 0 && own.num > 0 ? own : pick(tally.closedAll);
  };
  const last = plan.stages.length - 1;

  let averageDeal: Derived["averageDeal"];
  if (plan.averageDeal !== undefined) averageDeal = { value: plan.averageDeal, source: "given", leads: null };
  else {
    const m = measured((c) => ({ num: c.revenue, den: c.counts[last]! }));
    averageDeal = m.den > 0 && m.num > 0 ? { value: m.num / m.den, source: "measured", leads: m.den } : { value: null, source: "none", leads: m.den };
  }

  const rates = plan.stages.map((stage, i): { rate: number | null; source: GoalStageResult["rateSource"]; leads: number | null } => {
    if (i === 0) return { rate: null, source: "none", leads: null };
    if (stage.rate !== undefined) return { rate: stage.rate, source: "given", leads: null };
    const m = measured((c) => ({ num: c.counts[i]!, den: c.counts[i - 1]! }));
    return m.den > 0 && m.num > 0 ? { rate: m.num / m.den, source: "measured", leads: m.den } : { rate: null, source: "none", leads: m.den };
  });

  const required: Array<number | null> = new Array<number | null>(plan.stages.length).fill(null);
  required[last] = averageDeal.value ? neededFor(revenueGoalOf(plan, group), averageDeal.value) : null;
  for (let i = last; i > 0; i--) {
    const r = rates[i]!.rate;
    const next = required[i];
    required[i - 1] = next !== null && next !== undefined && r ? neededFor(next, r) : null;
  }
  return {
    averageDeal,
    stages: plan.stages.map((s, i) => ({
      definition: s.definition.id,
      required: required[i] ?? null,
      rate: rates[i]!.rate,
      rateSource: rates[i]!.source,
      rateLeads: rates[i]!.leads,
    })),
  };
}

function figureStatus(required: number | null, actual: number, pace: number | null, share: number): Status {
  if (required === null) return "no_data";
  if (actual >= required) return "met";
  if (share >= 1) return "breached";
  return pace !== null && pace >= required ? "in_progress" : "at_risk";
}

export function goalResults(tally: GoalTally, asOf: number, judgedFrom: number, judgedUntil = Infinity): GoalResult {
  const plan = tally.plan;
  // A group with a quota has a result even before any of its leads arrives: its goal is a number to miss.
  const groups = plan.by.length === 0 ? [NO_GROUP] : [...new Set([...tally.groups, ...plan.quotas.keys()])].sort();
  const derived = new Map(groups.map((g) => [g, derive(tally, g)]));
  const starts = tally.cells.all.map((c) => c.period.start);
  const last = Math.min(asOf, judgedUntil - 1);
  const first = starts.length > 0 ? Math.max(Math.min(...starts), judgedFrom) : plan.periods.of(last).start;
  const periods = first <= last ? plan.periods.range(first, last) : [];
  const results: GoalCell[] = [];
  for (const period of periods) {
    // A period partly before the effective date: targets for its days in force, paced on them.
    const proration = prorationOf(period, judgedFrom, judgedUntil);
    const share = elapsedShare(Math.max(period.start, judgedFrom), Math.min(period.end, judgedUntil), asOf);
    for (const group of groups) {
      const cell = tally.cells.find(period, group);
      const d = derived.get(group)!;
      const paceOf = (actual: number) => (share < 1 && share > 0 ? actual / share : null);
      const stages = d.stages.map((s, i) => {
        const actual = cell?.counts[i] ?? 0;
        const pace = paceOf(actual);
        const required = s.required === null ? null : neededFor(proratedTarget(s.required, proration), 1);
        return { definition: s.definition, required, actual, pace, status: figureStatus(required, actual, pace, share) };
      });
      const revenueActual = cell?.revenue ?? 0;
      const revenuePace = paceOf(revenueActual);
      const revenueRequired = proratedTarget(revenueGoalOf(plan, group), proration);
      const revenueStatus = figureStatus(revenueRequired, revenueActual, revenuePace, share);
      results.push({
        period: period.key,
        group,
        status: worstStatus([...stages.map((s) => s.status), revenueStatus]),
        stages,
        revenue: { required: revenueRequired, actual: revenueActual, pace: revenuePace },
        prorated: proration,
      });
    }
  }

  const current = plan.periods.of(asOf).key;
  const currentCells = results.filter((r) => r.period === current);
  const overall = derive(tally, groups.length === 1 ? groups[0]! : NO_GROUP);
  const stages: GoalStageResult[] = plan.stages.map((s, i) => {
    const requiredSum = currentCells.reduce<number | null>((sum, c) => (sum === null || c.stages[i]!.required === null ? null : sum + c.stages[i]!.required!), 0);
    return {
      definition: s.definition.id,
      required: currentCells.length > 0 ? requiredSum : overall.stages[i]!.required,
      actual: currentCells.reduce((sum, c) => sum + c.stages[i]!.actual, 0),
      rate: overall.stages[i]!.rate,
      rateSource: overall.stages[i]!.rateSource,
      rateLeads: overall.stages[i]!.rateLeads,
    };
  });
  return {
    id: plan.id,
    title: plan.title ?? null,
    owners: plan.owners,
    per: plan.periods.unit!,
    by: plan.by.map((f) => f.name),
    currency: plan.currency,
    revenue: plan.revenue,
    averageDeal: overall.averageDeal,
    status: worstStatus(results.map((r) => r.status)),
    stages,
    results,
  };
}

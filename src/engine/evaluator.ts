import { deadlineOf } from "./calendar.js";
import { goalResults, GoalTally } from "./goals.js";
import { CellTable } from "./cells.js";
import { groupKey } from "./groups.js";
import type { Value } from "./ir.js";
import type { PeriodSlot } from "./periods.js";
import type { EvalPlan, FieldPlan, SlaPlan } from "./plan.js";
import { ACTIVITY_SLOT, isLeadLevelSla, judgedFromOf } from "./plan.js";
import { Int32List } from "./int-list.js";
import { classify, type Predicate } from "./predicate.js";
import type { LeadOutcome, SlaCell, SlaResult, Status, Target } from "./result.js";
import { leadOutcome, touchFilterOf, touchVerdict } from "./judge.js";
import { assertNever } from "../lang/never.js";
import { worstStatus } from "./result.js";
import { countStatus, elapsedShare, leadLevelStatus, rateStatus } from "./status.js";

interface Cell {
  period: PeriodSlot;
  group: string;
  leads: number;
  hits: number;
  met: number;
  breached: number;
  pending: number;
}

/** Per-SLA state. Lead-level SLAs keep a few numbers per tracked lead, in flat arrays. */
class SlaTally {
  readonly cells = new CellTable<Cell>((period, group) => ({ period, group, leads: 0, hits: 0, met: 0, breached: 0, pending: 0 }));
  readonly noClock = new Map<string, number>();
  /** Groups of leads that are in no cell (no clock, or before the effective date); the rest are in `cells`. */
  readonly groupsOutsideCells = new Set<string>();
  readonly clock: number[] = [];
  readonly deadline: number[] = [];
  readonly cellOf: Cell[] = [];
  readonly firstTouch: number[] = [];
  readonly touches: number[] = [];
  readonly leadIds: string[] = [];
  readonly touchFilter: Predicate | null;

  constructor(readonly plan: SlaPlan) {
    this.touchFilter = touchFilterOf(plan);
  }
}

export interface LeadRecordOutcome {
  definitions: string[];
  slas: Record<string, LeadOutcome>;
}

export interface EvaluatorOptions {
  asOf: number;
  /** Keep every lead's definitions and SLA outcomes (policy tests, diff); costs memory per lead. */
  keepLeadOutcomes?: boolean;
  /** About how many leads will be added, when known: lists kept per lead are made that long at once. */
  expectedLeads?: number;
}

/**
 * Evaluates a snapshot streamed lead by lead, then activity by activity (SPEC §4). Pure: the
 * caller reads and converts the records. Memory grows with the leads that a lead-level SLA is
 * still tracking and with the number of periods and groups, not with the input size.
 */
export class Evaluator {
  private readonly defs: boolean[];
  private readonly definitionCounts: number[];
  private readonly slaTallies: SlaTally[];
  private readonly goalTallies: GoalTally[];
  /**
   * The lead-level SLAs tracking each lead, as (SLA, entry) pairs in `trackedSla`/`trackedEntry`.
   * A lead's pairs are added together, so lead n's run from `trackedFrom[n]` to
   * `trackedFrom[n + 1]`: flat lists of integers, not a map and an array per lead.
   */
  private readonly trackedFrom: Int32List;
  private readonly trackedSla = new Int32List();
  private readonly trackedEntry = new Int32List();
  private readonly judgedFrom: number;
  readonly inForce: boolean;
  readonly leadOutcomes = new Map<string, LeadRecordOutcome>();
  leadsBeforeEffective = 0;
  activitiesAfterAsOf = 0;

  constructor(
    readonly plan: EvalPlan,
    private readonly options: EvaluatorOptions,
  ) {
    this.trackedFrom = new Int32List((options.expectedLeads ?? 0) + 1);
    this.trackedFrom.push(0);
    this.defs = new Array<boolean>(plan.definitions.length).fill(false);
    this.definitionCounts = new Array<number>(plan.definitions.length).fill(0);
    this.slaTallies = plan.slas.map((s) => new SlaTally(s));
    this.goalTallies = plan.goals.map((g) => new GoalTally(g, options.asOf));
    const effective = plan.agreement.effectiveMs;
    // Before the agreement takes effect, results are a preview: nothing is left out.
    this.inForce = effective === undefined || options.asOf >= effective;
    this.judgedFrom = judgedFromOf(plan, options.asOf);
  }

  /**
   * Classifies one lead and adds it to every SLA and goal it belongs to. Returns the lead's
   * number (0, 1, 2… in the order added), by which its activities are added.
   */
  addLead(id: string, values: readonly Value[]): number {
    return this.addClassifiedLead(id, values, classify(this.plan.definitions, values, this.defs));
  }

  /**
   * addLead for a lead whose definitions were decided elsewhere (by `classify`, on another
   * thread): `defs[d.index]` for each definition. Of `values` only the slots named by
   * slotsReadAfterClassifying are read.
   */
  addClassifiedLead(id: string, values: readonly Value[], defs: readonly boolean[]): number {
    for (let d = 0; d < defs.length; d++) if (defs[d]) this.definitionCounts[d]!++;
    const keep = this.options.keepLeadOutcomes === true;
    const outcome: LeadRecordOutcome | undefined = keep
      ? { definitions: this.plan.definitions.filter((d) => defs[d.index]).map((d) => d.id), slas: {} }
      : undefined;
    if (outcome) this.leadOutcomes.set(id, outcome);

    for (let s = 0; s < this.slaTallies.length; s++) {
      const tally = this.slaTallies[s]!;
      const sla = tally.plan;
      if (!defs[sla.population.index]) continue;
      const group = groupKey(values, sla.by);
      const clock = values[sla.clock.slot];
      if (typeof clock !== "number") {
        tally.noClock.set(group, (tally.noClock.get(group) ?? 0) + 1);
        tally.groupsOutsideCells.add(group);
        if (outcome) outcome.slas[sla.id] = "no_clock";
        continue;
      }
      if (clock < this.judgedFrom) {
        this.leadsBeforeEffective++;
        tally.groupsOutsideCells.add(group);
        continue;
      }
      const cell = tally.cells.get(sla.periods.of(clock), group);
      cell.leads++;
      switch (sla.kind) {
        case "count":
          continue;
        case "rate":
          if (defs[sla.rateOf.index]) cell.hits++;
          continue;
        case "firstTouch":
        case "touches":
          break;
        default:
          assertNever(sla);
      }

      const entry = tally.clock.length;
      tally.clock.push(clock);
      tally.deadline.push(deadlineOf(clock, sla.window));
      tally.cellOf.push(cell);
      tally.firstTouch.push(Infinity);
      tally.touches.push(0);
      // Lead ids are kept only when outcomes per lead are wanted: a million strings is memory.
      if (keep) tally.leadIds.push(id);
      this.trackedSla.push(s);
      this.trackedEntry.push(entry);
    }

    for (const goal of this.goalTallies) goal.add(values, defs, this.judgedFrom);
    this.trackedFrom.push(this.trackedSla.length);
    return this.trackedFrom.length - 2;
  }

  /** Adds one activity (values in ACTIVITY_SLOTS order) of the lead numbered `lead` by addLead. */
  addActivity(lead: number, values: readonly Value[]): void {
    const at = values[ACTIVITY_SLOT.at];
    if (typeof at !== "number") return;
    const asOf = this.options.asOf;
    if (at > asOf) {
      // Not yet happened as of the snapshot's instant (e.g. with an earlier --as-of).
      this.activitiesAfterAsOf++;
      return;
    }
    // judgeLead's fold, kept in the tally's per-lead numbers.
    const end = this.trackedFrom.at(lead + 1);
    for (let i = this.trackedFrom.at(lead); i < end; i++) {
      const tally = this.slaTallies[this.trackedSla.at(i)]!;
      const entry = this.trackedEntry.at(i);
      const verdict = touchVerdict(tally.touchFilter, tally.clock[entry]!, tally.deadline[entry]!, asOf, at, values);
      if (verdict !== "in_window" && verdict !== "after_window") continue;
      if (at < tally.firstTouch[entry]!) tally.firstTouch[entry] = at;
      if (verdict === "in_window") tally.touches[entry]!++;
    }
  }

  finish(): { definitions: Record<string, number>; slas: SlaResult[]; goals: ReturnType<typeof goalResults>[] } {
    const asOf = this.options.asOf;
    const slas = this.slaTallies.map((tally) => this.slaResult(tally, asOf));
    const definitions: Record<string, number> = {};
    for (const d of this.plan.definitions) definitions[d.id] = this.definitionCounts[d.index]!;
    return { definitions, slas, goals: this.goalTallies.map((g) => goalResults(g, asOf, this.judgedFrom)) };
  }

  private slaResult(tally: SlaTally, asOf: number): SlaResult {
    const sla = tally.plan;
    if (isLeadLevelSla(sla)) {
      for (let i = 0; i < tally.clock.length; i++) {
        const outcome = leadOutcome(sla, tally.firstTouch[i]!, tally.touches[i]!, tally.deadline[i]!, asOf);
        const cell = tally.cellOf[i]!;
        cell[outcome === "met" ? "met" : outcome === "breached" ? "breached" : "pending"]++;
        const kept = this.leadOutcomes.get(tally.leadIds[i]!);
        if (kept) kept.slas[sla.id] = outcome;
      }
    }

    // Count SLAs report every period up to as_of for every group, zeros included: no MQLs is a result.
    if (sla.kind === "count" && sla.periods.unit !== undefined && tally.cells.all.length > 0) {
      const starts = tally.cells.all.map((c) => c.period.start);
      const first = Math.max(Math.min(...starts), this.judgedFrom);
      const groups = new Set([...tally.cells.all.map((c) => c.group), ...tally.groupsOutsideCells]);
      for (const period of sla.periods.range(first, asOf)) for (const group of groups) tally.cells.get(period, group);
    }

    const cells: SlaCell[] = tally.cells.all
      .filter((c) => c.period.end > this.judgedFrom)
      .sort((a, b) => a.period.start - b.period.start || a.group.localeCompare(b.group))
      .map((c) => this.cellResult(sla, c, tally, asOf));

    const totals = { met: 0, breached: 0, pending: 0, noClock: 0, leads: 0 };
    for (const c of cells) {
      totals.met += c.met;
      totals.breached += c.breached;
      totals.pending += c.pending;
      totals.leads += c.leads;
    }
    for (const n of tally.noClock.values()) totals.noClock += n;
    const status = worstStatus(cells.map((c) => c.status));
    const value = isLeadLevelSla(sla) ? metShare(totals.met, totals.breached) : decidingValue(cells, status);

    return {
      id: sla.id,
      title: sla.title ?? null,
      owner: sla.owner,
      severity: sla.severity,
      kind: sla.kind,
      expectation: sla.expectation,
      population: sla.population.id,
      clock: sla.clock.name,
      per: sla.periods.unit ?? null,
      by: sla.by.map((f) => f.name),
      status,
      target: targetOf(sla),
      value,
      totals,
      results: cells,
    };
  }

  private cellResult(sla: SlaPlan, c: Cell, tally: SlaTally, asOf: number): SlaCell {
    const share = elapsedShare(c.period.start, c.period.end, asOf);
    // A lead without a clock time has no period: it shows in the all-time result, and in the totals.
    const noClock = c.period.key === "all" ? tally.noClock.get(c.group) ?? 0 : 0;
    const base = {
      period: c.period.key,
      periodStart: Number.isFinite(c.period.start) ? new Date(c.period.start).toISOString() : null,
      periodEnd: Number.isFinite(c.period.end) ? new Date(c.period.end).toISOString() : null,
      group: c.group,
      leads: c.leads,
      met: c.met,
      breached: c.breached,
      pending: c.pending,
      noClock,
    };
    switch (sla.kind) {
      case "count": {
        const { status, pace } = countStatus(sla.op, c.leads, sla.threshold, share);
        return { ...base, status, value: c.leads, pace };
      }
      case "rate":
        return {
          ...base,
          status: rateStatus(sla.op, c.hits, c.leads, sla.threshold, share),
          value: c.leads > 0 ? c.hits / c.leads : null,
          pace: null,
        };
      case "firstTouch":
      case "touches":
        return {
          ...base,
          status: leadLevelStatus(c.met, c.breached, c.pending, sla.target, share),
          value: metShare(c.met, c.breached),
          pace: null,
        };
      default:
        return assertNever(sla);
    }
  }
}

/** Lead-level compliance: met / (met + breached); null while nothing is decided. */
function metShare(met: number, breached: number): number | null {
  return met + breached > 0 ? met / (met + breached) : null;
}

function targetOf(sla: SlaPlan): Target {
  switch (sla.kind) {
    case "count":
      return { op: sla.op, value: sla.threshold, unit: "leads" };
    case "rate":
      return { op: sla.op, value: sla.threshold, unit: "ratio" };
    case "firstTouch":
    case "touches":
      return { op: ">=", value: sla.target, unit: "ratio" };
    default:
      return assertNever(sla);
  }
}

/** The value of the latest result that has the SLA's status: what a reader should look at first. */
function decidingValue(cells: readonly SlaCell[], status: Status): number | null {
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i]!.status === status) return cells[i]!.value;
  return null;
}

import { goalResults, GoalTally } from "./goals.js";
import { CellTable } from "./cells.js";
import { groupKey, NO_GROUP } from "./groups.js";
import type { Value } from "./ir.js";
import { prorationOf, proratedTarget, type PeriodSlot } from "./periods.js";
import type { EvalPlan, FieldPlan, LeadLevelSla, SlaPlan } from "./plan.js";
import { ACTIVITY_SLOT, isLeadLevelSla, judgedFromOf } from "./plan.js";
import { Int32List } from "./int-list.js";
import { sortByDeadline } from "./lead-order.js";
import { classify, type Predicate } from "./predicate.js";
import type { AppliedWaiver, JudgedLead, LeadList, LeadOutcome, Sample, SlaCell, SlaResult, Status, Target, WaivedLeadList } from "./result.js";
import { deadlineOf } from "./calendar.js";
import { isoInstant } from "./time.js";
import { deadlineFor, leadOutcome, touchFilterOf, touchVerdict, waiverExpired, waiverOf } from "./judge.js";
import { keptLeadValues, NO_LEAD_VALUES, touchFilterLeadSlots } from "./lead-rules.js";
import { assertNever } from "../lang/never.js";
import { slaTotals, worstStatus } from "./result.js";
import { countStatus, elapsedShare, leadLevelStatus, rateStatus, sampleStatus, wilsonInterval } from "./status.js";

interface Cell {
  period: PeriodSlot;
  group: string;
  leads: number;
  hits: number;
  met: number;
  breached: number;
  pending: number;
  /** Lead-level SLAs: the entries (in SlaTally's lists) breached and still pending, made by finish. */
  breachedEntries: number[];
  pendingEntries: number[];
  /** Leads a waiver excused: their entries in SlaTally.waived. */
  waived: number;
  waivedEntries: number[];
}

/** A lead's row in `--format csv` (SPEC §8.1): times are epoch milliseconds, null where nothing applies. */
export interface LeadRow {
  sla: string;
  period: string;
  group: string;
  lead: string;
  outcome: LeadOutcome | "counted";
  clock: number | null;
  deadline: number | null;
  firstTouch: number | null;
  touches: number | null;
}

/** Outcomes by code in SlaTally.outcome. */
const OUTCOME_CODES: readonly LeadOutcome[] = ["met", "breached", "pending"];

/** Per-SLA state. Lead-level SLAs keep a few numbers per tracked lead, in flat arrays. */
class SlaTally {
  readonly cells = new CellTable<Cell>((period, group) => ({ period, group, leads: 0, hits: 0, met: 0, breached: 0, pending: 0, breachedEntries: [], pendingEntries: [], waived: 0, waivedEntries: [] }));
  readonly noClock = new Map<string, number>();
  /**
   * Count SLAs: the groups the snapshot names (every lead's, in the population or not) and the
   * `one of` lists name; each gets a result in every period, 0 when no lead of it counts.
   */
  readonly namedGroups: Set<string>;
  /** The last group added to namedGroups: leads of one group often come together. */
  lastNamedGroup: string | undefined;
  readonly clock: number[] = [];
  readonly deadline: number[] = [];
  readonly cellOf: Cell[] = [];
  readonly firstTouch: number[] = [];
  readonly touches: number[] = [];
  readonly touchFilter: Predicate | null;
  /** The lead slots the touch filter reads (`lead.NAME`), and each tracked lead's values there (else one shared empty list). */
  readonly leadSlots: number[];
  readonly leadValues: Array<readonly Value[]> = [];
  /** The number (addLead's) of each tracked lead: its id is found by it when reports name leads. */
  readonly lead = new Int32List();
  /** Each tracked lead's outcome, by its code in OUTCOME_CODES; set by finish. */
  outcome = new Uint8Array(0);
  /** Kept for the CSV only (keepLeadRows): leads counted by a count or rate SLA, and leads with no clock. */
  readonly counted = { lead: new Int32List(), clock: [] as number[], cell: [] as Cell[] };
  readonly noClockLeads = { lead: new Int32List(), group: [] as string[] };
  /** Leads a waiver excused (SPEC §8.4): each one's number, clock, deadline, cell and waiver (its index in the SLA's waivers). */
  readonly waived = { lead: new Int32List(), clock: [] as number[], deadline: [] as number[], cell: [] as Cell[], waiver: [] as number[] };

  constructor(readonly plan: SlaPlan) {
    this.touchFilter = touchFilterOf(plan);
    this.leadSlots = touchFilterLeadSlots(plan);
    this.namedGroups = new Set(plan.kind === "count" ? oneOfGroups(plan.by) : []);
  }
}

/** What evaluating the waivers found (W0702, W0703): waivers expired at as_of, and ids named that no lead has. */
export interface WaiverFindings {
  expired: Array<{ waiver: string; until: string }>;
  unknownLeads: Array<{ waiver: string; lead: string }>;
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
  /**
   * The id of the lead numbered n by addLead, when the caller keeps the ids (the snapshot
   * loader's IdMap holds a million in a few bytes each); else the evaluator keeps them.
   */
  leadIds?: (n: number) => string;
  /** The breached and pending leads listed per result: the first N (default: all). */
  leadsPerResult?: number;
  /** Keep what leadRows needs for the counted and no-clock rows too (`--format csv`). */
  keepLeadRows?: boolean;
  /**
   * The slice of time this plan judges, when it is one version of several (`eval --versions`,
   * engine/versions.ts): leads whose clock starts in [from, until), and the parts of periods in
   * it. Default: from the effective date on (judgedFromOf), for ever.
   */
  window?: { from: number; until: number };
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
  /** Exclusive: a later version judges from here on (`window`); Infinity otherwise. */
  private readonly judgedUntil: number;
  /** Ids by lead number, when the caller does not keep them (options.leadIds). */
  private readonly ownIds: string[] = [];
  private readonly idOf: (n: number) => string;
  readonly inForce: boolean;
  readonly leadOutcomes = new Map<string, LeadRecordOutcome>();
  leadsBeforeEffective = 0;
  /** Lead ids that waivers in force name, and those of them the snapshot has (W0702). */
  private readonly waiverLeadIds: ReadonlySet<string>;
  private readonly waiverLeadsSeen = new Set<string>();
  /** Leads (once per SLA) whose clock starts after as_of: left out of every count, rate and judgement. */
  leadClocksAfterAsOf = 0;
  activitiesAfterAsOf = 0;
  /** Lead clocks (once per SLA) at or after the window's end: a later version judges them. */
  leadClocksAfterWindow = 0;

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
    this.judgedFrom = options.window?.from ?? judgedFromOf(plan, options.asOf);
    this.judgedUntil = options.window?.until ?? Infinity;
    this.idOf = options.leadIds ?? ((n) => this.ownIds[n]!);
    this.waiverLeadIds = new Set(plan.waivers.flatMap((w) => (w.leads.kind === "ids" && !waiverExpired(w, options.asOf) ? w.leads.ids : [])));
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
    if (!this.options.leadIds) this.ownIds.push(id);
    const leadNumber = this.trackedFrom.length - 1;
    const keepRows = this.options.keepLeadRows === true;
    if (this.waiverLeadIds.size > 0 && this.waiverLeadIds.has(id)) this.waiverLeadsSeen.add(id);

    for (let s = 0; s < this.slaTallies.length; s++) {
      const tally = this.slaTallies[s]!;
      const sla = tally.plan;
      const counting = sla.kind === "count" && sla.by.length > 0;
      if (!defs[sla.population.index] && !counting) continue;
      const group = groupKey(values, sla.by);
      if (counting && group !== tally.lastNamedGroup) {
        tally.namedGroups.add(group);
        tally.lastNamedGroup = group;
      }
      if (!defs[sla.population.index]) continue;
      const clock = values[sla.clock.slot];
      if (typeof clock !== "number") {
        tally.noClock.set(group, (tally.noClock.get(group) ?? 0) + 1);
        if (outcome) outcome.slas[sla.id] = "no_clock";
        if (keepRows) {
          tally.noClockLeads.lead.push(leadNumber);
          tally.noClockLeads.group.push(group);
        }
        continue;
      }
      if (clock < this.judgedFrom) {
        this.leadsBeforeEffective++;
        continue;
      }
      if (clock >= this.judgedUntil) {
        this.leadClocksAfterWindow++;
        continue;
      }
      if (clock > this.options.asOf) {
        // --as-of cuts everything (SPEC §8.1): a clock that starts after it has not started yet.
        this.leadClocksAfterAsOf++;
        continue;
      }
      const cell = tally.cells.get(sla.periods.of(clock), group);
      cell.leads++;
      if (keepRows && !isLeadLevelSla(sla)) {
        tally.counted.lead.push(leadNumber);
        tally.counted.clock.push(clock);
        tally.counted.cell.push(cell);
      }
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
      if (sla.waivers.length > 0 && this.waive(tally, sla, { id, values, defs, clock, cell, leadNumber }, outcome)) continue;

      const entry = tally.clock.length;
      tally.clock.push(clock);
      tally.deadline.push(deadlineFor(sla, clock, values));
      tally.cellOf.push(cell);
      tally.firstTouch.push(Infinity);
      tally.touches.push(0);
      tally.lead.push(leadNumber);
      if (tally.leadSlots.length > 0) tally.leadValues.push(keptLeadValues(values, tally.leadSlots));
      this.trackedSla.push(s);
      this.trackedEntry.push(entry);
    }

    for (const goal of this.goalTallies) goal.add(values, defs, this.judgedFrom, this.judgedUntil);
    this.trackedFrom.push(this.trackedSla.length);
    return this.trackedFrom.length - 2;
  }

  // Figures a database engine aggregated (engine/aggregate.ts): the same tallies as addLead and
  // addActivity fill, a cell or a tracked lead at a time, so finish() judges them alike.

  /** `leads` leads of a count or rate SLA counted in the period holding `at`, in `group`; `hits` of them in its rate's definition. */
  addCounted(sla: number, at: number, group: string, leads: number, hits: number): void {
    const tally = this.slaTallies[sla]!;
    const cell = tally.cells.get(tally.plan.periods.of(at), group);
    cell.leads += leads;
    cell.hits += hits;
  }

  addNoClock(sla: number, group: string, leads: number): void {
    const noClock = this.slaTallies[sla]!.noClock;
    noClock.set(group, (noClock.get(group) ?? 0) + leads);
  }

  /** A group some lead is in, for a count SLA's zero results. */
  addNamedGroup(sla: number, group: string): void {
    const tally = this.slaTallies[sla]!;
    if (tally.plan.kind === "count" && tally.plan.by.length > 0) tally.namedGroups.add(group);
  }

  addDefinitionCount(definition: number, leads: number): void {
    this.definitionCounts[definition]! += leads;
  }

  /**
   * A lead a lead-level SLA judges (its clock in force and not after as_of), counted in its
   * cell; returns its entry, whose deadline `deadlineOfEntry` gives and `setTouches` fills.
   */
  addTracked(sla: number, lead: number, clock: number, group: string): number {
    const tally = this.slaTallies[sla]!;
    if (!isLeadLevelSla(tally.plan)) throw new Error("internal: addTracked on a count or rate SLA");
    // A per-lead calendar needs the lead's values: such SLAs are judged in memory (lead-rules.ts leadRuleNotInSql).
    if (tally.plan.calendarBy !== null) throw new Error("internal: a per-lead calendar reached addTracked");
    const cell = tally.cells.get(tally.plan.periods.of(clock), group);
    cell.leads++;
    tally.clock.push(clock);
    tally.deadline.push(deadlineOf(clock, tally.plan.window));
    tally.cellOf.push(cell);
    tally.firstTouch.push(Infinity);
    tally.touches.push(0);
    tally.lead.push(lead);
    return tally.clock.length - 1;
  }

  deadlineOfEntry(sla: number, entry: number): number {
    return this.slaTallies[sla]!.deadline[entry]!;
  }

  /** A tracked lead's first touch (at or after its clock, not after as_of) and touches in its window. */
  setTouches(sla: number, entry: number, firstTouch: number, touches: number): void {
    const tally = this.slaTallies[sla]!;
    tally.firstTouch[entry] = firstTouch;
    tally.touches[entry] = touches;
  }

  /** `leads` leads entering a goal's stage in the period holding `at` (not after as_of), in `group`; `judged`: at or after the effective date. */
  addGoalCounts(goal: number, stage: number, at: number, group: string, judged: boolean, leads: number, revenue: number): void {
    this.goalTallies[goal]!.addCounts(stage, at, group, judged, leads, revenue);
  }

  /** Records a lead a waiver excuses from a lead-level SLA (judge.ts waiverOf), instead of tracking its touches. */
  private waive(
    tally: SlaTally,
    sla: LeadLevelSla,
    lead: { id: string; values: readonly Value[]; defs: readonly boolean[]; clock: number; cell: Cell; leadNumber: number },
    outcome: LeadRecordOutcome | undefined,
  ): boolean {
    const waiver = waiverOf(sla.waivers, lead.id, lead.values, lead.defs, lead.clock, this.options.asOf);
    if (waiver === null) return false;
    const w = tally.waived;
    lead.cell.waived++;
    lead.cell.waivedEntries.push(w.lead.length);
    w.lead.push(lead.leadNumber);
    w.clock.push(lead.clock);
    w.deadline.push(deadlineFor(sla, lead.clock, lead.values));
    w.cell.push(lead.cell);
    w.waiver.push(sla.waivers.indexOf(waiver));
    if (outcome) outcome.slas[sla.id] = "waived";
    return true;
  }

  /** Waivers expired at as_of (W0703), and lead ids that waivers in force name but no lead of the snapshot has (W0702). */
  waiverFindings(): WaiverFindings {
    const asOf = this.options.asOf;
    return {
      expired: this.plan.waivers.filter((w) => waiverExpired(w, asOf)).map((w) => ({ waiver: w.id, until: w.until })),
      unknownLeads: this.plan.waivers.flatMap((w) =>
        w.leads.kind === "ids" && !waiverExpired(w, asOf) ? w.leads.ids.filter((lead) => !this.waiverLeadsSeen.has(lead)).map((lead) => ({ waiver: w.id, lead })) : [],
      ),
    };
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
      const lead = tally.leadSlots.length > 0 ? tally.leadValues[entry]! : NO_LEAD_VALUES;
      const verdict = touchVerdict(tally.touchFilter, tally.clock[entry]!, tally.deadline[entry]!, asOf, at, values, lead);
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
    return { definitions, slas, goals: this.goalTallies.map((g) => goalResults(g, asOf, this.judgedFrom, this.judgedUntil)) };
  }

  private slaResult(tally: SlaTally, asOf: number): SlaResult {
    const sla = tally.plan;
    if (isLeadLevelSla(sla)) this.judgeLeads(tally, sla, asOf);

    if (sla.kind === "count") this.addZeroCounts(tally, asOf);

    const cells: SlaCell[] = tally.cells.all
      .filter((c) => c.period.end > this.judgedFrom && c.period.start < this.judgedUntil)
      // Groups that collate alike ("ann" and "\u200bann") by their code units: engines add groups in different orders.
      .sort((a, b) => a.period.start - b.period.start || a.group.localeCompare(b.group) || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0))
      .map((c) => this.cellResult(sla, c, tally, asOf));

    let noClock = 0;
    for (const n of tally.noClock.values()) noClock += n;
    const totals = slaTotals(cells, noClock);
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
      minimum: sla.kind === "count" ? null : sla.minimum,
      value,
      totals,
      waivers: isLeadLevelSla(sla) ? appliedWaivers(tally, sla, asOf) : [],
      results: cells,
    };
  }

  /** The first leadsPerResult waived leads of a result, by deadline (earliest first, then id), with their waiver. */
  private waivedList(tally: SlaTally, entries: number[]): WaivedLeadList {
    const limit = this.options.leadsPerResult ?? Infinity;
    const w = tally.waived;
    const waivers = isLeadLevelSla(tally.plan) ? tally.plan.waivers : [];
    const leads = sortByDeadline(entries, (i) => w.deadline[i]!, (i) => w.lead.at(i))
      .slice(0, limit)
      .map((i) => ({
        id: this.idOf(w.lead.at(i)),
        clock: isoInstant(w.clock[i]!),
        deadline: isoInstant(w.deadline[i]!),
        waiver: waivers[w.waiver[i]!]?.id ?? "",
      }));
    return { leads, leftOut: entries.length - leads.length };
  }

  /**
   * Zero is a number (SPEC §8.1): a count SLA has a result in every period in force up to
   * as_of, for every group named, 0 where no lead counted, so a typo or a dead lead source
   * breaches. Periods run from the effective date (else the first lead's period, else as_of's).
   */
  private addZeroCounts(tally: SlaTally, asOf: number): void {
    const sla = tally.plan;
    let first = Number.isFinite(this.judgedFrom) ? this.judgedFrom : Infinity;
    for (const c of tally.cells.all) if (c.period.start < first) first = Math.max(c.period.start, this.judgedFrom);
    if (first === Infinity) first = asOf;
    const groups = sla.by.length === 0 ? [NO_GROUP] : [...new Set([...tally.cells.all.map((c) => c.group), ...tally.namedGroups])];
    // A window ending before as_of: its last period is the one holding the window's last instant.
    const last = Math.min(asOf, this.judgedUntil - 1);
    if (first > last) return;
    for (const period of sla.periods.range(first, last)) for (const group of groups) tally.cells.get(period, group);
  }

  /** Decides each tracked lead's outcome, and counts and lists it in its result. */
  private judgeLeads(tally: SlaTally, sla: LeadLevelSla, asOf: number): void {
    tally.outcome = new Uint8Array(tally.clock.length);
    const keep = this.options.keepLeadOutcomes === true;
    for (let i = 0; i < tally.clock.length; i++) {
      const outcome = leadOutcome(sla, tally.firstTouch[i]!, tally.touches[i]!, tally.deadline[i]!, asOf);
      tally.outcome[i] = OUTCOME_CODES.indexOf(outcome);
      const cell = tally.cellOf[i]!;
      if (outcome === "met") cell.met++;
      else if (outcome === "breached") {
        cell.breached++;
        cell.breachedEntries.push(i);
      } else {
        cell.pending++;
        cell.pendingEntries.push(i);
      }
      const kept = keep ? this.leadOutcomes.get(this.idOf(tally.lead.at(i))) : undefined;
      if (kept) kept.slas[sla.id] = outcome;
    }
  }

  /** The first leadsPerResult of a result's entries, by deadline (earliest first, then id), and how many were left out. */
  private leadList(tally: SlaTally, entries: number[]): LeadList {
    const limit = this.options.leadsPerResult ?? Infinity;
    const leads = sortByDeadline(entries, (i) => tally.deadline[i]!, (i) => tally.lead.at(i))
      .slice(0, limit)
      .map((i): JudgedLead => {
        const first = tally.firstTouch[i]!;
        return {
          id: this.idOf(tally.lead.at(i)),
          clock: isoInstant(tally.clock[i]!),
          deadline: isoInstant(tally.deadline[i]!),
          firstTouch: Number.isFinite(first) ? isoInstant(first) : null,
          touches: tally.touches[i]!,
        };
      });
    return { leads, leftOut: entries.length - leads.length };
  }

  /**
   * Every judged lead's row, SLA by SLA (SPEC §8.1 `--format csv`), after finish: lead-level
   * SLAs' leads with their outcome; with keepLeadRows, also each lead a count or rate SLA
   * counted and each lead with no clock. A generator, so that a million rows are never held.
   */
  *leadRows(): Generator<LeadRow> {
    for (const tally of this.slaTallies) {
      const sla = tally.plan.id;
      for (let i = 0; i < tally.clock.length; i++) {
        const cell = tally.cellOf[i]!;
        const first = tally.firstTouch[i]!;
        yield {
          sla,
          period: cell.period.key,
          group: cell.group,
          lead: this.idOf(tally.lead.at(i)),
          outcome: OUTCOME_CODES[tally.outcome[i]!]!,
          clock: tally.clock[i]!,
          deadline: tally.deadline[i]!,
          firstTouch: Number.isFinite(first) ? first : null,
          touches: tally.touches[i]!,
        };
      }
      const counted = tally.counted;
      for (let i = 0; i < counted.lead.length; i++) {
        const cell = counted.cell[i]!;
        yield { sla, period: cell.period.key, group: cell.group, lead: this.idOf(counted.lead.at(i)), outcome: "counted", clock: counted.clock[i]!, deadline: null, firstTouch: null, touches: null };
      }
      const waived = tally.waived;
      for (let i = 0; i < waived.lead.length; i++) {
        const cell = waived.cell[i]!;
        yield { sla, period: cell.period.key, group: cell.group, lead: this.idOf(waived.lead.at(i)), outcome: "waived", clock: waived.clock[i]!, deadline: waived.deadline[i]!, firstTouch: null, touches: null };
      }
      const noClock = tally.noClockLeads;
      for (let i = 0; i < noClock.lead.length; i++) {
        yield { sla, period: "", group: noClock.group[i]!, lead: this.idOf(noClock.lead.at(i)), outcome: "no_clock", clock: null, deadline: null, firstTouch: null, touches: null };
      }
    }
  }

  private cellResult(sla: SlaPlan, c: Cell, tally: SlaTally, asOf: number): SlaCell {
    // A period partly before the effective date is judged, and paced, on its days in force.
    const proration = prorationOf(c.period, this.judgedFrom, this.judgedUntil);
    const share = elapsedShare(Math.max(c.period.start, this.judgedFrom), Math.min(c.period.end, this.judgedUntil), asOf);
    // A lead without a clock time has no period: it shows in the all-time result, and in the totals.
    const noClock = c.period.key === "all" ? tally.noClock.get(c.group) ?? 0 : 0;
    const base = {
      period: c.period.key,
      periodStart: Number.isFinite(c.period.start) ? isoInstant(c.period.start) : null,
      periodEnd: Number.isFinite(c.period.end) ? isoInstant(c.period.end) : null,
      group: c.group,
      leads: c.leads,
      met: c.met,
      breached: c.breached,
      pending: c.pending,
      noClock,
      waived: c.waived,
      breachedLeads: this.leadList(tally, c.breachedEntries),
      pendingLeads: this.leadList(tally, c.pendingEntries),
      waivedLeads: this.waivedList(tally, c.waivedEntries),
    };
    switch (sla.kind) {
      case "count": {
        const threshold = proratedTarget(sla.threshold, proration);
        const { status, pace } = countStatus(sla.op, c.leads, threshold, share);
        return { ...base, status, value: c.leads, pace, sample: null, prorated: proration && { ...proration, target: threshold } };
      }
      case "rate":
        return {
          ...base,
          status: sampleStatus(rateStatus(sla.op, c.hits, c.leads, sla.threshold, share), c.leads, sla.minimum),
          value: c.leads > 0 ? c.hits / c.leads : null,
          pace: null,
          sample: sampleOf(c.hits, c.leads),
          prorated: null,
        };
      case "firstTouch":
      case "touches":
        return {
          ...base,
          status: sampleStatus(leadLevelStatus(c.met, c.breached, c.pending, sla.target, share), c.met + c.breached + c.pending, sla.minimum),
          value: metShare(c.met, c.breached),
          pace: null,
          sample: sampleOf(c.met, c.met + c.breached),
          prorated: null,
        };
      default:
        return assertNever(sla);
    }
  }
}

/** The waivers naming a lead-level SLA, with how many of its leads each excused. */
function appliedWaivers(tally: SlaTally, sla: LeadLevelSla, asOf: number): AppliedWaiver[] {
  const counts = new Array<number>(sla.waivers.length).fill(0);
  for (const i of tally.waived.waiver) counts[i]!++;
  return sla.waivers.map((w, i) => ({ id: w.id, title: w.title, until: w.until, expired: waiverExpired(w, asOf), leads: counts[i]! }));
}

/** The sample a share is measured on, with its 95% Wilson interval; null when empty. */
function sampleOf(hits: number, size: number): Sample | null {
  return size > 0 ? { size, ...wilsonInterval(hits, size) } : null;
}

/** Lead-level compliance: met / (met + breached); null while nothing is decided. */
export function metShare(met: number, breached: number): number | null {
  return met + breached > 0 ? met / (met + breached) : null;
}

export function targetOf(sla: SlaPlan): Target {
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

/** Most `one of` groups a count SLA lists by itself (every combination of its `by` fields' lists). */
const MAX_ONE_OF_GROUPS = 1_000;

/** The groups that `one of` lists name, when every `by` field has one: each value, or each combination. */
function oneOfGroups(by: readonly FieldPlan[]): string[] {
  let groups: string[] = [];
  for (const [i, f] of by.entries()) {
    if (f.oneOf === undefined) return [];
    const values = f.oneOf;
    groups = i === 0 ? [...values] : groups.flatMap((g) => values.map((v) => `${g} / ${v}`));
    if (groups.length > MAX_ONE_OF_GROUPS) return [];
  }
  return groups;
}

/** The value of the latest result that has the SLA's status: what a reader should look at first. */
export function decidingValue(cells: readonly SlaCell[], status: Status): number | null {
  for (let i = cells.length - 1; i >= 0; i--) if (cells[i]!.status === status) return cells[i]!.value;
  return null;
}

import { assembleResult, evaluationWarnings, type EvaluationWarning, type FailOn, type RunFigures } from "./assemble.js";
import { Evaluator, type LeadRecordOutcome, type LeadRow } from "./evaluator.js";
import { IdMap } from "./id-map.js";
import { Int32List } from "./int-list.js";
import { NamedIds } from "./named-ids.js";
import type { Value } from "./ir.js";
import { ACTIVITY_SLOT, type EvalPlan } from "./plan.js";
import type { EvaluationResult, FileInput, InputFigures, Reject } from "./result.js";
import { kindOfReasons, RowLog, type ReasonKind } from "./row-log.js";
import { show } from "./show.js";
import type { JudgeSink, JudgeTarget, RowSink, SnapshotSource } from "./source.js";
import type { LeadWatch } from "./watch.js";

/** What a run over a snapshot found: the figures the report is assembled from, and per-lead outcomes when asked. */
export interface SnapshotRun extends RunFigures {
  leadOutcomes: Map<string, LeadRecordOutcome>;
  /** Every judged lead's row (`--format csv`), read lazily. */
  leadRows: LeadRows;
}

/**
 * The rows of a finished run, made as they are read: a million leads' rows are never held at
 * once. Its one field is private (#), so two runs' figures compare equal by their data alone.
 */
export class LeadRows implements Iterable<LeadRow> {
  readonly #evaluator: Evaluator;

  constructor(evaluator: Evaluator) {
    this.#evaluator = evaluator;
  }

  [Symbol.iterator](): Iterator<LeadRow> {
    return this.#evaluator.leadRows();
  }
}

export interface RunOptions {
  asOf: number;
  /** Every row not used, as it is met (`eval --rejects FILE`): the file's name for the report, and where each row goes. */
  rowsNotUsed?: { name: string; write: (row: Reject) => void };
  /** Keep every lead's definitions and SLA outcomes (policy tests, diff); costs memory per lead. */
  keepLeadOutcomes?: boolean;
  /** The breached and pending leads listed per result: the first N (default: all). */
  leadsPerResult?: number;
  /** Keep the counted and no-clock leads' rows too (`--format csv`). */
  keepLeadRows?: boolean;
  /** The slice of time this plan judges when it is one version of several (engine/versions.ts). */
  window?: { from: number; until: number };
  /** One lead to look at closely as the rows stream (`explain`). */
  watch?: LeadWatch;
}

/**
 * The evaluation service: a plan evaluated over a source, assembled into the result every report
 * renders. No I/O of its own: the source reads.
 */
export async function evaluate(
  policy: { plan: EvalPlan; hash: string },
  source: SnapshotSource,
  options: RunOptions & { failOn: FailOn },
): Promise<{ result: EvaluationResult; run: SnapshotRun; warnings: EvaluationWarning[] }> {
  const run = await runPlan(policy.plan, source, options);
  const result = assembleResult(run, { asOf: options.asOf, plan: policy.plan, policyHash: policy.hash, failOn: options.failOn });
  return { result, run, warnings: evaluationWarnings(run, policy.plan) };
}

/**
 * Streams a source through the evaluator: leads first (each classified and reduced as it is
 * read), then activities. Every row is used or rejected with its input, line and reason.
 */
export async function runPlan(plan: EvalPlan, source: SnapshotSource, options: RunOptions): Promise<SnapshotRun> {
  const expectedLeads = await source.estimate();
  // Only leads that are used get a number, in the order added: the n-th id the sink's map holds is lead n.
  const leadNumbers = new IdMap(expectedLeads);
  const evaluator: Evaluator = new Evaluator(plan, {
    asOf: options.asOf,
    keepLeadOutcomes: options.keepLeadOutcomes ?? false,
    expectedLeads,
    // A judging source numbers the leads it names itself (JudgeSink.name).
    leadIds: (n: number): string => sink.named.get(n) ?? leadNumbers.nthKey(n),
    leadsPerResult: options.leadsPerResult,
    keepLeadRows: options.keepLeadRows,
    window: options.window,
  });
  const files: FileInput[] = source.inputs.map((i) => ({ file: i.name, kind: i.kind, read: 0, used: 0, rejected: 0, unmatched: 0 }));
  const sink: EvaluatorSink = new EvaluatorSink(evaluator, files, leadNumbers, expectedLeads, options.rowsNotUsed?.write);
  // A watched lead needs its rows streamed whole (explain): judged in the source, no row would pass.
  const judging = source.judge !== undefined && options.keepLeadOutcomes !== true && options.keepLeadRows !== true && !options.watch;
  const judged = judging ? await source.judge!(plan, sink, options.asOf) : null;
  const { naiveTimestamps, emptySlots } = judged ?? (await source.rows(plan, options.watch ? options.watch.sink(sink) : sink));

  const finished = evaluator.finish();
  const leadsUsed = files[0]?.used ?? 0;
  return {
    engine: source.engine,
    files,
    ...notUsed(sink, files),
    rejectsFile: options.rowsNotUsed?.name ?? null,
    naiveTimestamps,
    activitiesAfterAsOf: evaluator.activitiesAfterAsOf,
    leadsBeforeEffective: evaluator.leadsBeforeEffective,
    leadClocksAfterAsOf: evaluator.leadClocksAfterAsOf,
    inForce: evaluator.inForce,
    definitions: finished.definitions,
    slas: finished.slas,
    goals: finished.goals,
    ...emptyFields(plan, emptySlots, leadsUsed),
    waivers: evaluator.waiverFindings(),
    leadOutcomes: evaluator.leadOutcomes,
    leadRows: new LeadRows(evaluator),
  };
}

/** How many leads after the last one an activity's lead is looked for among (some leads have no activities). */
const LEADS_AHEAD = 4;
/**
 * After this many guesses in a row that missed, only one lookup in GUESS_EVERY guesses: in an
 * export not in the leads' order each miss reads two places the cache does not hold.
 */
const MISSES_BEFORE_RARE_GUESSES = 4;
const GUESS_EVERY = 16;

/**
 * Feeds converted rows to the evaluator: the first of two leads with one id is used, activities
 * find their lead by id. Rows not used are counted and the first of each kind kept (RowLog),
 * so memory stays bounded whatever the input's faults; each goes to `notUsed` as it is met.
 */
class EvaluatorSink implements RowSink, JudgeSink {
  readonly rejects: RowLog;
  readonly duplicates: RowLog;
  readonly unmatched: RowLog;
  unknownLeadActivities = 0;
  rejectedLeadActivities = 0;
  /**
   * The line each lead was first seen on, by its number (its id is in `leadNumbers`, every id
   * read with the number the evaluator gave it). Sized for the leads expected at once: grown by
   * copying, a million-entry list leaves its outgrown copies behind and faults in fresh pages.
   */
  private readonly firstLines: Int32List;
  /** The ids of rejected lead rows that had one, with the line of the first: their activities say so. */
  private readonly rejectedLeads = new IdMap();
  private readonly leadStats: FileInput;
  private readonly activityStats: FileInput | undefined;
  private lastLeadId: unknown;
  private lastLead: number | undefined;
  /** Guesses of an activity's lead (guessLead) that missed since the last that did not. */
  private missedGuesses = 0;
  /** Ids of the leads a judging source named, by its numbers. */
  readonly named = new NamedIds();

  constructor(
    private readonly evaluator: Evaluator,
    files: readonly FileInput[],
    private readonly leadNumbers: IdMap,
    expectedLeads: number,
    private readonly notUsed: ((row: Reject) => void) | undefined,
  ) {
    this.firstLines = new Int32List(expectedLeads);
    this.leadStats = files.find((f) => f.kind === "leads")!;
    this.activityStats = files.find((f) => f.kind === "activities");
    const order = new Map(files.map((f, i) => [f.file, i]));
    this.rejects = new RowLog(order);
    this.duplicates = new RowLog(order);
    this.unmatched = new RowLog(order);
    this.rejectedLeadKind = kindOfReasons((id) => rejectedLeadReason(id, this.leadStats.file, 1));
  }

  private readonly duplicateKind = kindOfReasons((id) => duplicateReason(id, 1));
  private readonly unknownLeadKind = kindOfReasons(unknownLeadReason);
  private readonly rejectedLeadKind: ReturnType<typeof kindOfReasons>;

  reject(kind: FileInput["kind"], line: number, reason: string, leadId?: string): void {
    const stats = kind === "leads" ? this.leadStats : this.activityStats!;
    stats.read++;
    stats.rejected++;
    this.rejects.add(stats.file, line, reason);
    this.notUsed?.({ file: stats.file, line, reason });
    if (leadId !== undefined && kind === "leads" && !this.rejectedLeads.has(leadId)) this.rejectedLeads.set(leadId, line);
  }

  lead(line: number, id: string, values: readonly Value[], definitions?: readonly boolean[]): boolean {
    const stats = this.leadStats;
    // The evaluator numbers leads 0, 1, 2… as they are added: the next one is leadNumbers.size.
    const first = this.leadNumbers.addNew(id, this.leadNumbers.size);
    if (first !== undefined) {
      this.duplicate(line, id, this.firstLines.at(first));
      return false;
    }
    stats.read++;
    const number = definitions ? this.evaluator.addClassifiedLead(id, values, definitions) : this.evaluator.addLead(id, values);
    if (number !== this.leadNumbers.size - 1) throw new Error("internal: lead numbers out of step");
    this.firstLines.push(line);
    stats.used++;
    return true;
  }

  get target(): JudgeTarget {
    return this.evaluator;
  }

  duplicate(line: number, id: string, firstLine: number): void {
    const stats = this.leadStats;
    stats.read++;
    const shown = show(id);
    const reason = duplicateReason(shown, firstLine);
    stats.rejected++;
    this.duplicates.add(stats.file, line, reason, this.duplicateKind(shown, reason));
    this.notUsed?.({ file: stats.file, line, reason });
  }

  used(kind: FileInput["kind"], rows: number): void {
    const stats = kind === "leads" ? this.leadStats : this.activityStats!;
    stats.read += rows;
    stats.used += rows;
  }

  name(lead: number, id: string): void {
    this.named.add(lead, id);
  }

  unmatchedActivity(line: number, leadId: string): void {
    const stats = this.activityStats!;
    stats.read++;
    this.unmatchedRow(stats, line, leadId);
  }

  activity(line: number, values: readonly Value[]): boolean {
    const stats = this.activityStats!;
    stats.read++;
    const leadId = values[ACTIVITY_SLOT.leadId];
    // A lead's activities mostly come together (exports sort by record or time): comparing
    // with the last id is cheaper than hashing and probing a table of a million. Sorted by
    // record, the next lead's are often next, as in the lead export: the few leads after the
    // last one are checked before the table (a probe that misses the cache at a million leads).
    let lead: number | undefined;
    if (leadId === this.lastLeadId) lead = this.lastLead;
    else if (typeof leadId === "string") {
      lead = this.guessLead(leadId) ?? this.leadNumbers.get(leadId);
      this.lastLeadId = leadId;
      this.lastLead = lead;
    }
    if (lead === undefined) {
      this.unmatchedRow(stats, line, String(leadId));
      return false;
    }
    this.evaluator.addActivity(lead, values);
    stats.used++;
    return true;
  }

  /** The lead numbered within LEADS_AHEAD after the last activity's with this id, if there is one and guessing pays. */
  private guessLead(id: string): number | undefined {
    if (this.missedGuesses >= MISSES_BEFORE_RARE_GUESSES && ++this.missedGuesses % GUESS_EVERY !== 0) return undefined;
    const last = this.lastLead ?? -1;
    for (let n = last + 1; n <= last + LEADS_AHEAD; n++) {
      if (this.leadNumbers.isNth(n, id)) {
        this.missedGuesses = 0;
        return n;
      }
    }
    this.missedGuesses++;
    return undefined;
  }

  /** An activity whose lead is not among those used: not a reject (SPEC §8.2), but listed, with why. */
  private unmatchedRow(stats: FileInput, line: number, leadId: string): void {
    stats.unmatched++;
    const rejectedOn = this.rejectedLeads.size > 0 ? this.rejectedLeads.get(leadId) : undefined;
    const shown = show(leadId);
    let reason: string;
    let kind: ReasonKind;
    if (rejectedOn === undefined) {
      this.unknownLeadActivities++;
      reason = unknownLeadReason(shown);
      kind = this.unknownLeadKind(shown, reason);
    } else {
      this.rejectedLeadActivities++;
      reason = rejectedLeadReason(shown, this.leadStats.file, rejectedOn);
      kind = this.rejectedLeadKind(shown, reason);
    }
    this.unmatched.add(stats.file, line, reason, kind);
    this.notUsed?.({ file: stats.file, line, reason });
  }
}

// Reasons for rows not used, each with its kind worked out once (RowLog counts a million by kind).
const duplicateReason = (shownId: string, firstLine: number) => `duplicate lead id '${shownId}' (first on line ${firstLine}); the first one is used`;
const unknownLeadReason = (shownId: string) => `activity for lead '${shownId}', which is not in the lead export (unmatched)`;
const rejectedLeadReason = (shownId: string, leadFile: string, line: number) => `activity for lead '${shownId}', whose row was rejected (${leadFile} line ${line})`;
/** For the tests that hold each kind worked out once to reasonKind's. */
export const NOT_USED_REASONS = { duplicateReason, unknownLeadReason, rejectedLeadReason };

/** The rows not used, as the report gives them: the first of each kind in file and line order, and counts. */
function notUsed(sink: EvaluatorSink, files: readonly FileInput[]): Pick<InputFigures, "rejects" | "rejectReasons" | "duplicateLeadIds" | "unknownLeadActivities" | "rejectedLeadActivities" | "unmatchedActivities"> {
  const order = new Map(files.map((f, i) => [f.file, i]));
  const rejects = [...sink.rejects.first(), ...sink.duplicates.first()].sort((a, b) => order.get(a.file)! - order.get(b.file)! || a.line - b.line);
  const rejectReasons = [...sink.rejects.byReason(), ...sink.duplicates.byReason()].sort((a, b) => b.count - a.count);
  return {
    rejects,
    rejectReasons,
    duplicateLeadIds: sink.duplicates.count,
    unknownLeadActivities: sink.unknownLeadActivities,
    rejectedLeadActivities: sink.rejectedLeadActivities,
    unmatchedActivities: sink.unmatched.first(),
  };
}

/**
 * The fields no lead had a value in: those of `by` (W0103: every lead falls in one group), and
 * the others (W0106: every condition on them is false; most often a column the export lacks
 * or named differently). With no lead at all, only the first are said.
 */
function emptyFields(plan: EvalPlan, emptySlots: readonly number[], leadsUsed: number): Pick<RunFigures, "emptyGroupFields" | "emptyFields"> {
  const empty = new Set(emptySlots);
  const grouping = new Set(plan.slas.flatMap((s) => s.by).concat(plan.goals.flatMap((g) => g.by)).map((f) => f.name));
  return {
    emptyGroupFields: plan.fields.filter((f) => grouping.has(f.name) && empty.has(f.slot)).map((f) => f.name),
    emptyFields: leadsUsed === 0 ? [] : plan.fields.filter((f) => !grouping.has(f.name) && empty.has(f.slot)).map((f) => f.name),
  };
}

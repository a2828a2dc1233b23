import type { Evaluator } from "./evaluator.js";
import type { Value } from "./ir.js";
import type { EngineName } from "./result.js";
import type { EvalPlan } from "./plan.js";

/**
 * Where converted rows go, leads first, then activities: what a snapshot source streams into.
 */
export interface RowSink {
  /**
   * A lead row that converted; `values` by field slot, possibly reused for the next row: read
   * what you need before returning. `definitions`: when the source classified the lead itself
   * (on another thread), which definitions it is in, by index; `values` then holds only the
   * slots slotsReadAfterClassifying names. Returns whether the row was used: a second row with
   * an id already used is not, and the source then leaves its times out of `naiveTimestamps`.
   */
  lead(line: number, id: string, values: readonly Value[], definitions?: readonly boolean[]): boolean;
  /**
   * An activity row that converted; `values` by activity slot, possibly reused for the next row.
   * Returns whether it was used: one whose lead is not among those used is not.
   */
  activity(line: number, values: readonly Value[]): boolean;
  /**
   * A row that could not be read or converted. `leadId`: a lead row's id, when it had one, so
   * that its activities are named as those of a rejected lead rather than of an unknown one.
   */
  reject(kind: SourceInput["kind"], line: number, reason: string, leadId?: string): void;
}

/** One input of a source (a file, a table): named in rejects and in the report's input table. */
export interface SourceInput {
  name: string;
  kind: "leads" | "activities";
}

/** What streaming a source found besides its rows. */
export interface SourceEnd {
  /**
   * Timestamps read without an offset (SPEC §3), in the rows used only: not in a rejected row,
   * a duplicate id's later row or an activity whose lead is not used (docs/snapshots.md).
   */
  naiveTimestamps: number;
  /** Field slots that no converted lead had a value in (W0103, W0106). */
  emptySlots: number[];
}

/**
 * The seam between reading a snapshot and evaluating it. A folder of CSV, NDJSON or JSON files
 * (snapshot/load.ts on one thread, snapshot/parallel.ts on two) is read by one implementation
 * or the other; Parquet, DuckDB and Postgres tables by theirs. The engine asks for rows
 * converted for a plan and does the rest (evaluate.ts).
 */
export interface SnapshotSource {
  /** The engine that read the rows, or judged them (after a run: a source may fall back to the file reader). */
  readonly engine: EngineName;
  /** Leads first; activities when the snapshot has them. */
  readonly inputs: readonly SourceInput[];
  /**
   * About how many leads the source holds (0: unknown): lists kept per lead are sized once.
   * Each source says it its own way: a text file from its first lines, a table or a Parquet
   * file may ask its metadata (hence a promise is allowed).
   */
  estimate(): number | Promise<number>;
  /** Streams every row into `sink`, leads before activities, converted for `plan`. */
  rows(plan: EvalPlan, sink: RowSink): Promise<SourceEnd>;
  /**
   * Judges in the source's own engine (a database): fills the evaluator's tallies per cell and
   * per judged lead instead of streaming every row; rows not used still go to `sink` one by one.
   * Null, before anything reached `sink`, when it cannot for this plan: rows() is used instead.
   */
  judge?(plan: EvalPlan, sink: JudgeSink, asOf: number): Promise<SourceEnd | null>;
}

/** The evaluator's entries for figures a database aggregated (evaluator.ts), and counters it keeps. */
export type JudgeTarget = Pick<
  Evaluator,
  "addCounted" | "addNoClock" | "addNamedGroup" | "addDefinitionCount" | "addTracked" | "deadlineOfEntry" | "setTouches" | "addGoalCounts" | "leadsBeforeEffective" | "leadClocksAfterAsOf" | "activitiesAfterAsOf"
>;

/** What a judging source reports into: the tallies, and rows not used, one by one, with their lines. */
export interface JudgeSink {
  readonly target: JudgeTarget;
  reject: RowSink["reject"];
  /** A lead row whose id an earlier used row has. */
  duplicate(line: number, id: string, firstLine: number): void;
  /** An activity whose lead is not among those used (after every lead reject was reported). */
  unmatchedActivity(line: number, leadId: string): void;
  /** Rows read and used, counted together. */
  used(kind: SourceInput["kind"], rows: number): void;
  /** The id of the lead numbered `lead` in addTracked, for the reports that name it. */
  name(lead: number, id: string): void;
}

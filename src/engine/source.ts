import type { Value } from "./ir.js";
import type { EvalPlan } from "./plan.js";

/**
 * Where converted rows go, leads first, then activities: what a snapshot source streams into.
 */
export interface RowSink {
  /**
   * A lead row that converted; `values` by field slot, possibly reused for the next row: read
   * what you need before returning. `definitions`: when the source classified the lead itself
   * (on another thread), which definitions it is in, by index; `values` then holds only the
   * slots slotsReadAfterClassifying names.
   */
  lead(line: number, id: string, values: readonly Value[], definitions?: readonly boolean[]): void;
  /** An activity row that converted; `values` by activity slot, possibly reused for the next row. */
  activity(line: number, values: readonly Value[]): void;
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
  /** Timestamps read without an offset (SPEC §3). */
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
}

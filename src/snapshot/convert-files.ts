import type { Ir, Value } from "../engine/ir.js";
import type { RowSink, SourceEnd } from "../engine/source.js";
import type { FieldPlan } from "../engine/plan.js";
import type { Zone } from "../engine/time.js";
import type { ActivityFieldPlan } from "../lang/activity-fields.js";
import { ActivityConverter, LeadConverter } from "./convert.js";
import { forEachRow, type ByteRange, type DataFile, type ReadEnd, type RowEvent } from "./read.js";

/** Where converted rows go, in file order: leads first, then activities. */
export type ConvertedSink = RowSink;

export interface ConvertSetup {
  fields: readonly FieldPlan[];
  /** The lead JSON Schema rows are checked against. */
  schema: object;
  zone: Zone;
  /** The activity slots the run reads (activitySlotsRead); all when not given. */
  activitySlots?: readonly number[] | undefined;
  /** The activity fields (EvalPlan.activityFields); the four as named when not given. */
  activityFields?: readonly ActivityFieldPlan[] | undefined;
  /** On two threads: the second classifies its leads too, and sends only what is read after (parallel.ts). */
  classification?: LeadClassification | undefined;
}

/** What a converting thread needs to classify leads: the definitions as IR, and the slots to send. */
export interface LeadClassification {
  /** In evaluation order. */
  definitions: Array<{ index: number; ir: Ir }>;
  /** slotsReadAfterClassifying(plan). */
  slots: number[];
}

export interface SnapshotFiles {
  leads: DataFile;
  activities?: DataFile | undefined;
}

/** What converting a snapshot's files found besides its rows. */
export type ConvertEnd = SourceEnd;

/**
 * Reads and converts a snapshot's files row by row into a sink: the part of a run that needs
 * no lead definitions, so that another thread can do some of it (parallel.ts). One converter
 * per thread; `naiveTimestamps` counts the timestamps without an offset (SPEC §3) in the rows
 * the sink used, and `emptySlots` the fields no converted lead had a value in.
 */
export class SnapshotConverter {
  private readonly leads: LeadConverter;
  private readonly activities: ActivityConverter;
  /**
   * The row handlers, made once rather than per file or part: the reader's call per row then
   * meets one function per kind of file for the whole run. A new function there each part made
   * V8 throw away and recompile the reading loop (measured with --trace-opt).
   */
  private readonly leadRow: (row: RowEvent) => void;
  private readonly activityRow: (row: RowEvent) => void;
  /**
   * The times without an offset of the row last given to the sink (the second thread sends it
   * along, parallel.ts); and of the rows the sink used (SourceEnd.naiveTimestamps).
   */
  rowNaive = 0;
  private naiveUsed = 0;
  /** By field slot: whether a converted lead had a value there; and how many have not yet. */
  private readonly filled: boolean[];
  private unfilled: number;

  constructor(setup: ConvertSetup, sink: ConvertedSink) {
    this.filled = new Array<boolean>(setup.fields.length).fill(false);
    this.unfilled = setup.fields.length;
    const leads = (this.leads = new LeadConverter({ fields: setup.fields, schema: setup.schema, zone: setup.zone }));
    const activities = (this.activities = new ActivityConverter(leads.timestamps, { slots: setup.activitySlots, fields: setup.activityFields, zone: setup.zone }));
    // The reader counts every time it reads without an offset; a row's count is kept only when
    // the sink uses the row (not a reject, a duplicate id or an activity without its lead).
    const timestamps = leads.timestamps;
    this.leadRow = (row) => {
      if ("error" in row) return sink.reject("leads", row.line, row.error);
      const before = timestamps.naive;
      const converted = leads.convert(row.record);
      if (!converted.ok) return sink.reject("leads", row.line, converted.reason, converted.id);
      // Most fields are seen filled within the first rows; then this costs a comparison a row.
      if (this.unfilled > 0) this.noteFilled(converted.values);
      this.rowNaive = timestamps.naive - before;
      if (sink.lead(row.line, converted.id, converted.values)) this.naiveUsed += this.rowNaive;
    };
    this.activityRow = (row) => {
      if ("error" in row) return sink.reject("activities", row.line, row.error);
      const before = timestamps.naive;
      const converted = activities.convert(row.record);
      if (!converted.ok) return sink.reject("activities", row.line, converted.reason);
      this.rowNaive = timestamps.naive - before;
      if (sink.activity(row.line, converted.values)) this.naiveUsed += this.rowNaive;
    };
  }

  /** Times without an offset in the rows the sink used. */
  get naiveTimestamps(): number {
    return this.naiveUsed;
  }

  get emptySlots(): number[] {
    return [...this.filled.keys()].filter((slot) => !this.filled[slot]);
  }

  private noteFilled(values: readonly Value[]): void {
    for (let slot = 0; slot < this.filled.length; slot++) {
      if (!this.filled[slot] && values[slot] !== null && values[slot] !== undefined) {
        this.filled[slot] = true;
        this.unfilled--;
      }
    }
  }

  /** Converts a file, or the part of it in `range`, into the sink. */
  convert(file: DataFile, range?: ByteRange, onBytes?: (n: number) => void): Promise<ReadEnd> {
    const required = file.kind === "leads" ? [this.leads.idColumn] : this.activities.requiredColumns;
    return forEachRow(file, file.kind === "leads" ? this.leadRow : this.activityRow, { range, onBytes, required });
  }
}

/** Both files on this thread: leads, then activities. */
export async function convertSnapshotFiles(
  files: SnapshotFiles,
  setup: ConvertSetup,
  sink: ConvertedSink,
  onBytes?: (file: DataFile, n: number) => void,
): Promise<ConvertEnd> {
  const converter = new SnapshotConverter(setup, sink);
  for (const file of [files.leads, files.activities]) {
    if (file) await converter.convert(file, undefined, onBytes ? (n) => onBytes(file, n) : undefined);
  }
  return { naiveTimestamps: converter.naiveTimestamps, emptySlots: converter.emptySlots };
}

import type { Value } from "../engine/ir.js";
import type { FieldPlan } from "../engine/plan.js";
import type { Zone } from "../engine/time.js";
import { ActivityConverter, LeadConverter } from "./convert.js";
import { forEachRow, type ByteRange, type DataFile, type ReadEnd } from "./read.js";

/** Where converted rows go, in file order: leads first, then activities. */
export interface ConvertedSink {
  /** A lead row that converted; `values` by field slot, reused from row to row. */
  lead(line: number, id: string, values: readonly Value[]): void;
  /** An activity row that converted; `values` by activity slot, reused from row to row. */
  activity(line: number, values: readonly Value[]): void;
  /** A row that could not be read or converted. */
  reject(kind: DataFile["kind"], line: number, reason: string): void;
}

export interface ConvertSetup {
  fields: readonly FieldPlan[];
  /** The lead JSON Schema rows are checked against. */
  schema: object;
  zone: Zone;
}

export interface SnapshotFiles {
  leads: DataFile;
  activities?: DataFile | undefined;
}

/**
 * Reads and converts a snapshot's files row by row into a sink: the part of a run that needs
 * no lead definitions, so that another thread can do some of it (parallel.ts). One converter
 * per thread; `naiveTimestamps` counts the timestamps it read without an offset (SPEC §3).
 */
export class SnapshotConverter {
  private readonly leads: LeadConverter;
  private readonly activities: ActivityConverter;

  constructor(setup: ConvertSetup) {
    this.leads = new LeadConverter({ fields: setup.fields, schema: setup.schema, zone: setup.zone });
    this.activities = new ActivityConverter(this.leads.timestamps);
  }

  get naiveTimestamps(): number {
    return this.leads.timestamps.naive;
  }

  /** Converts a file, or the part of it in `range`, into the sink. */
  convert(file: DataFile, sink: ConvertedSink, range?: ByteRange, onBytes?: (n: number) => void): Promise<ReadEnd> {
    if (file.kind === "leads") {
      const converter = this.leads;
      return forEachRow(
        file,
        (row) => {
          if ("error" in row) return sink.reject("leads", row.line, row.error);
          const converted = converter.convert(row.record);
          if (converted.ok) sink.lead(row.line, converted.id, converted.values);
          else sink.reject("leads", row.line, converted.reason);
        },
        { range, onBytes },
      );
    }
    const converter = this.activities;
    return forEachRow(
      file,
      (row) => {
        if ("error" in row) return sink.reject("activities", row.line, row.error);
        const converted = converter.convert(row.record);
        if (converted.ok) sink.activity(row.line, converted.values);
        else sink.reject("activities", row.line, converted.reason);
      },
      { range, onBytes },
    );
  }
}

/** Both files on this thread: leads, then activities. */
export async function convertSnapshotFiles(
  files: SnapshotFiles,
  setup: ConvertSetup,
  sink: ConvertedSink,
  onBytes?: (file: DataFile, n: number) => void,
): Promise<{ naiveTimestamps: number }> {
  const converter = new SnapshotConverter(setup);
  for (const file of [files.leads, files.activities]) {
    if (file) await converter.convert(file, sink, undefined, onBytes ? (n) => onBytes(file, n) : undefined);
  }
  return { naiveTimestamps: converter.naiveTimestamps };
}

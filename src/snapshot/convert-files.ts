import type { Value } from "../engine/ir.js";
import type { FieldPlan } from "../engine/plan.js";
import type { Zone } from "../engine/time.js";
import { ActivityConverter, LeadConverter } from "./convert.js";
import { forEachRow, type DataFile } from "./read.js";

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
 * Reads and converts a snapshot's files, row by row, into `sink`: the part of a run that needs
 * no lead definitions, so it can run on another thread while the evaluator works (see parallel.ts).
 * Returns how many timestamps had no offset (SPEC §3).
 */
export async function convertSnapshotFiles(
  files: SnapshotFiles,
  setup: ConvertSetup,
  sink: ConvertedSink,
  onBytes?: (file: DataFile, n: number) => void,
): Promise<{ naiveTimestamps: number }> {
  const leadConverter = new LeadConverter({ fields: setup.fields, schema: setup.schema, zone: setup.zone });
  const activityConverter = new ActivityConverter(leadConverter.timestamps);
  const bytesOf = (file: DataFile) => (onBytes ? (n: number) => onBytes(file, n) : undefined);

  await forEachRow(
    files.leads,
    (row) => {
      if ("error" in row) return sink.reject("leads", row.line, row.error);
      const converted = leadConverter.convert(row.record);
      if (converted.ok) sink.lead(row.line, converted.id, converted.values);
      else sink.reject("leads", row.line, converted.reason);
    },
    bytesOf(files.leads),
  );
  const activities = files.activities;
  if (activities) {
    await forEachRow(
      activities,
      (row) => {
        if ("error" in row) return sink.reject("activities", row.line, row.error);
        const converted = activityConverter.convert(row.record);
        if (converted.ok) sink.activity(row.line, converted.values);
        else sink.reject("activities", row.line, converted.reason);
      },
      bytesOf(activities),
    );
  }
  return { naiveTimestamps: leadConverter.timestamps.naive };
}

import type { MessagePort } from "node:worker_threads";
import type { FieldPlan } from "../engine/plan.js";
import type { ActivityFieldPlan } from "../lang/activity-fields.js";
import type { Batch } from "./batch.js";
import type { LeadClassification, SnapshotFiles } from "./convert-files.js";
import type { ByteRange, DataFile } from "./read.js";

/**
 * The parts of each file the converting thread converts, in file order (the rest is the main
 * thread's). Messages name a part by its index here.
 */
export type Parts = Partial<Record<DataFile["kind"], ByteRange[]>>;

/**
 * What the converting thread is started with. It may be started before the policy is read
 * (parallel.ts, ConversionThread), so what to convert comes later, as messages on `port`: a
 * WorkerTask, then its Parts.
 */
export interface WorkerData {
  /** Two Int32s: batches posted and not yet taken by the main thread; messages posted. */
  signals: SharedArrayBuffer;
  /** Where to post: the main thread takes messages from the other end synchronously. */
  port: MessagePort;
}

/**
 * How the converting thread converts rows: its first message on the port. Its parts of each
 * file (Parts) come as the second, once the main thread has found the cuts: meanwhile the
 * converting thread compiles its schema check and conditions.
 */
export interface WorkerTask {
  files: SnapshotFiles;
  fields: FieldPlan[];
  schema: object;
  /** The agreement's IANA zone, for timestamps without an offset. */
  zone: string;
  /**
   * When given, each lead batch holds the lead's definitions too, one boolean column per
   * definition after the id, and only these slots of its fields ("absent" columns otherwise).
   */
  classification?: LeadClassification | undefined;
  /** ConvertSetup.activitySlots: the other activity columns are converted to null and sent "absent". */
  activitySlots?: readonly number[] | undefined;
  /** ConvertSetup.activityFields. */
  activityFields?: readonly ActivityFieldPlan[] | undefined;
}

/**
 * A lead batch's columns: one per field slot, then the id, then (when the converting thread
 * classifies) one boolean per definition, by definition index, then how many of the row's
 * times had no offset (naiveColumn). The id's column.
 */
export function leadIdColumn(fields: readonly FieldPlan[]): number {
  return fields.length;
}

/** The column holding whether a lead is in definition `index` (see leadIdColumn). */
export function definitionColumn(fields: readonly FieldPlan[], index: number): number {
  return fields.length + 1 + index;
}

/**
 * The column of a row's count of times without an offset, after the others: a lead batch's
 * (`width`: fields, id and definitions) or an activity batch's (`width`: the activity fields).
 * The main thread counts it when it uses the row (SourceEnd.naiveTimestamps).
 */
export function naiveColumn(width: number): number {
  return width;
}

/** Indexes into WorkerData.signals. */
export const IN_FLIGHT = 0;
export const POSTED = 1;

export type WorkerMessage =
  /** Lines count from 1 at the part's first row. `bytes`: read since the file's last batch. */
  | { type: "batch"; kind: DataFile["kind"]; part: number; batch: Batch; bytes: number }
  /**
   * Activities only, before their first batch: the line breaks before the part, so that its
   * rows' lines can be told while the main thread is still reading its own part. The cut was
   * not checked for quotes before it (parallel.ts cutFiles): `quoteBefore`, and the part is not
   * read here; the main thread reads the file whole.
   */
  | { type: "lines-before"; kind: DataFile["kind"]; part: number; breaks: number; quoteBefore: boolean }
  /** The part is done: every batch of it has been posted. `lines`: how many lines it spans. */
  | { type: "part-done"; kind: DataFile["kind"]; part: number; lines: number }
  /** `emptySlots`: the fields none of its leads had a value in (ConvertEnd). */
  | { type: "done"; emptySlots: number[] }
  /** A problem that stops the run (a SnapshotError on the converting thread). */
  | { type: "stop"; kind: DataFile["kind"]; part: number; message: string; file: string; line?: number | undefined };

/** Rows per batch: a message per batch costs nothing next to the rows in it. */
export const BATCH_ROWS = 4096;
/**
 * Batches the converting thread may have posted and the main thread not yet taken; then it
 * waits. It runs ahead while the main thread works through its own part of a file, so this is
 * what bounds memory; more is no faster (bench/README.md). 16 rather than 32 since rows not used
 * slow the main thread and let the worker fill them all: 20-30 MiB lower at a million leads with
 * a sixth rejected, the same CPU time (issue 15).
 */
export const MAX_BATCHES_IN_FLIGHT = 16;

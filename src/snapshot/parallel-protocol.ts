import type { FieldPlan } from "../engine/plan.js";
import type { Batch } from "./batch.js";
import type { SnapshotFiles } from "./convert-files.js";
import type { ByteRange, DataFile } from "./read.js";

/** What the converting thread is started with. */
export interface WorkerData {
  files: SnapshotFiles;
  /** The part of each file this thread converts (the rest is the main thread's). */
  parts: Partial<Record<DataFile["kind"], ByteRange>>;
  fields: FieldPlan[];
  schema: object;
  /** The agreement's IANA zone, for timestamps without an offset. */
  zone: string;
  /** One Int32: batches posted and not yet taken by the main thread. */
  inFlight: SharedArrayBuffer;
}

export type WorkerMessage =
  /** Lines count from 1 at the part's first row. `bytes`: read since the file's last batch. */
  | { type: "batch"; kind: DataFile["kind"]; batch: Batch; bytes: number }
  /** The part of that file is done: every batch of it has been posted. */
  | { type: "part-done"; kind: DataFile["kind"] }
  | { type: "done"; naiveTimestamps: number }
  /** A problem that stops the run (a SnapshotError on the converting thread). */
  | { type: "stop"; kind: DataFile["kind"]; message: string; file: string; line?: number | undefined };

/** Rows per batch: a message per batch costs nothing next to the rows in it. */
export const BATCH_ROWS = 4096;
/**
 * Batches the converting thread may have posted and the main thread not yet taken; then it
 * waits. It runs ahead while the main thread works through its own part of a file, so this is
 * what bounds memory: a lead batch of the example policy is about 0.5 MiB, an activity batch
 * 0.15 MiB. Measured at a million leads, 64 keeps the peak under 300 MiB and costs little
 * waiting; 160 was no faster.
 */
export const MAX_BATCHES_IN_FLIGHT = 64;

import type { FieldPlan } from "../engine/plan.js";
import type { Batch } from "./batch.js";
import type { SnapshotFiles } from "./convert-files.js";
import type { DataFile } from "./read.js";

/** What the converting thread is started with. */
export interface WorkerData {
  files: SnapshotFiles;
  fields: FieldPlan[];
  schema: object;
  /** The agreement's IANA zone, for timestamps without an offset. */
  zone: string;
  /** One Int32: batches posted and not yet evaluated. */
  inFlight: SharedArrayBuffer;
}

export type WorkerMessage =
  /** `bytes`: read from the file since the last batch of that file, for progress. */
  | { type: "batch"; kind: DataFile["kind"]; batch: Batch; bytes: number }
  | { type: "done"; naiveTimestamps: number }
  /** A problem that stops the run (a SnapshotError on the converting thread). */
  | { type: "stop"; message: string; file: string; line?: number | undefined };

/**
 * Rows per batch, and batches that may wait for the main thread. Measured at a million leads:
 * 4,096 rows keep the batches' memory to a few MiB while a message per batch costs nothing next
 * to the rows in it.
 */
export const BATCH_ROWS = 4096;
export const MAX_BATCHES_IN_FLIGHT = 8;

import { Worker } from "node:worker_threads";
import { ACTIVITY_COLUMNS } from "../engine/plan.js";
import { BatchReader, type Batch } from "./batch.js";
import { convertSnapshotFiles, SnapshotConverter, type ConvertedSink, type ConvertSetup, type SnapshotFiles } from "./convert-files.js";
import { SnapshotError, splitPoint, type ByteRange, type DataFile } from "./read.js";
import type { WorkerData, WorkerMessage } from "./parallel-protocol.js";

/**
 * The share of each file the main thread converts itself; the second thread converts the rest.
 * The main thread also evaluates every row, the second thread's after its own, so it takes the
 * smaller part. Chosen by measurement at a million leads (bench/README.md).
 */
export const MAIN_SHARE: Readonly<Record<DataFile["kind"], number>> = {
  leads: 0.25,
  activities: 0.4,
};

const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * The worker's module. Built, it sits beside this one; run from the TypeScript sources (the
 * tests), the built copy is used, which `npm test` builds first.
 */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("../../dist/snapshot/convert-worker.js", here) : new URL("./convert-worker.js", here);
}

/** What the main thread has received of one file's part from the second thread. */
interface PartQueue {
  batches: Array<{ batch: Batch; bytes: number }>;
  done: boolean;
  stop?: SnapshotError | undefined;
}

/**
 * convertSnapshotFiles on two threads. Each CSV file is cut in two at a row boundary
 * (splitPoint): this thread converts the first part into `sink` as it reads, while a second
 * thread converts the rest into batches of typed arrays; then the batches are fed to `sink`.
 * The sink sees every row once, in file order, with its true line, exactly as on one thread,
 * so duplicates, rejects and every figure come out the same (test/snapshot/parallel.test.ts).
 * A file that cannot be cut (quoted fields before the cut, NDJSON, JSON, too small) is read
 * whole here.
 */
export async function convertInParallel(
  files: SnapshotFiles,
  setup: ConvertSetup,
  sink: ConvertedSink,
  onBytes?: (file: DataFile, n: number) => void,
): Promise<{ naiveTimestamps: number }> {
  const parts: WorkerData["parts"] = {};
  for (const file of [files.leads, files.activities]) {
    if (!file) continue;
    const cut = splitPoint(file, MAIN_SHARE[file.kind]);
    if (cut !== undefined) parts[file.kind] = { start: cut, end: file.bytes };
  }
  if (!parts.leads && !parts.activities) return convertSnapshotFiles(files, setup, sink, onBytes);

  const inFlight = new SharedArrayBuffer(4);
  const counter = new Int32Array(inFlight);
  const data: WorkerData = { files, parts, fields: setup.fields.map((f) => ({ ...f })), schema: setup.schema, zone: setup.zone.name, inFlight };
  // A small young generation: the second thread's garbage is short-lived strings, and at the
  // default size its heap alone held about 40 MiB more at the peak (measured at a million leads).
  const worker = new Worker(workerUrl(), { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
  const queues: Record<DataFile["kind"], PartQueue> = { leads: { batches: [], done: false }, activities: { batches: [], done: false } };
  let workerNaive: number | undefined;
  let failure: unknown;
  let wake: (() => void) | undefined;
  const changed = (): void => {
    wake?.();
    wake = undefined;
  };
  // Messages only arrive while this thread awaits; they wait in the queues until their turn.
  worker.on("message", (message: WorkerMessage) => {
    switch (message.type) {
      case "batch":
        queues[message.kind].batches.push({ batch: message.batch, bytes: message.bytes });
        break;
      case "part-done":
        queues[message.kind].done = true;
        break;
      case "stop":
        queues[message.kind].stop = new SnapshotError(message.message, message.file, message.line);
        queues[message.kind].done = true;
        break;
      case "done":
        workerNaive = message.naiveTimestamps;
        break;
    }
    changed();
  });
  worker.on("error", (error) => {
    failure ??= error;
    changed();
  });
  worker.on("exit", (code) => {
    if (workerNaive === undefined) failure ??= new Error(`internal: the second reading thread stopped (exit code ${code}) before it finished`);
    changed();
  });
  const nextEvent = (): Promise<void> => new Promise((resolve) => (wake = resolve));

  const readers = { leads: new BatchReader(setup.fields.length + 1), activities: new BatchReader(ACTIVITY_COLUMNS.length) };
  const idColumn = setup.fields.length;

  /** Feeds one batch to the sink; its lines become the file's by adding `offset`. */
  const feed = (kind: DataFile["kind"], batch: Batch, offset: number): void => {
    // Rejects and rows interleaved by line, as one thread would meet them.
    const rejects = batch.rejects;
    let next = 0;
    const rejectsBefore = (line: number): void => {
      for (; next < rejects.length && rejects[next]!.line < line; next++) sink.reject(kind, rejects[next]!.line + offset, rejects[next]!.reason);
    };
    if (kind === "leads") {
      readers.leads.forEachRow(batch, (line, values) => {
        rejectsBefore(line);
        sink.lead(line + offset, values[idColumn] as string, values);
      });
    } else {
      readers.activities.forEachRow(batch, (line, values) => {
        rejectsBefore(line);
        sink.activity(line + offset, values);
      });
    }
    rejectsBefore(Infinity);
  };

  /** Feeds the second thread's part of a file, batch by batch as they come, until it is done. */
  const drain = async (file: DataFile, offset: number): Promise<void> => {
    const queue = queues[file.kind];
    for (;;) {
      if (failure) throw failure;
      const next = queue.batches.shift();
      if (next) {
        Atomics.sub(counter, 0, 1);
        Atomics.notify(counter, 0);
        if (next.bytes > 0) onBytes?.(file, next.bytes);
        feed(file.kind, next.batch, offset);
        continue;
      }
      if (queue.stop) throw queue.stop;
      if (queue.done) return;
      await nextEvent();
    }
  };

  try {
    const converter = new SnapshotConverter(setup);
    for (const file of [files.leads, files.activities]) {
      if (!file) continue;
      const part = parts[file.kind];
      const mine: ByteRange | undefined = part ? { start: 0, end: part.start } : undefined;
      const end = await converter.convert(file, sink, mine, onBytes ? (n) => onBytes(file, n) : undefined);
      // The second thread numbered its part's lines from 1; the part starts where this one ended.
      if (part) await drain(file, end.nextLine - 1);
    }
    while (workerNaive === undefined) {
      if (failure) throw failure;
      await nextEvent();
    }
    return { naiveTimestamps: converter.naiveTimestamps + workerNaive };
  } finally {
    void worker.terminate();
  }
}

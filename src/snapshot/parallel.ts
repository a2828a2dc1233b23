import { Worker } from "node:worker_threads";
import { ACTIVITY_COLUMNS } from "../engine/plan.js";
import { BatchReader, type Batch } from "./batch.js";
import type { ConvertedSink, ConvertSetup, SnapshotFiles } from "./convert-files.js";
import { SnapshotError, type DataFile } from "./read.js";
import type { WorkerData, WorkerMessage } from "./parallel-protocol.js";

/**
 * The worker's module. Built, it sits beside this one; run from the TypeScript sources (the
 * tests), the built copy is used, which `npm test` builds first.
 */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("../../dist/snapshot/convert-worker.js", here) : new URL("./convert-worker.js", here);
}

/**
 * convertSnapshotFiles on a second thread: the files are read and converted there while this
 * thread feeds the rows to `sink` batch by batch, in file order, as the inline version would.
 * With two cores the reading and the evaluating overlap; the converting thread waits when eight
 * batches are waiting here, so memory does not grow with the file.
 */
export function convertInWorker(
  files: SnapshotFiles,
  setup: ConvertSetup,
  sink: ConvertedSink,
  onBytes?: (file: DataFile, n: number) => void,
): Promise<{ naiveTimestamps: number }> {
  const inFlight = new SharedArrayBuffer(4);
  const counter = new Int32Array(inFlight);
  const data: WorkerData = { files, fields: setup.fields.map((f) => ({ ...f })), schema: setup.schema, zone: setup.zone.name, inFlight };
  const worker = new Worker(workerUrl(), { workerData: data });
  const readers = { leads: new BatchReader(setup.fields.length + 1), activities: new BatchReader(ACTIVITY_COLUMNS.length) };
  const idColumn = setup.fields.length;

  const feed = (kind: DataFile["kind"], batch: Batch): void => {
    // Rejects and rows interleaved by line, as a single thread would meet them.
    const rejects = batch.rejects;
    let next = 0;
    const rejectsBefore = (line: number): void => {
      for (; next < rejects.length && rejects[next]!.line < line; next++) sink.reject(kind, rejects[next]!.line, rejects[next]!.reason);
    };
    if (kind === "leads") {
      readers.leads.forEachRow(batch, (line, values) => {
        rejectsBefore(line);
        sink.lead(line, values[idColumn] as string, values);
      });
    } else {
      readers.activities.forEachRow(batch, (line, values) => {
        rejectsBefore(line);
        sink.activity(line, values);
      });
    }
    rejectsBefore(Infinity);
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: unknown): void => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      reject(error);
    };
    worker.on("message", (message: WorkerMessage) => {
      if (settled) return;
      try {
        switch (message.type) {
          case "batch": {
            if (message.bytes > 0) onBytes?.(message.kind === "leads" ? files.leads : files.activities!, message.bytes);
            feed(message.kind, message.batch);
            Atomics.sub(counter, 0, 1);
            Atomics.notify(counter, 0);
            break;
          }
          case "done":
            settled = true;
            resolve({ naiveTimestamps: message.naiveTimestamps });
            break;
          case "stop":
            fail(new SnapshotError(message.message, message.file, message.line));
            break;
        }
      } catch (error) {
        fail(error);
      }
    });
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`internal: the reading thread stopped (exit code ${code}) before it finished`)));
  });
}

/**
 * The second thread of a large run (parallel.ts): converts its part of each file and posts the
 * rows in batches, while the main thread converts and evaluates its own part.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Value } from "../engine/ir.js";
import { ACTIVITY_COLUMNS } from "../engine/plan.js";
import { Zone } from "../engine/time.js";
import { ACTIVITY_FIELDS } from "../lang/check/check.js";
import { BatchWriter, columnKindOf } from "./batch.js";
import { SnapshotConverter } from "./convert-files.js";
import { SnapshotError, type DataFile } from "./read.js";
import { BATCH_ROWS, MAX_BATCHES_IN_FLIGHT, type WorkerData, type WorkerMessage } from "./parallel-protocol.js";

const data = workerData as WorkerData;
const port = parentPort!;
const inFlight = new Int32Array(data.inFlight);

const leadKinds = [...data.fields.map((f) => columnKindOf(f.type)), columnKindOf("text")];
const activityKinds = ACTIVITY_COLUMNS.map((c) => columnKindOf(ACTIVITY_FIELDS.get(c)!.kind));
const idColumn = data.fields.length;
const leadRow: Value[] = new Array<Value>(leadKinds.length).fill(null);

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

/** Posts the batch once the main thread has room for it, so memory stays bounded when it falls behind. */
function flush(kind: DataFile["kind"], writer: BatchWriter, bytes: { n: number }): void {
  if (writer.empty) return;
  for (let waiting = Atomics.load(inFlight, 0); waiting >= MAX_BATCHES_IN_FLIGHT; waiting = Atomics.load(inFlight, 0)) {
    Atomics.wait(inFlight, 0, waiting, 1000);
  }
  Atomics.add(inFlight, 0, 1);
  const { batch, transfer } = writer.take();
  post({ type: "batch", kind, batch, bytes: bytes.n }, transfer);
  bytes.n = 0;
}

const converter = new SnapshotConverter({ fields: data.fields, schema: data.schema, zone: new Zone(data.zone) });
for (const kind of ["leads", "activities"] as const) {
  const range = data.parts[kind];
  const file = data.files[kind];
  if (!range || !file) continue;
  const writer = new BatchWriter(kind === "leads" ? leadKinds : activityKinds, BATCH_ROWS);
  const bytes = { n: 0 };
  try {
    await converter.convert(
      file,
      {
        lead(line, id, values) {
          for (const f of data.fields) leadRow[f.slot] = values[f.slot] ?? null;
          leadRow[idColumn] = id;
          writer.add(line, leadRow);
          if (writer.full) flush(kind, writer, bytes);
        },
        activity(line, values) {
          writer.add(line, values);
          if (writer.full) flush(kind, writer, bytes);
        },
        reject(_, line, reason) {
          writer.reject(line, reason);
          if (writer.full) flush(kind, writer, bytes);
        },
      },
      range,
      (n) => {
        bytes.n += n;
      },
    );
  } catch (error) {
    if (!(error instanceof SnapshotError)) throw error;
    post({ type: "stop", kind, message: error.message, file: error.file, line: error.line });
    continue;
  }
  flush(kind, writer, bytes);
  post({ type: "part-done", kind });
}
post({ type: "done", naiveTimestamps: converter.naiveTimestamps });

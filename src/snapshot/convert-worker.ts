/**
 * The second thread of a large run (parallel.ts): reads and converts the snapshot's files and
 * posts the rows in batches, while the main thread evaluates the batches before them.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { Value } from "../engine/ir.js";
import { ACTIVITY_COLUMNS } from "../engine/plan.js";
import { ACTIVITY_FIELDS } from "../lang/check/check.js";
import { Zone } from "../engine/time.js";
import { BatchWriter, columnKindOf } from "./batch.js";
import { convertSnapshotFiles } from "./convert-files.js";
import { SnapshotError, type DataFile } from "./read.js";
import { BATCH_ROWS, MAX_BATCHES_IN_FLIGHT, type WorkerData, type WorkerMessage } from "./parallel-protocol.js";

const data = workerData as WorkerData;
const port = parentPort!;
const inFlight = new Int32Array(data.inFlight);

const leadKinds = [...data.fields.map((f) => columnKindOf(f.type)), columnKindOf("text")];
const activityKinds = ACTIVITY_COLUMNS.map((c) => columnKindOf(ACTIVITY_FIELDS.get(c)!.kind));
const writers = { leads: new BatchWriter(leadKinds, BATCH_ROWS), activities: new BatchWriter(activityKinds, BATCH_ROWS) };
const bytes = { leads: 0, activities: 0 };
const leadRow: Value[] = new Array<Value>(leadKinds.length).fill(null);

function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

/** Sends a file's batch once the main thread has room for it: memory stays bounded when it falls behind. */
function flush(kind: DataFile["kind"]): void {
  const writer = writers[kind];
  if (writer.empty) return;
  for (let waiting = Atomics.load(inFlight, 0); waiting >= MAX_BATCHES_IN_FLIGHT; waiting = Atomics.load(inFlight, 0)) {
    Atomics.wait(inFlight, 0, waiting, 1000);
  }
  Atomics.add(inFlight, 0, 1);
  const { batch, transfer } = writer.take();
  post({ type: "batch", kind, batch, bytes: bytes[kind] }, transfer);
  bytes[kind] = 0;
}

const idColumn = data.fields.length;
/** The main thread has every lead before the first activity: the last lead batch goes first. */
let readingActivities = false;
function startActivities(): void {
  if (readingActivities) return;
  readingActivities = true;
  flush("leads");
}

try {
  const { naiveTimestamps } = await convertSnapshotFiles(
    data.files,
    { fields: data.fields, schema: data.schema, zone: new Zone(data.zone) },
    {
      lead(line, id, values) {
        for (const f of data.fields) leadRow[f.slot] = values[f.slot] ?? null;
        leadRow[idColumn] = id;
        writers.leads.add(line, leadRow);
        if (writers.leads.full) flush("leads");
      },
      activity(line, values) {
        startActivities();
        writers.activities.add(line, values);
        if (writers.activities.full) flush("activities");
      },
      reject(kind, line, reason) {
        if (kind === "activities") startActivities();
        writers[kind].reject(line, reason);
        if (writers[kind].full) flush(kind);
      },
    },
    (file, n) => {
      bytes[file.kind] += n;
    },
  );
  startActivities();
  flush("activities");
  post({ type: "done", naiveTimestamps });
} catch (error) {
  if (!(error instanceof SnapshotError)) throw error;
  post({ type: "stop", message: error.message, file: error.file, line: error.line });
}

/**
 * The second thread of a large run (parallel.ts): converts its part of each file and posts the
 * rows in batches, while the main thread converts and evaluates its own part.
 */
import { workerData } from "node:worker_threads";
import type { Value } from "../engine/ir.js";
import { Zone } from "../engine/time.js";
import { classify, compilePredicate } from "../engine/predicate.js";
import { activityKinds, BatchWriter, columnKindOf, type ColumnKind } from "./batch.js";
import { SnapshotConverter } from "./convert-files.js";
import { breaksAndQuoteBefore, SnapshotError, type DataFile, type ReadEnd } from "./read.js";
import { BATCH_ROWS, definitionColumn, IN_FLIGHT, leadIdColumn, MAX_BATCHES_IN_FLIGHT, naiveColumn, POSTED, type Parts, type WorkerData, type WorkerMessage, type WorkerTask } from "./parallel-protocol.js";

const { port, signals: shared } = workerData as WorkerData;
const signals = new Int32Array(shared);
const nextMessage = <T>(): Promise<T> => new Promise<T>((resolve) => port.once("message", resolve));
// The modules above load while the main thread reads the policy; then the task comes, and the
// parts once the main thread has found the cuts (below, after what can be made before them).
const data = await nextMessage<WorkerTask>();

// Lead batches (leadIdColumn): a column per field slot (those the main thread does not read
// are "absent" when this thread classifies), the id, then one per definition when it classifies.
const classification = data.classification;
const sentSlots = classification ? classification.slots : data.fields.map((f) => f.slot);
const sent = new Set(sentSlots);
const definitions = (classification?.definitions ?? []).map((d) => ({ index: d.index, predicate: compilePredicate(d.ir) }));
const decided = new Array<boolean>(definitions.length).fill(false);
// Then, in both kinds of batch, the row's count of times without an offset (naiveColumn).
const leadKinds: ColumnKind[] = [
  ...data.fields.map((f) => (sent.has(f.slot) ? columnKindOf(f.type) : "absent")),
  columnKindOf("text"),
  ...definitions.map((): ColumnKind => "boolean"),
];
const leadNaive = naiveColumn(leadKinds.length);
leadKinds.push("number");
// Activity columns the run does not read are not sent either.
const activityColumnKinds = activityKinds(data.activityFields).map((k, slot): ColumnKind => (data.activitySlots && !data.activitySlots.includes(slot) ? "absent" : k));
const activityNaive = naiveColumn(activityColumnKinds.length);
activityColumnKinds.push("number");
const idColumn = leadIdColumn(data.fields);
const leadRow: Value[] = new Array<Value>(leadKinds.length).fill(null);
const activityRow: Value[] = new Array<Value>(activityColumnKinds.length).fill(null);

/** Posts a message and wakes the main thread if it is waiting for one. */
function post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
  Atomics.add(signals, POSTED, 1);
  Atomics.notify(signals, POSTED);
}

/** Posts the batch once the main thread has room for it, so memory stays bounded when it falls behind. */
function flush(kind: DataFile["kind"], part: number, writer: BatchWriter, bytes: { n: number }): void {
  if (writer.empty) return;
  for (let waiting = Atomics.load(signals, IN_FLIGHT); waiting >= MAX_BATCHES_IN_FLIGHT; waiting = Atomics.load(signals, IN_FLIGHT)) {
    Atomics.wait(signals, IN_FLIGHT, waiting, 1000);
  }
  Atomics.add(signals, IN_FLIGHT, 1);
  const { batch, transfer } = writer.take();
  post({ type: "batch", kind, part, batch, bytes: bytes.n }, transfer);
  bytes.n = 0;
}

// What the sink below is converting into: one sink for the run, so that the reader's calls
// into it meet the same functions in every part (convert-files.ts, SnapshotConverter).
let kind: DataFile["kind"] = "leads";
let part = 0;
let writer = new BatchWriter(leadKinds, BATCH_ROWS);
const bytes = { n: 0 };
const converter = new SnapshotConverter(
  { fields: data.fields, schema: data.schema, zone: new Zone(data.zone), activitySlots: data.activitySlots, activityFields: data.activityFields },
  {
    lead(line, id, values) {
      for (const slot of sentSlots) leadRow[slot] = values[slot] ?? null;
      leadRow[idColumn] = id;
      if (definitions.length > 0) {
        classify(definitions, values, decided);
        for (let d = 0; d < decided.length; d++) leadRow[definitionColumn(data.fields, d)] = decided[d]!;
      }
      leadRow[leadNaive] = converter.rowNaive;
      writer.add(line, leadRow);
      if (writer.full) flush(kind, part, writer, bytes);
      // Whether it is used is the main thread's to say.
      return true;
    },
    activity(line, values) {
      for (let c = 0; c < activityNaive; c++) activityRow[c] = values[c] ?? null;
      activityRow[activityNaive] = converter.rowNaive;
      writer.add(line, activityRow);
      if (writer.full) flush(kind, part, writer, bytes);
      return true;
    },
    reject(_, line, reason, leadId) {
      writer.reject(line, reason, leadId);
      if (writer.full) flush(kind, part, writer, bytes);
    },
  },
);
const countBytes = (n: number): void => {
  bytes.n += n;
};

const parts = await nextMessage<Parts>();
for (const fileKind of ["leads", "activities"] as const) {
  const file = data.files[fileKind];
  if (!file) continue;
  kind = fileKind;
  if (kind === "activities") writer = new BatchWriter(activityColumnKinds, BATCH_ROWS);
  for (const [index, range] of (parts[kind] ?? []).entries()) {
    part = index;
    // The main thread feeds activities as they come, while it reads its own part (parallel.ts).
    if (kind === "activities") {
      const { breaks, quoteBefore } = breaksAndQuoteBefore(file, range.start);
      post({ type: "lines-before", kind, part, breaks, quoteBefore });
      if (quoteBefore) continue;
    }
    bytes.n = 0;
    let end: ReadEnd;
    try {
      end = await converter.convert(file, range, countBytes);
    } catch (error) {
      if (!(error instanceof SnapshotError)) throw error;
      post({ type: "stop", kind, part, message: error.message, file: error.file, line: error.line });
      break;
    }
    flush(kind, part, writer, bytes);
    post({ type: "part-done", kind, part, lines: end.nextLine - 1 });
  }
}
post({ type: "done", emptySlots: converter.emptySlots });

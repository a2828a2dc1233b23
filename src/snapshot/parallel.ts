import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from "node:worker_threads";
import type { Value } from "../engine/ir.js";
import type { EvalPlan } from "../engine/plan.js";
import type { RowSink, SnapshotSource, SourceEnd, SourceInput } from "../engine/source.js";
import { DEFAULT_ACTIVITY_FIELDS } from "../lang/activity-fields.js";
import { BatchReader, type Batch } from "./batch.js";
import { convertSnapshotFiles, SnapshotConverter, type ConvertedSink, type ConvertEnd, type ConvertSetup, type SnapshotFiles } from "./convert-files.js";
import { withProgress, type OnProgress } from "./progress-sink.js";
import { estimateRows, SnapshotError, splitPoints, type ByteRange, type DataFile } from "./read.js";
import { conversionSetup } from "./source-setup.js";
import { definitionColumn, IN_FLIGHT, leadIdColumn, naiveColumn, POSTED, type Parts, type WorkerData, type WorkerMessage, type WorkerTask } from "./parallel-protocol.js";

/**
 * The share of each file the main thread converts itself; the second thread converts the rest.
 * The main thread also evaluates every row, so it takes the smaller part: the shares at which
 * neither thread waits long for the other (the measurements are in bench/README.md; they moved
 * up from 0.35 and 0.42 when adding a lead id stopped missing the cache).
 */
export const MAIN_SHARE: Readonly<Record<DataFile["kind"], number>> = {
  leads: 0.42,
  activities: 0.46,
};

/**
 * Leads are cut into this many rounds, each the main thread's share and then the second's.
 * Leads are evaluated in file order: with one cut, each thread in turn sat waiting for the
 * other; in rounds neither runs far ahead, so fewer batches are in flight. With four rounds the
 * main thread's part of one outlasted the batches the second may have in flight, which then
 * waited (bench/README.md).
 */
const LEAD_ROUNDS = 16;

/** The shares of a file at which it is cut: this thread's parts start at 0 and at every other cut. */
function cutShares(kind: DataFile["kind"]): number[] {
  const share = MAIN_SHARE[kind];
  // Activities are fed as they come, not in file order (below): one cut is enough.
  if (kind === "activities") return [share];
  const shares: number[] = [];
  for (let round = 0; round < LEAD_ROUNDS; round++) {
    if (round > 0) shares.push(round / LEAD_ROUNDS);
    shares.push((round + share) / LEAD_ROUNDS);
  }
  return shares;
}

/**
 * A file's parts between its cuts, in file order, alternately this thread's and the second's,
 * this thread's first. The last runs to the end of the file as it is when read, as one thread
 * would read it, not as it was when sized.
 */
function partsBetween(cuts: readonly number[]): { own: ByteRange[]; theirs: ByteRange[]; order: Array<"own" | "theirs"> } {
  const own: ByteRange[] = [];
  const theirs: ByteRange[] = [];
  const order: Array<"own" | "theirs"> = [];
  const bounds = [0, ...cuts, Infinity];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const whose = i % 2 === 0 ? "own" : "theirs";
    (whose === "own" ? own : theirs).push({ start: bounds[i]!, end: bounds[i + 1]! });
    order.push(whose);
  }
  return { own, theirs, order };
}

/**
 * The converting thread's young generation. 8 rather than 16 MiB: at a million leads with rows
 * not used (a sixth rejected, 3M unmatched activities) the run peaked 10-60 MiB lower, for about
 * 50 ms more of the worker's scavenges (bench/README.md, issue 15).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/**
 * The worker's module. Built, it sits beside this one; run from the TypeScript sources (the
 * tests), the built copy is used, which `npm test` builds first.
 */
function workerUrl(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("../../dist/snapshot/convert-worker.js", here) : new URL("./convert-worker.js", here);
}

/**
 * The second thread, started before it has work: it loads its modules (bench/README.md) while
 * this thread reads the policy and finds the files, when the second core is idle anyway.
 */
export class ConversionThread {
  readonly signals = new Int32Array(new SharedArrayBuffer(8));
  /** This thread's end: messages are taken from it synchronously (receiveMessageOnPort). */
  readonly port: MessagePort;
  readonly worker: Worker;
  private taken = false;

  constructor() {
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    const data: WorkerData = { signals: this.signals.buffer as SharedArrayBuffer, port: port2 };
    // A small young generation: the second thread's garbage is short-lived strings, and a larger
    // one raises the peak without saving time (bench/README.md).
    this.worker = new Worker(workerUrl(), { workerData: data, transferList: [port2], resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB } });
    // Waiting for work, it must not keep the process alive: a command may end before giving it any.
    this.worker.unref();
  }

  /** Hands the thread to convertInParallel, which stops it when done. */
  take(): this {
    this.taken = true;
    this.worker.ref();
    return this;
  }

  /** Stops the thread unless convertInParallel took it. */
  dispose(): void {
    if (!this.taken) this.stop();
  }

  /** Stops the thread. */
  stop(): void {
    this.port.close();
    void this.worker.terminate();
  }
}

/** What the main thread has received of one file's part from the second thread. */
interface PartQueue {
  batches: Array<{ batch: Batch; bytes: number }>;
  done: boolean;
  stop?: SnapshotError | undefined;
  /** Activities: line breaks before the part (see WorkerMessage "lines-before"). */
  breaksBefore?: number | undefined;
  /** Activities: a quote came before the part's cut; the second thread does not read it. */
  quoteBefore?: boolean | undefined;
  /** Once done: how many lines the part spans. */
  lines?: number | undefined;
}

/**
 * A snapshot folder read on two threads: the other implementation of the folder's source
 * (load.ts's FolderSource reads on one). Same rows, same lines, same figures.
 */
export class TwoThreadSource implements SnapshotSource {
  readonly engine = "memory";
  constructor(
    private readonly files: SnapshotFiles,
    readonly inputs: readonly SourceInput[],
    private readonly options: { onProgress?: OnProgress | undefined; secondThread?: ConversionThread | undefined },
  ) {}

  estimate(): number {
    return estimateRows(this.files.leads);
  }

  rows(plan: EvalPlan, sink: RowSink): Promise<SourceEnd> {
    const { into, onBytes } = withProgress(sink, this.options.onProgress);
    return convertInParallel(this.files, conversionSetup(plan), into, onBytes, this.options.secondThread);
  }
}

/**
 * convertSnapshotFiles on two threads. Each CSV file is cut at row boundaries (splitPoints)
 * into parts, alternately this thread's and the second's: this thread converts its parts into
 * `sink` as it reads, while a second thread converts the others into batches of typed arrays,
 * which this thread feeds to `sink`.
 *
 * Leads are fed in file order, part after part, as on one thread, since the first of two rows
 * with one id is the one used. Activities need no order (each adds to its
 * lead's tallies), so the second thread's batches are fed between this thread's own chunks as
 * they arrive, and their rejects are put in line order by the caller. Either way every row is
 * seen once with its true line, and every figure comes out as on one thread
 * (test/snapshot/parallel.test.ts). A file that cannot be cut (quoted fields before the cut,
 * NDJSON, JSON, too small) is read whole here.
 */
export async function convertInParallel(
  files: SnapshotFiles,
  setup: ConvertSetup,
  sink: ConvertedSink,
  onBytes?: (file: DataFile, n: number) => void,
  started?: ConversionThread,
): Promise<ConvertEnd> {
  // Started now if not before: loading its modules then overlaps with finding the cuts at least.
  const thread = (started ?? new ConversionThread()).take();
  // How to convert first, so that the second thread compiles its schema check and conditions
  // while this one finds the cuts; then its parts.
  const task: WorkerTask = { files, fields: setup.fields.map((f) => ({ ...f })), schema: setup.schema, zone: setup.zone.name, classification: setup.classification, activitySlots: setup.activitySlots, activityFields: setup.activityFields };
  thread.port.postMessage(task);
  let split: FileParts;
  try {
    split = cutFiles(files);
  } catch (error) {
    thread.stop();
    throw error;
  }
  if (!split.parts.leads && !split.parts.activities) {
    thread.stop();
    return convertSnapshotFiles(files, setup, sink, onBytes);
  }
  thread.port.postMessage(split.parts);
  try {
    return await new TwoThreadRun(thread, split, setup, sink, onBytes).run(files);
  } finally {
    thread.stop();
  }
}

interface FileParts {
  /** Each file's parts, this thread's and the second's, in file order. */
  between: Partial<Record<DataFile["kind"], ReturnType<typeof partsBetween>>>;
  /** The second thread's parts, as sent to it. */
  parts: Parts;
}

function cutFiles(files: SnapshotFiles): FileParts {
  const parts: Parts = {};
  const between: FileParts["between"] = {};
  for (const file of [files.leads, files.activities]) {
    if (!file) continue;
    // Activities are cut without looking for quotes before the cut: that would read half the
    // file on this thread before the first row; the second thread looks when it counts the
    // line breaks there, and convertActivities reads the file whole if it finds one.
    const cut = partsBetween(splitPoints(file, cutShares(file.kind), file.kind === "activities" ? "unchecked" : "checked"));
    between[file.kind] = cut;
    if (cut.theirs.length > 0) parts[file.kind] = cut.theirs;
  }
  return { between, parts };
}

/** One run on two threads: this thread converts its parts and feeds the second's batches to the sink. */
class TwoThreadRun {
  private readonly signals: Int32Array;
  private readonly port: MessagePort;
  private readonly queues: Record<DataFile["kind"], PartQueue[]>;
  /** Whether the second thread said it is done; and the times without an offset in its rows that were used. */
  private workerDone = false;
  private workerNaive = 0;
  private workerEmpty: number[] = [];
  private failure: unknown;
  private readonly idColumn: number;
  /**
   * Which definitions a lead from the second thread is in, when it classified it: from the
   * boolean columns after the id, by definition index.
   */
  private readonly decided: boolean[];
  private readonly firstDefinition: number;
  /** The column of each kind of batch holding its rows' counts of times without an offset. */
  private readonly naive: Record<DataFile["kind"], number>;
  private readonly readers: Record<DataFile["kind"], BatchReader>;

  constructor(
    thread: ConversionThread,
    private readonly split: FileParts,
    private readonly setup: ConvertSetup,
    private readonly sink: ConvertedSink,
    private readonly onBytes: ((file: DataFile, n: number) => void) | undefined,
  ) {
    this.signals = thread.signals;
    this.port = thread.port;
    this.queues = {
      leads: (split.parts.leads ?? []).map(() => ({ batches: [], done: false })),
      activities: (split.parts.activities ?? []).map(() => ({ batches: [], done: false })),
    };
    thread.worker.on("error", (error) => (this.failure ??= error));
    thread.worker.on("exit", (code) => {
      // Its last messages may still wait on the port: take them before judging how it ended.
      this.receive();
      if (!this.workerDone) this.failure ??= new Error(`internal: the second reading thread stopped (exit code ${code}) before it finished`);
    });
    this.idColumn = leadIdColumn(setup.fields);
    this.decided = new Array<boolean>(setup.classification?.definitions.length ?? 0).fill(false);
    this.firstDefinition = definitionColumn(setup.fields, 0);
    this.naive = { leads: naiveColumn(this.firstDefinition + this.decided.length), activities: naiveColumn((setup.activityFields ?? DEFAULT_ACTIVITY_FIELDS).length) };
    this.readers = { leads: new BatchReader(this.naive.leads + 1), activities: new BatchReader(this.naive.activities + 1) };
  }

  async run(files: SnapshotFiles): Promise<ConvertEnd> {
    const converter = new SnapshotConverter(this.setup, this.sink);
    await this.convertLeads(converter, files.leads);
    if (files.activities) await this.convertActivities(converter, files.activities);
    while (!this.workerDone) {
      this.receive();
      if (this.workerDone) break;
      await this.waitForMessage();
    }
    // Empty on both threads: no lead had a value there.
    const workerEmpty = this.workerEmpty;
    const emptySlots = converter.emptySlots.filter((slot) => workerEmpty.includes(slot));
    return { naiveTimestamps: converter.naiveTimestamps + this.workerNaive, emptySlots };
  }

  /** Leads in file order, part by part. The second thread numbers each part's lines from 1. */
  private async convertLeads(converter: SnapshotConverter, leads: DataFile): Promise<void> {
    const onBytes = this.onBytes;
    const leadBytes = onBytes ? (n: number) => onBytes(leads, n) : undefined;
    const leadParts = this.split.between.leads!;
    let nextLine = 1;
    for (let i = 0, own = 0, theirs = 0; i < leadParts.order.length; i++) {
      if (leadParts.order[i] === "own") {
        const range = { ...leadParts.own[own++]!, firstLine: nextLine };
        nextLine = (await converter.convert(leads, range, leadBytes)).nextLine;
      } else {
        nextLine += await this.drain(leads, this.queues.leads[theirs++]!, nextLine - 1);
      }
    }
  }

  /**
   * The second part's activities are fed between this thread's own chunks, as they come; or,
   * when a quote came before the cut (a quoted field may span it), the file is read whole here.
   */
  private async convertActivities(converter: SnapshotConverter, activities: DataFile): Promise<void> {
    const activityQueue = this.queues.activities[0];
    if (activityQueue && (await this.quoteBeforeCut(activityQueue))) {
      await converter.convert(activities, undefined, (n) => this.onBytes?.(activities, n));
      return;
    }
    const between = (): void => {
      this.receive();
      if (activityQueue?.breaksBefore !== undefined && !activityQueue.stop) this.feedReceived(activities, activityQueue, activityQueue.breaksBefore);
    };
    const activitiesEnd = await converter.convert(activities, this.split.between.activities!.own[0], (n) => {
      this.onBytes?.(activities, n);
      between();
    });
    if (activityQueue) await this.drain(activities, activityQueue, activitiesEnd.nextLine - 1);
  }

  /** Waits for the second thread's word on the activities' cut: it has come long before, unless that thread is slow. */
  private async quoteBeforeCut(queue: PartQueue): Promise<boolean> {
    for (;;) {
      this.receive();
      if (this.failure) throw this.failure;
      if (queue.stop) throw queue.stop;
      if (queue.breaksBefore !== undefined) return queue.quoteBefore === true;
      await this.waitForMessage();
    }
  }

  /** Takes the messages waiting on the port, without waiting: this thread may be mid-file. */
  private receive(): void {
    for (let received = receiveMessageOnPort(this.port); received; received = receiveMessageOnPort(this.port)) {
      const message = received.message as WorkerMessage;
      if (message.type === "done") {
        this.workerDone = true;
        this.workerEmpty = message.emptySlots;
        continue;
      }
      const queue = this.queues[message.kind][message.part]!;
      switch (message.type) {
        case "batch":
          queue.batches.push({ batch: message.batch, bytes: message.bytes });
          break;
        case "lines-before":
          queue.breaksBefore = message.breaks;
          queue.quoteBefore = message.quoteBefore;
          break;
        case "part-done":
          queue.lines = message.lines;
          queue.done = true;
          break;
        case "stop":
          queue.stop = new SnapshotError(message.message, message.file, message.line);
          queue.done = true;
          break;
      }
    }
  }

  /** Waits a little for the next message; now and then lets the thread's events (a crash) through. */
  private async waitForMessage(): Promise<void> {
    const posted = Atomics.load(this.signals, POSTED);
    this.receive();
    if (Atomics.wait(this.signals, POSTED, posted, 20) === "timed-out") await new Promise((resolve) => setImmediate(resolve));
    if (this.failure) throw this.failure;
  }

  /**
   * Feeds one batch to the sink; its lines become the file's by adding `offset`. Rejects and
   * rows interleaved by line, as one thread would meet them: each loop below stops at the next
   * reject. The loops are methods of their own, one per kind of file, so that each call per
   * row has one target, and nothing follows a loop in them: V8 compiles a long loop while it
   * runs and reuses that code on later calls, and code after the loop that had not yet run
   * when it was compiled bailed out at every batch.
   */
  private feed(kind: DataFile["kind"], batch: Batch, offset: number): void {
    const rows = this.readers[kind].decode(batch);
    const rejects = batch.rejects;
    for (let from = 0, next = 0; ; ) {
      const until = next < rejects.length ? rejects[next]!.line : Infinity;
      from = kind === "leads" ? this.feedLeads(batch, rows, from, until, offset) : this.feedActivities(batch, rows, from, until, offset);
      if (next === rejects.length) return;
      this.sink.reject(kind, rejects[next]!.line + offset, rejects[next]!.reason, rejects[next]!.leadId);
      next++;
    }
  }

  /** Feeds rows from `from` to the first on line `until` or after; returns where it stopped. */
  private feedLeads(batch: Batch, rows: ReadonlyArray<readonly Value[]>, from: number, until: number, offset: number): number {
    const { sink, decided, firstDefinition, idColumn } = this;
    const naive = this.naive.leads;
    const lines = batch.lines;
    let r = from;
    if (decided.length > 0) {
      for (; r < batch.rows && lines[r]! < until; r++) {
        const values = rows[r]!;
        for (let d = 0; d < decided.length; d++) decided[d] = values[firstDefinition + d] === true;
        if (sink.lead(lines[r]! + offset, values[idColumn] as string, values, decided)) this.workerNaive += values[naive] as number;
      }
    } else {
      for (; r < batch.rows && lines[r]! < until; r++) if (sink.lead(lines[r]! + offset, rows[r]![idColumn] as string, rows[r]!)) this.workerNaive += rows[r]![naive] as number;
    }
    return r;
  }

  private feedActivities(batch: Batch, rows: ReadonlyArray<readonly Value[]>, from: number, until: number, offset: number): number {
    const sink = this.sink;
    const naive = this.naive.activities;
    const lines = batch.lines;
    let r = from;
    for (; r < batch.rows && lines[r]! < until; r++) if (sink.activity(lines[r]! + offset, rows[r]!)) this.workerNaive += rows[r]![naive] as number;
    return r;
  }

  /** Feeds the batches of one of the second thread's parts of a file received so far. */
  private feedReceived(file: DataFile, queue: PartQueue, offset: number): void {
    for (let next = queue.batches.shift(); next; next = queue.batches.shift()) {
      Atomics.sub(this.signals, IN_FLIGHT, 1);
      Atomics.notify(this.signals, IN_FLIGHT);
      if (next.bytes > 0) this.onBytes?.(file, next.bytes);
      this.feed(file.kind, next.batch, offset);
    }
  }

  /**
   * Feeds the rest of one of the second thread's parts, batch by batch as they come, until it
   * is done; returns how many lines it spans.
   */
  private async drain(file: DataFile, queue: PartQueue, offset: number): Promise<number> {
    for (;;) {
      this.receive();
      if (this.failure) throw this.failure;
      if (queue.stop) throw queue.stop;
      this.feedReceived(file, queue, offset);
      if (queue.done) return queue.lines!;
      await this.waitForMessage();
    }
  }
}

import { availableParallelism } from "node:os";
import { runPlan, type RunOptions as PlanRunOptions, type SnapshotRun } from "../engine/evaluate.js";
import type { Value } from "../engine/ir.js";
import { activitySlotsRead, slotsReadAfterClassifying, type EvalPlan } from "../engine/plan.js";
import type { RowSink, SnapshotSource, SourceEnd, SourceInput } from "../engine/source.js";
import { convertSnapshotFiles, type ConvertSetup, type SnapshotFiles } from "./convert-files.js";
import { leadRecordSchemaFromPlan } from "./lead-schema.js";
import { ConversionThread, convertInParallel } from "./parallel.js";
import { estimateRows, findDataFiles, type DataFile } from "./read.js";

export type { SnapshotRun };

export interface FolderOptions {
  /** Called with bytes and rows read of a file so far, for a progress bar. */
  onProgress?: ((file: DataFile, bytesSoFar: number, rowsSoFar: number) => void) | undefined;
  /**
   * Read and convert part of each file on a second thread (parallel.ts): "auto" does so for
   * snapshots of PARALLEL_FROM_BYTES or more, where it pays for itself.
   */
  threads?: "auto" | "one" | "two" | undefined;
  /** A second thread started early (readySecondThread): used if the run wants one, else stopped. */
  secondThread?: ConversionThread | undefined;
}

export interface RunOptions extends FolderOptions, Omit<PlanRunOptions, "asOf"> {
  plan: EvalPlan;
  /** Absolute folder, and the name to show for it. */
  dir: string;
  shown: string;
  asOf: number;
}

/**
 * Below this a second thread costs more than it saves (its start-up and the batches' encoding):
 * it was slower at 100,000 and 300,000 leads, faster at a million (bench/README.md).
 */
export const PARALLEL_FROM_BYTES = 64 * 1024 * 1024;

/**
 * Whether a run over these files reads them on a second thread. `auto` also wants a second
 * core: on a one-core CI runner the two threads would take turns and only add their overhead.
 */
export function usesSecondThread(files: SnapshotFiles, threads: FolderOptions["threads"] = "auto", cores = availableParallelism()): boolean {
  if (threads !== "auto") return threads === "two";
  return cores >= 2 && files.leads.bytes + (files.activities?.bytes ?? 0) >= PARALLEL_FROM_BYTES;
}

/**
 * Starts the second thread now if a run over this folder will want one, so that it loads while
 * the policy is read. The caller disposes of it when done; runSnapshot takes it if it uses it.
 * A folder that cannot be read here starts nothing: runSnapshot then says what is wrong.
 */
export async function readySecondThread(dir: string, threads: FolderOptions["threads"]): Promise<ConversionThread | undefined> {
  if (threads === "one") return undefined;
  try {
    const files = await findDataFiles(dir, dir);
    return usesSecondThread(files, threads) ? new ConversionThread() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A snapshot folder as a source of rows (engine/source.ts): leads.csv|ndjson|json and
 * activities, read on this thread or, for large files, on two (parallel.ts).
 */
export class FolderSource implements SnapshotSource {
  readonly inputs: SourceInput[];

  private constructor(
    private readonly files: SnapshotFiles,
    private readonly options: FolderOptions,
  ) {
    this.inputs = [files.leads, files.activities].flatMap((f) => (f ? [{ name: f.file, kind: f.kind }] : []));
  }

  /** Finds the data files of a folder; `shown` is how the folder is named in messages. */
  static async open(dir: string, shown: string, options: FolderOptions = {}): Promise<FolderSource> {
    return new FolderSource(await findDataFiles(dir, shown), options);
  }

  estimate(): number {
    return estimateRows(this.files.leads);
  }

  rows(plan: EvalPlan, sink: RowSink): Promise<SourceEnd> {
    const setup: ConvertSetup = {
      fields: plan.fields,
      schema: leadRecordSchemaFromPlan(plan),
      zone: plan.zone,
      activitySlots: activitySlotsRead(plan),
      activityFields: plan.activityFields,
      // On two threads the second classifies its leads and sends what SLAs and goals read: its
      // email, scores and the like never cross (encoding and decoding them was ~10% of a run).
      classification: { definitions: plan.definitions.map((d) => ({ index: d.index, ir: d.ir })), slots: slotsReadAfterClassifying(plan) },
    };
    const progress = this.options.onProgress ? new Progress(this.options.onProgress, sink) : undefined;
    const into = progress ?? sink;
    const onBytes = progress ? (file: DataFile, n: number) => progress.bytes(file, n) : undefined;
    const twoThreads = usesSecondThread(this.files, this.options.threads);
    if (!twoThreads) this.options.secondThread?.dispose();
    return twoThreads
      ? convertInParallel(this.files, setup, into, onBytes, this.options.secondThread)
      : convertSnapshotFiles(this.files, setup, into, onBytes);
  }
}

/** Bytes and rows read of each file, for a progress bar; in between only when a bar is shown. */
class Progress implements RowSink {
  private readonly bytesSoFar = new Map<DataFile, number>();
  private readonly rows = { leads: 0, activities: 0 };

  constructor(
    private readonly report: NonNullable<FolderOptions["onProgress"]>,
    private readonly sink: RowSink,
  ) {}

  bytes(file: DataFile, n: number): void {
    const total = (this.bytesSoFar.get(file) ?? 0) + n;
    this.bytesSoFar.set(file, total);
    this.report(file, total, this.rows[file.kind]);
  }

  lead(line: number, id: string, values: readonly Value[], definitions?: readonly boolean[]): void {
    this.rows.leads++;
    this.sink.lead(line, id, values, definitions);
  }

  activity(line: number, values: readonly Value[]): void {
    this.rows.activities++;
    this.sink.activity(line, values);
  }

  reject(kind: DataFile["kind"], line: number, reason: string, leadId?: string): void {
    this.rows[kind]++;
    this.sink.reject(kind, line, reason, leadId);
  }
}

/** A snapshot folder run through the evaluator (engine/evaluate.ts's runPlan over a FolderSource). */
export async function runSnapshot(options: RunOptions): Promise<SnapshotRun> {
  const source = await FolderSource.open(options.dir, options.shown, options);
  return runPlan(options.plan, source, {
    asOf: options.asOf,
    keepLeadOutcomes: options.keepLeadOutcomes ?? false,
    leadsPerResult: options.leadsPerResult,
    keepLeadRows: options.keepLeadRows,
  });
}

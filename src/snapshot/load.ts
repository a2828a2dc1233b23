import { availableParallelism } from "node:os";
import { runPlan, type RunOptions as PlanRunOptions, type SnapshotRun } from "../engine/evaluate.js";
import type { EvalPlan } from "../engine/plan.js";
import type { RowSink, SnapshotSource, SourceEnd, SourceInput } from "../engine/source.js";
import { convertSnapshotFiles, type SnapshotFiles } from "./convert-files.js";
import { ConversionThread, TwoThreadSource } from "./parallel.js";
import { withProgress, type OnProgress } from "./progress-sink.js";
import { estimateRows, findDataFiles } from "./read.js";
import { conversionSetup, inputsOf } from "./source-setup.js";

export type { SnapshotRun };

export interface FolderOptions {
  /** Called with bytes and rows read of a file so far, for a progress bar. */
  onProgress?: OnProgress | undefined;
  /**
   * Read and convert part of each file on a second thread (parallel.ts): "auto" does so for
   * snapshots of PARALLEL_FROM_BYTES or more, where it pays for itself.
   */
  threads?: "auto" | "one" | "two" | undefined;
  /** A second thread started early (readySecondThread): used if the run wants one, else stopped. */
  secondThread?: ConversionThread | undefined;
  /**
   * Every column of every row converted, on this thread (`explain` shows a lead's values and its
   * activities' types, which a run does not otherwise read).
   */
  wholeRows?: boolean | undefined;
}

export interface RunOptions extends FolderOptions, Omit<PlanRunOptions, "asOf"> {
  plan: EvalPlan;
  /** Absolute folder, and the name to show for it. */
  dir: string;
  shown: string;
  asOf: number;
}

/**
 * Below this a second thread costs about what it saves (its start-up and the batches'
 * encoding); above it, it saves (bench/README.md).
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
 * activities, each read by its format's module (csv.ts, ndjson.ts, json.ts), on this thread.
 * `open` gives this source, or the two-thread one (parallel.ts) for large files.
 */
export class FolderSource implements SnapshotSource {
  readonly engine = "memory";
  readonly inputs: SourceInput[];

  constructor(
    private readonly files: SnapshotFiles,
    private readonly options: FolderOptions = {},
  ) {
    this.inputs = inputsOf(files);
  }

  /**
   * The source for a folder: on two threads when `threads` asks for it (or, with "auto", when
   * the files are large), else on this one. `shown` is how the folder is named in messages.
   */
  static async open(dir: string, shown: string, options: FolderOptions = {}): Promise<SnapshotSource> {
    const files = await findDataFiles(dir, shown);
    if (!options.wholeRows && usesSecondThread(files, options.threads)) return new TwoThreadSource(files, inputsOf(files), options);
    options.secondThread?.dispose();
    return new FolderSource(files, options);
  }

  estimate(): number {
    return estimateRows(this.files.leads);
  }

  rows(plan: EvalPlan, sink: RowSink): Promise<SourceEnd> {
    const { into, onBytes } = withProgress(sink, this.options.onProgress);
    return convertSnapshotFiles(this.files, conversionSetup(plan, this.options.wholeRows), into, onBytes);
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

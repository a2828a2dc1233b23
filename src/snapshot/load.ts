import { availableParallelism } from "node:os";
import { Evaluator, type LeadRecordOutcome } from "../engine/evaluator.js";
import type { Value } from "../engine/ir.js";
import { ACTIVITY_SLOT, activitySlotsRead, slotsReadAfterClassifying, type EvalPlan } from "../engine/plan.js";
import type { RunFigures } from "../engine/assemble.js";
import type { FileInput, Reject } from "../engine/result.js";
import { show } from "./convert.js";
import { convertSnapshotFiles, type ConvertedSink, type ConvertSetup, type SnapshotFiles } from "./convert-files.js";
import { IdMap } from "./id-map.js";
import { Int32List } from "../engine/int-list.js";
import { leadRecordSchemaFromPlan } from "./lead-schema.js";
import { ConversionThread, convertInParallel } from "./parallel.js";
import { estimateRows, findDataFiles, type DataFile } from "./read.js";

/** What a run over a snapshot found: the figures the report is assembled from, and per-lead outcomes when asked. */
export interface SnapshotRun extends RunFigures {
  leadOutcomes: Map<string, LeadRecordOutcome>;
}

export interface RunOptions {
  plan: EvalPlan;
  /** Absolute folder, and the name to show for it. */
  dir: string;
  shown: string;
  asOf: number;
  keepLeadOutcomes?: boolean;
  /** Called with bytes and rows read of a file so far, for a progress bar. */
  onProgress?: (file: DataFile, bytesSoFar: number, rowsSoFar: number) => void;
  /**
   * Read and convert part of each file on a second thread (parallel.ts): "auto" does so for
   * snapshots of PARALLEL_FROM_BYTES or more, where it pays for itself.
   */
  threads?: "auto" | "one" | "two";
  /** A second thread started early (readySecondThread): used if the run wants one, else stopped. */
  secondThread?: ConversionThread | undefined;
}

/**
 * Below this a second thread costs more than it saves: its start-up (about 150 ms, most of it
 * loading modules) and the batches' encoding. Measured (bench/README.md): slower at 100,000
 * leads (24 MiB), even at 300,000 (70 MiB), 15–20% faster at a million (235 MiB).
 */
export const PARALLEL_FROM_BYTES = 64 * 1024 * 1024;

/**
 * Whether a run over these files reads them on a second thread. `auto` also wants a second
 * core: on a one-core CI runner the two threads would take turns and only add their overhead.
 */
export function usesSecondThread(files: SnapshotFiles, threads: RunOptions["threads"] = "auto", cores = availableParallelism()): boolean {
  if (threads !== "auto") return threads === "two";
  return cores >= 2 && files.leads.bytes + (files.activities?.bytes ?? 0) >= PARALLEL_FROM_BYTES;
}

/**
 * Starts the second thread now if a run over this folder will want one, so that it loads while
 * the policy is read. The caller disposes of it when done; runSnapshot takes it if it uses it.
 * A folder that cannot be read here starts nothing: runSnapshot then says what is wrong.
 */
export async function readySecondThread(dir: string, threads: RunOptions["threads"]): Promise<ConversionThread | undefined> {
  if (threads === "one") return undefined;
  try {
    const files = await findDataFiles(dir, dir);
    return usesSecondThread(files, threads) ? new ConversionThread() : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Streams a snapshot folder through the evaluator: leads first (each classified and reduced as it
 * is read), then activities. Every row is used or rejected with its file, line and reason.
 */
export async function runSnapshot(options: RunOptions): Promise<SnapshotRun> {
  const { plan, asOf } = options;
  const { leads, activities } = await findDataFiles(options.dir, options.shown);
  const expectedLeads = estimateRows(leads);
  const evaluator = new Evaluator(plan, { asOf, keepLeadOutcomes: options.keepLeadOutcomes ?? false, expectedLeads });
  const rejects: Reject[] = [];
  const files: FileInput[] = [];
  // Every lead id read, with the number the evaluator gave it; the line it was first seen on, by that number.
  // Sized for the leads expected at once: grown by copying, a million-entry list leaves its
  // outgrown copies behind and faults in fresh pages at every step.
  const leadNumbers = new IdMap(expectedLeads);
  const firstLines = new Int32List(expectedLeads);
  let duplicateLeadIds = 0;
  let unknownLeadActivities = 0;

  const leadStats: FileInput = { file: leads.file, kind: "leads", read: 0, used: 0, rejected: 0 };
  const activityStats: FileInput | undefined = activities ? { file: activities.file, kind: "activities", read: 0, used: 0, rejected: 0 } : undefined;
  files.push(leadStats);
  if (activityStats) files.push(activityStats);

  let lastLeadId: string | undefined;
  let lastLead: number | undefined;

  const reject = (stats: FileInput, line: number, reason: string): void => {
    stats.rejected++;
    rejects.push({ file: stats.file, line, reason });
  };

  const sink: ConvertedSink = {
    reject(kind, line, reason) {
      const stats = kind === "leads" ? leadStats : activityStats!;
      stats.read++;
      reject(stats, line, reason);
    },
    lead(line: number, id: string, values: readonly Value[], definitions?: readonly boolean[]) {
      leadStats.read++;
      // The evaluator numbers leads 0, 1, 2… as they are added: the next one is leadNumbers.size.
      const first = leadNumbers.addNew(id, leadNumbers.size);
      if (first !== undefined) {
        duplicateLeadIds++;
        reject(leadStats, line, `duplicate lead id '${show(id)}' (first on line ${firstLines.at(first)}); the first one is used`);
        return;
      }
      const number = definitions ? evaluator.addClassifiedLead(id, values, definitions) : evaluator.addLead(id, values);
      if (number !== leadNumbers.size - 1) throw new Error("internal: lead numbers out of step");
      firstLines.push(line);
      leadStats.used++;
    },
    activity(line: number, values: readonly Value[]) {
      const stats = activityStats!;
      stats.read++;
      const leadId = values[ACTIVITY_SLOT.leadId];
      // A lead's activities mostly come together (exports sort by record or time): comparing
      // with the last id is cheaper than hashing and probing a table of a million.
      let lead: number | undefined;
      if (leadId === lastLeadId) lead = lastLead;
      else if (typeof leadId === "string") {
        lead = leadNumbers.get(leadId);
        lastLeadId = leadId;
        lastLead = lead;
      }
      if (lead === undefined) {
        unknownLeadActivities++;
        reject(stats, line, `activity for unknown lead '${show(String(leadId))}'`);
        return;
      }
      evaluator.addActivity(lead, values);
      stats.used++;
    },
  };

  const snapshotFiles: SnapshotFiles = { leads, activities };
  const setup: ConvertSetup = {
    fields: plan.fields,
    schema: leadRecordSchemaFromPlan(plan),
    zone: plan.zone,
    activitySlots: activitySlotsRead(plan),
    // On two threads the second classifies its leads and sends what SLAs and goals read: its
    // email, scores and the like never cross (encoding and decoding them was ~10% of a run).
    classification: { definitions: plan.definitions.map((d) => ({ index: d.index, ir: d.ir })), slots: slotsReadAfterClassifying(plan) },
  };
  const bytesSoFar = new Map<DataFile, number>();
  const onBytes = options.onProgress
    ? (file: DataFile, n: number) => {
        const total = (bytesSoFar.get(file) ?? 0) + n;
        bytesSoFar.set(file, total);
        options.onProgress!(file, total, (file.kind === "leads" ? leadStats : activityStats)?.read ?? 0);
      }
    : undefined;
  const twoThreads = usesSecondThread(snapshotFiles, options.threads);
  if (!twoThreads) options.secondThread?.dispose();
  const { naiveTimestamps, emptySlots } = twoThreads
    ? await convertInParallel(snapshotFiles, setup, sink, onBytes, options.secondThread)
    : await convertSnapshotFiles(snapshotFiles, setup, sink, onBytes);

  // On two threads activity rows are met out of line order (parallel.ts): rejects are listed by file and line.
  const fileOrder = new Map(files.map((f, i) => [f.file, i]));
  rejects.sort((a, b) => fileOrder.get(a.file)! - fileOrder.get(b.file)! || a.line - b.line);
  const finished = evaluator.finish();
  return {
    files,
    rejects,
    naiveTimestamps,
    duplicateLeadIds,
    unknownLeadActivities,
    activitiesAfterAsOf: evaluator.activitiesAfterAsOf,
    leadsBeforeEffective: evaluator.leadsBeforeEffective,
    inForce: evaluator.inForce,
    definitions: finished.definitions,
    slas: finished.slas,
    goals: finished.goals,
    ...emptyFields(plan, emptySlots, leadStats.used),
    leadOutcomes: evaluator.leadOutcomes,
  };
}

/**
 * The fields no lead had a value in: those of `by` (W0103: every lead falls in one group), and
 * the others (W0106: every condition on them is false; most often a column the export lacks
 * or named differently). With no lead at all, only the first are said, as before.
 */
function emptyFields(plan: EvalPlan, emptySlots: readonly number[], leadsUsed: number): Pick<RunFigures, "emptyGroupFields" | "emptyFields"> {
  const empty = new Set(emptySlots);
  const grouping = new Set(plan.slas.flatMap((s) => s.by).concat(plan.goals.flatMap((g) => g.by)).map((f) => f.name));
  return {
    emptyGroupFields: plan.fields.filter((f) => grouping.has(f.name) && empty.has(f.slot)).map((f) => f.name),
    emptyFields: leadsUsed === 0 ? [] : plan.fields.filter((f) => !grouping.has(f.name) && empty.has(f.slot)).map((f) => f.name),
  };
}

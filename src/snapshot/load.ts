import { Evaluator, type LeadRecordOutcome } from "../engine/evaluator.js";
import { ACTIVITY_SLOT, type EvalPlan } from "../engine/plan.js";
import type { RunFigures } from "../engine/assemble.js";
import type { FileInput, Reject } from "../engine/result.js";
import { ActivityConverter, LeadConverter, show } from "./convert.js";
import { IdMap } from "./id-map.js";
import { leadRecordSchemaFromPlan } from "./lead-schema.js";
import { findDataFiles, forEachRow, type DataFile } from "./read.js";

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
  /** Called with bytes read, for a progress bar. */
  onProgress?: (file: DataFile, bytesSoFar: number) => void;
}

/**
 * Streams a snapshot folder through the evaluator: leads first (each classified and reduced as it
 * is read), then activities. Every row is used or rejected with its file, line and reason.
 */
export async function runSnapshot(options: RunOptions): Promise<SnapshotRun> {
  const { plan, asOf } = options;
  const { leads, activities } = await findDataFiles(options.dir, options.shown);
  const evaluator = new Evaluator(plan, { asOf, keepLeadOutcomes: options.keepLeadOutcomes ?? false });
  const leadConverter = new LeadConverter({ fields: plan.fields, schema: leadRecordSchemaFromPlan(plan), zone: plan.zone });
  const activityConverter = new ActivityConverter(leadConverter.timestamps);
  const rejects: Reject[] = [];
  const files: FileInput[] = [];
  // Every lead id read, with the number the evaluator gave it; the line it was first seen on, by that number.
  const leadNumbers = new IdMap();
  const firstLines: number[] = [];
  let duplicateLeadIds = 0;
  let unknownLeadActivities = 0;
  // Fields of `by` that no lead has filled in yet (W0103); most are found in the first rows.
  let unfilledGroupFields = [...new Map(plan.slas.flatMap((s) => s.by).concat(plan.goals.flatMap((g) => g.by)).map((f) => [f.name, f])).values()];

  const reject = (stats: FileInput, line: number, reason: string): void => {
    stats.rejected++;
    rejects.push({ file: stats.file, line, reason });
  };

  const progress = (file: DataFile) => {
    let bytes = 0;
    return options.onProgress ? (n: number) => options.onProgress!(file, (bytes += n)) : undefined;
  };

  const leadStats: FileInput = { file: leads.file, kind: "leads", read: 0, used: 0, rejected: 0 };
  files.push(leadStats);
  await forEachRow(
    leads,
    (row) => {
      leadStats.read++;
      if ("error" in row) {
        reject(leadStats, row.line, row.error);
        return;
      }
      const converted = leadConverter.convert(row.record);
      if (!converted.ok) {
        reject(leadStats, row.line, converted.reason);
        return;
      }
      // The evaluator numbers leads 0, 1, 2… as they are added: the next one is leadNumbers.size.
      const first = leadNumbers.addNew(converted.id, leadNumbers.size);
      if (first !== undefined) {
        duplicateLeadIds++;
        reject(leadStats, row.line, `duplicate lead id '${show(converted.id)}' (first on line ${firstLines[first]}); the first one is used`);
        return;
      }
      if (unfilledGroupFields.length > 0) unfilledGroupFields = unfilledGroupFields.filter((f) => converted.values[f.slot] === null);
      if (evaluator.addLead(converted.id, converted.values) !== leadNumbers.size - 1) throw new Error("internal: lead numbers out of step");
      firstLines.push(row.line);
      leadStats.used++;
    },
    progress(leads),
  );

  if (activities) {
    const stats: FileInput = { file: activities.file, kind: "activities", read: 0, used: 0, rejected: 0 };
    files.push(stats);
    await forEachRow(
      activities,
      (row) => {
        stats.read++;
        if ("error" in row) {
          reject(stats, row.line, row.error);
          return;
        }
        const converted = activityConverter.convert(row.record);
        if (!converted.ok) {
          reject(stats, row.line, converted.reason);
          return;
        }
        const leadId = converted.values[ACTIVITY_SLOT.leadId];
        const lead = typeof leadId === "string" ? leadNumbers.get(leadId) : undefined;
        if (lead === undefined) {
          unknownLeadActivities++;
          reject(stats, row.line, `activity for unknown lead '${show(String(leadId))}'`);
          return;
        }
        evaluator.addActivity(lead, converted.values);
        stats.used++;
      },
      progress(activities),
    );
  }

  const finished = evaluator.finish();
  return {
    files,
    rejects,
    naiveTimestamps: leadConverter.timestamps.naive,
    duplicateLeadIds,
    unknownLeadActivities,
    activitiesAfterAsOf: evaluator.activitiesAfterAsOf,
    leadsBeforeEffective: evaluator.leadsBeforeEffective,
    inForce: evaluator.inForce,
    definitions: finished.definitions,
    slas: finished.slas,
    goals: finished.goals,
    emptyGroupFields: unfilledGroupFields.map((f) => f.name),
    leadOutcomes: evaluator.leadOutcomes,
  };
}

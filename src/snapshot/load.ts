import { Evaluator, type LeadRecordOutcome } from "../engine/evaluator.js";
import { ACTIVITY_SLOTS, type EvalPlan } from "../engine/plan.js";
import type { FileInput, Reject, SlaResult, GoalResult } from "../engine/result.js";
import { ActivityConverter, LeadConverter } from "./convert.js";
import { leadRecordSchemaFromPlan } from "./lead-schema.js";
import { findDataFiles, forEachRow, type DataFile } from "./read.js";

export interface SnapshotRun {
  files: FileInput[];
  rejects: Reject[];
  naiveTimestamps: number;
  duplicateLeadIds: number;
  unknownLeadActivities: number;
  activitiesAfterAsOf: number;
  leadsBeforeEffective: number;
  inForce: boolean;
  definitions: Record<string, number>;
  slas: SlaResult[];
  goals: GoalResult[];
  /** `by` fields that had no value for any lead (W0103). */
  emptyGroupFields: string[];
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
  const firstLineOfLead = new Map<string, number>();
  let duplicateLeadIds = 0;
  let unknownLeadActivities = 0;
  const groupFields = new Set(plan.slas.flatMap((s) => s.by).concat(plan.goals.flatMap((g) => g.by)));
  const groupFieldsSeen = new Set<string>();

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
        leadStats.rejected++;
        rejects.push({ file: leads.file, line: row.line, reason: row.error });
        return;
      }
      const converted = leadConverter.convert(row.record);
      if (!converted.ok) {
        leadStats.rejected++;
        rejects.push({ file: leads.file, line: row.line, reason: converted.reason });
        return;
      }
      const first = firstLineOfLead.get(converted.id);
      if (first !== undefined) {
        duplicateLeadIds++;
        leadStats.rejected++;
        rejects.push({ file: leads.file, line: row.line, reason: `duplicate lead id '${converted.id}' (first on line ${first}); the first one is used` });
        return;
      }
      firstLineOfLead.set(converted.id, row.line);
      for (const f of groupFields) {
        if (!groupFieldsSeen.has(f.name) && converted.values[f.slot] !== null) groupFieldsSeen.add(f.name);
      }
      evaluator.addLead(converted.id, converted.values);
      leadStats.used++;
    },
    progress(leads),
  );

  if (activities) {
    const stats: FileInput = { file: activities.file, kind: "activities", read: 0, used: 0, rejected: 0 };
    files.push(stats);
    const leadIdSlot = ACTIVITY_SLOTS.get("lead_id")!;
    await forEachRow(
      activities,
      (row) => {
        stats.read++;
        if ("error" in row) {
          stats.rejected++;
          rejects.push({ file: activities.file, line: row.line, reason: row.error });
          return;
        }
        const converted = activityConverter.convert(row.record);
        if (!converted.ok) {
          stats.rejected++;
          rejects.push({ file: activities.file, line: row.line, reason: converted.reason });
          return;
        }
        const leadId = converted.values[leadIdSlot];
        if (typeof leadId !== "string" || !firstLineOfLead.has(leadId)) {
          unknownLeadActivities++;
          stats.rejected++;
          rejects.push({ file: activities.file, line: row.line, reason: `activity for unknown lead '${String(leadId)}'` });
          return;
        }
        evaluator.addActivity(converted.values);
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
    emptyGroupFields: [...groupFields].filter((f) => !groupFieldsSeen.has(f.name)).map((f) => f.name),
    leadOutcomes: evaluator.leadOutcomes,
  };
}

import { activitySlotsRead, slotsReadAfterClassifying, type EvalPlan } from "../engine/plan.js";
import type { SourceInput } from "../engine/source.js";
import type { ConvertSetup, SnapshotFiles } from "./convert-files.js";
import { leadRecordSchemaFromPlan } from "./lead-schema.js";

/** The files of a folder as a source's inputs: leads, then activities when there are some. */
export function inputsOf(files: SnapshotFiles): SourceInput[] {
  return [files.leads, files.activities].flatMap((f) => (f ? [{ name: f.file, kind: f.kind }] : []));
}

/**
 * How a folder's rows are converted for a plan. On two threads the second classifies its leads
 * and sends what SLAs and goals read: its email, scores and the like never cross (encoding and
 * decoding them is not free: bench/README.md). `wholeRows`: every column, for `explain`.
 */
export function conversionSetup(plan: EvalPlan, wholeRows = false): ConvertSetup {
  return {
    fields: plan.fields,
    schema: leadRecordSchemaFromPlan(plan),
    zone: plan.zone,
    activitySlots: wholeRows ? undefined : activitySlotsRead(plan),
    activityFields: plan.activityFields,
    classification: { definitions: plan.definitions.map((d) => ({ index: d.index, ir: d.ir })), slots: slotsReadAfterClassifying(plan) },
  };
}

import type { DiagnosticCode } from "../lang/diagnostics.js";
import type { EvalPlan } from "./plan.js";
import type { WaiverFindings } from "./evaluator.js";
import { formatCount, plural } from "./plural.js";
import { show } from "./show.js";
import type { EvaluationResult, GoalResult, InputFigures, SlaResult, Status, VersionInForce } from "./result.js";
import { rowsReadForRejects, rowsRejected, STATUS_ORDER, worstStatus } from "./result.js";

export type FailOn = "hard" | "soft" | "never";

export interface RunFigures extends InputFigures {
  inForce: boolean;
  definitions: Record<string, number>;
  slas: SlaResult[];
  goals: GoalResult[];
  /** `by` fields that had no value for any lead (W0103). */
  emptyGroupFields: string[];
  /** Other fields that had no value for any lead (W0106). */
  emptyFields: string[];
  /** Waivers expired at as_of (W0703) and waived lead ids not in the snapshot (W0702). */
  waivers: WaiverFindings;
}

/** SLAs that fail the run: breached, of a severity that `--fail-on` counts, with the agreement in force. */
export function failingSlas(slas: readonly SlaResult[], failOn: FailOn, inForce: boolean): string[] {
  if (!inForce || failOn === "never") return [];
  const counted = failOn === "soft" ? new Set(["hard", "soft"]) : new Set(["hard"]);
  return slas.filter((s) => s.status === "breached" && counted.has(s.severity)).map((s) => s.id);
}

/** A warning about the snapshot found while evaluating it (W0103, W0106, W0107): a diagnostic without a place in the policy. */
export interface EvaluationWarning {
  code: DiagnosticCode;
  severity: "warning";
  message: string;
}

export function evaluationWarnings(run: RunFigures, plan: EvalPlan): EvaluationWarning[] {
  const warnings: EvaluationWarning[] = [];
  for (const field of run.emptyGroupFields) {
    warnings.push({ code: "W0103", severity: "warning", message: `grouping field '${field}' has no values in this snapshot; every lead falls in one '(none)' group.` });
  }
  for (const name of run.emptyFields) {
    const column = plan.fieldByName.get(name)?.column ?? name;
    warnings.push({
      code: "W0106",
      severity: "warning",
      message: `field '${name}' has no values in this snapshot (no lead has a value in column '${column}': is it missing from the export, or named differently?); every condition on it is false.`,
    });
  }
  const leadsUsed = run.files.filter((f) => f.kind === "leads").reduce((n, f) => n + f.used, 0);
  if (leadsUsed > 0) {
    for (const [id, n] of Object.entries(run.definitions)) {
      if (n > 0) continue;
      warnings.push({
        code: "W0107",
        severity: "warning",
        message: `lead definition '${id}' matches none of the ${plural(leadsUsed, "lead")} in this snapshot; every count on it is 0 (a value that differs from the export's, or a lead source that stopped?).`,
      });
    }
  }
  warnings.push(...waiverWarnings(run.waivers));
  return warnings;
}

/** Most W0702 warnings said one by one; the rest are counted in one more. */
const MAX_UNKNOWN_WAIVED_LEADS = 20;

function waiverWarnings(found: WaiverFindings): EvaluationWarning[] {
  const warnings: EvaluationWarning[] = found.expired.map((w) => ({
    code: "W0703" as const,
    severity: "warning" as const,
    message: `waiver '${w.waiver}' expired on ${w.until}, before as_of: it excuses no lead any more, so the leads it named are judged like any other (renew it with a later 'until', or remove it).`,
  }));
  for (const u of found.unknownLeads.slice(0, MAX_UNKNOWN_WAIVED_LEADS)) {
    warnings.push({ code: "W0702", severity: "warning", message: `waiver '${u.waiver}' names lead '${show(u.lead)}', which is not in this snapshot; it excuses nothing for it (a typo, or a lead merged away?).` });
  }
  const more = found.unknownLeads.length - MAX_UNKNOWN_WAIVED_LEADS;
  if (more > 0) warnings.push({ code: "W0702", severity: "warning", message: `${plural(more, "more lead")} named by waivers ${more === 1 ? "is" : "are"} not in this snapshot.` });
  return warnings;
}

/** How a warning reads in the report's notes and on stderr: "warning[W0106]: …". */
export function warningText(w: EvaluationWarning): string {
  return `${w.severity}[${w.code}]: ${w.message}`;
}

/**
 * The result of a run whose rejected rows exceed --max-rejected: the run fails (exit 2) whatever
 * the SLAs say, so the summary and the first note say so, and no headline can read "met".
 */
export function withRejectedInput(result: EvaluationResult, limit: string): EvaluationResult {
  const rejected = rowsRejected(result.input);
  const read = rowsReadForRejects(result.input);
  const note = `Rejected input: ${plural(rejected, "row")} of ${formatCount(read)} read ${rejected === 1 ? "was" : "were"} rejected, more than --max-rejected ${limit} allows, so the run fails (exit 2) whatever the SLAs say; the results below use the rows that were read. Fix the export or raise the limit.`;
  return { ...result, notes: [note, ...result.notes], summary: { ...result.summary, input: "rejected" } };
}

/** Activities not used that are not rejects (SPEC §8.2): said in every report, since they fail nothing. */
function unmatchedNotes(run: RunFigures): string[] {
  const notes: string[] = [];
  const unknown = run.unknownLeadActivities;
  if (unknown > 0) {
    notes.push(
      `${plural(unknown, "activity", "activities")} ${unknown === 1 ? "is for a lead" : "are for leads"} not in the lead export (unmatched: not counted, and not rejects, since lead exports are often filtered).`,
    );
  }
  const ofRejected = run.rejectedLeadActivities;
  if (ofRejected > 0) {
    notes.push(`${plural(ofRejected, "activity", "activities")} ${ofRejected === 1 ? "is for a lead whose row was" : "are for leads whose rows were"} rejected, and ${ofRejected === 1 ? "was" : "were"} not counted.`);
  }
  return notes;
}

/**
 * Quotas set aside by --group-by (plan.ts, quotasNotApplied): said, since each group is then
 * held to the goal's revenue, which is not what the agreement gives its reps.
 */
function quotaNotes(plan: EvalPlan): string[] {
  return plan.goals.flatMap((g) => {
    const aside = g.quotasNotApplied;
    if (aside === null) return [];
    const regrouped = g.by.length === 0 ? "no grouping" : `--group-by ${g.by.map((f) => f.name).join(",")}`;
    return [
      `Goal '${g.id}': its ${plural(aside.count, "quota")} per ${aside.ownBy.join(" / ")} ${aside.count === 1 ? "was" : "were"} not applied, since ${regrouped} regroups it; every group is held to the goal's revenue, ${formatCount(g.revenue)} ${g.currency}${g.periods.unit ? ` per ${g.periods.unit}` : ""}. Run without --group-by (or with --group-by ${aside.ownBy.join(",")}) for each group's own target.`,
    ];
  });
}

export function assembleResult(
  run: RunFigures,
  meta: { asOf: number; plan: EvalPlan; policyHash: string; failOn: FailOn; versions?: VersionInForce[] },
): EvaluationResult {
  const { plan } = meta;
  // With --versions the agreement took effect with its first version; the plan is the newest's.
  const effective = meta.versions ? meta.versions[0]?.effective : plan.agreement.effective;
  const asOf = new Date(meta.asOf).toISOString();
  const notes: string[] = [];
  if (!run.inForce) {
    notes.push(
      `The agreement takes effect on ${effective}; this snapshot (as of ${asOf}) predates it, so these results are a preview and fail nothing.`,
    );
  }
  if (run.leadsBeforeEffective > 0) {
    notes.push(
      `${plural(run.leadsBeforeEffective, "lead clock")} started before the agreement took effect (${effective}) and ${run.leadsBeforeEffective === 1 ? "is" : "are"} not judged.`,
    );
  }
  if (run.leadClocksAfterAsOf > 0) {
    notes.push(
      `${plural(run.leadClocksAfterAsOf, "lead clock")} started after as_of and ${run.leadClocksAfterAsOf === 1 ? "is" : "are"} left out of every count, rate and SLA, as activities after it are.`,
    );
  }
  const prorated = run.slas.reduce((n, s) => n + s.results.filter((c) => c.prorated).length, 0) + run.goals.reduce((n, g) => n + g.results.filter((c) => c.prorated).length, 0);
  if (prorated > 0 && meta.versions) {
    notes.push(
      `${plural(prorated, "result")} cover${prorated === 1 ? "s" : ""} part of a period: the agreement (${effective}) or a new version of it took effect during the period, so count and goal targets there are prorated by the days that version was in force.`,
    );
  } else if (prorated > 0) {
    notes.push(
      `${plural(prorated, "result")} cover${prorated === 1 ? "s" : ""} a period that began before the agreement took effect (${plan.agreement.effective}): count and goal targets there are prorated by the days in force.`,
    );
  }
  if (run.naiveTimestamps > 0) {
    notes.push(`${plural(run.naiveTimestamps, "timestamp")} had no time-zone offset and ${run.naiveTimestamps === 1 ? "was" : "were"} read in ${plan.agreement.timezone}.`);
  }
  if (run.activitiesAfterAsOf > 0) {
    notes.push(
      run.activitiesAfterAsOf === 1
        ? "1 activity is dated after as_of and was not counted."
        : `${run.activitiesAfterAsOf} activities are dated after as_of and were not counted.`,
    );
  }
  notes.push(...unmatchedNotes(run));
  notes.push(...quotaNotes(plan));
  for (const w of evaluationWarnings(run, plan)) notes.push(warningText(w));
  const counts = Object.fromEntries(STATUS_ORDER.map((s) => [s, 0])) as Record<Status, number>;
  for (const sla of run.slas) counts[sla.status]++;
  return {
    asOf,
    policy: {
      title: plan.agreement.title,
      version: plan.agreement.version ?? null,
      effective: plan.agreement.effective ?? null,
      timezone: plan.agreement.timezone,
      hash: meta.policyHash,
    },
    inForce: run.inForce,
    input: {
      engine: run.engine,
      files: run.files,
      rejects: run.rejects,
      rejectReasons: run.rejectReasons,
      naiveTimestamps: run.naiveTimestamps,
      duplicateLeadIds: run.duplicateLeadIds,
      unknownLeadActivities: run.unknownLeadActivities,
      rejectedLeadActivities: run.rejectedLeadActivities,
      unmatchedActivities: run.unmatchedActivities,
      rejectsFile: run.rejectsFile,
      activitiesAfterAsOf: run.activitiesAfterAsOf,
      leadsBeforeEffective: run.leadsBeforeEffective,
      leadClocksAfterAsOf: run.leadClocksAfterAsOf,
    },
    definitions: run.definitions,
    slas: run.slas,
    goals: run.goals,
    notes,
    summary: {
      status: worstStatus([...run.slas.map((s) => s.status), ...run.goals.map((g) => g.status)]),
      slas: counts,
      failing: failingSlas(run.slas, meta.failOn, run.inForce),
      input: "accepted",
    },
    ...(meta.versions ? { versions: meta.versions } : {}),
  };
}

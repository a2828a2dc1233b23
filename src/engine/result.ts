import type { CompareOp, Severity } from "../lang/ast.js";
import type { Proration } from "./periods.js";
import type { SlaKind } from "../lang/sla-kind.js";

/** `insufficient`: judged on fewer leads than the SLA's minimum (SPEC §8.1); reported, never failing. */
export type Status = "met" | "breached" | "at_risk" | "in_progress" | "insufficient" | "no_data";
/** `waived`: a waiver (SPEC §8.4) excuses the lead; it is left out of met, breached and pending. */
export type LeadOutcome = "met" | "breached" | "pending" | "no_clock" | "waived";

/** An SLA's totals: its cells' counts summed, with the leads that have no clock (counted apart from the cells). */
export function slaTotals(cells: readonly SlaCell[], noClock: number): SlaResult["totals"] {
  const totals = { met: 0, breached: 0, pending: 0, noClock, waived: 0, leads: 0 };
  for (const c of cells) {
    totals.met += c.met;
    totals.breached += c.breached;
    totals.pending += c.pending;
    totals.waived += c.waived;
    totals.leads += c.leads;
  }
  return totals;
}

/** Worst first: an SLA takes the worst status of its results. */
export const STATUS_ORDER: readonly Status[] = ["breached", "at_risk", "in_progress", "met", "insufficient", "no_data"];

export function worstStatus(statuses: Iterable<Status>): Status {
  let worst: Status = "no_data";
  for (const s of statuses) if (STATUS_ORDER.indexOf(s) < STATUS_ORDER.indexOf(worst)) worst = s;
  return worst;
}

/** A judged lead, named by id (never by a personal field), with the times that decided it, ISO 8601 UTC. */
export interface JudgedLead {
  id: string;
  clock: string;
  deadline: string;
  /** The first touch that counted, or null when none had by as_of. */
  firstTouch: string | null;
  /** Touches that counted, within the window. */
  touches: number;
}

/**
 * The leads of one outcome in one result, by deadline, earliest first: all of them, or the first
 * `--leads N`, with how many were left out. Count and rate SLAs judge no lead: empty.
 */
export interface LeadList {
  leads: JudgedLead[];
  leftOut: number;
}

/** A lead a waiver excused, with the waiver that did (its title is in the SLA's `waivers`). */
export interface WaivedLead {
  id: string;
  clock: string;
  deadline: string;
  waiver: string;
}

/** The waived leads of one result, by deadline, earliest first: the first `--leads N`, with how many were left out. */
export interface WaivedLeadList {
  leads: WaivedLead[];
  leftOut: number;
}

/** A waiver that names an SLA, and how many of the SLA's leads it excused in this run. */
export interface AppliedWaiver {
  id: string;
  title: string;
  /** The last day it is in force, yyyy-mm-dd. */
  until: string;
  /** Expired at as_of: it excused nothing (W0703). */
  expired: boolean;
  leads: number;
}

export interface Target {
  op: CompareOp;
  value: number;
  /** leads: a count; ratio: a share from 0 to 1. */
  unit: "leads" | "ratio";
}

/** One version of the agreement, as reports name it (`eval --versions git`). */
export interface VersionRef {
  /** The agreement's `version`, or null when it gives none. */
  version: number | null;
  /** The full commit id; reports for people show its first 7 characters. */
  commit: string;
  /** The agreement's `effective` date, or null when it gives none (only the first version may not). */
  effective: string | null;
}

/** A version and the time it judged: from its effective date (null: from the beginning) until the next one's (null: still in force). */
export interface VersionInForce extends VersionRef {
  from: string | null;
  until: string | null;
}

export interface SlaCell {
  period: string;
  periodStart: string | null;
  periodEnd: string | null;
  /** Values of the `by` fields joined with " / "; "all" when there is no `by`. */
  group: string;
  status: Status;
  /** count: leads; rate: share 0–1; lead-level: met / (met + breached), null when nothing is decided. */
  value: number | null;
  /** Value projected to the period's end, for a period still in progress (count SLAs). */
  pace: number | null;
  /** Leads in the population in this period and group (count and rate SLAs: the denominator). */
  leads: number;
  met: number;
  breached: number;
  pending: number;
  noClock: number;
  /** Leads a waiver excused: in `leads`, out of met, breached and pending. */
  waived: number;
  breachedLeads: LeadList;
  pendingLeads: LeadList;
  waivedLeads: WaivedLeadList;
  /**
   * The period began before the agreement took effect: a count's target is prorated by the days
   * in force (`target`); null for a period wholly in force, and for other kinds.
   */
  prorated: (Proration & { target: number }) | null;
  /**
   * Lead-level (met of met + breached) and rate (hits of leads) results: the sample the value
   * is measured on, with its 95% Wilson interval; null for counts and empty samples.
   */
  sample: Sample | null;
  /**
   * `eval --versions`: the version that judged this result (the one in force at its clock starts
   * or its part of the period), with the target it set. Absent without --versions.
   */
  judgedBy?: VersionRef & { target: Target };
}

/** A share measured on `size` leads, and the 95% Wilson score interval around it. */
export interface Sample {
  size: number;
  low: number;
  high: number;
}

export interface SlaResult {
  id: string;
  title: string | null;
  owner: string;
  severity: Severity;
  kind: SlaKind;
  expectation: string;
  population: string;
  clock: string;
  per: string | null;
  by: string[];
  status: Status;
  target: Target;
  /** Lead-level and rate SLAs: results judged on fewer leads are `insufficient`; null for counts. */
  minimum: number | null;
  value: number | null;
  totals: { met: number; breached: number; pending: number; noClock: number; waived: number; leads: number };
  /** The waivers that name this SLA (lead-level SLAs only; empty for others), in the order written. */
  waivers: AppliedWaiver[];
  results: SlaCell[];
}

export interface GoalStageResult {
  definition: string;
  required: number | null;
  actual: number;
  rate: number | null;
  rateSource: "given" | "measured" | "none";
  /** Leads the measured rate was computed from (the previous stage's count in closed periods). */
  rateLeads: number | null;
}

export interface GoalCell {
  period: string;
  group: string;
  status: Status;
  stages: Array<{ definition: string; required: number | null; actual: number; pace: number | null; status: Status }>;
  revenue: { required: number; actual: number; pace: number | null };
  /** The period began before the agreement took effect: every required figure is prorated by days in force. */
  prorated: Proration | null;
  /** `eval --versions`: the version that judged this result (or this part of its period). Absent without --versions. */
  judgedBy?: VersionRef;
}

export interface GoalResult {
  id: string;
  title: string | null;
  owners: string[];
  per: string;
  by: string[];
  currency: string;
  revenue: number;
  averageDeal: { value: number | null; source: "given" | "measured" | "none"; leads: number | null };
  status: Status;
  /** Stage figures for the current period (the one holding as_of), all groups together. */
  stages: GoalStageResult[];
  results: GoalCell[];
}

export interface FileInput {
  file: string;
  kind: "leads" | "activities";
  read: number;
  used: number;
  rejected: number;
  /** Activities whose lead is not among the leads used (not in the export, or rejected): not rejects. read = used + rejected + unmatched. */
  unmatched: number;
}

/** How many rows one reason covers; values from the data in the reason are replaced by '…' (engine/row-log.ts). */
export interface ReasonCount {
  reason: string;
  /** The column the reason is about, when it is about one. */
  column: string | null;
  count: number;
}

export interface Reject {
  file: string;
  line: number;
  reason: string;
}

/** What was read: every row used or rejected, and the counts the notes explain. */
/** What read and judged the snapshot (docs/engines.md): the file reader and in-memory evaluator, or a database. */
export type EngineName = "memory" | "duckdb" | "postgres";

export interface InputFigures {
  /** The engine that ran: `--engine auto` chooses by the snapshot's format and size. */
  engine: EngineName;
  files: FileInput[];
  /**
   * The first rejected rows, in file and line order: at most 1,000 that could not be read or
   * converted and 1,000 duplicate lead ids. The files' `rejected` count them all.
   */
  rejects: Reject[];
  /** Every rejected row (duplicate lead ids too) counted by reason, most first. */
  rejectReasons: ReasonCount[];
  /** Timestamps without an offset, read in the agreement's time zone. */
  naiveTimestamps: number;
  duplicateLeadIds: number;
  /** Activities for a lead not in the lead export: unmatched, not rejected (lead exports are often filtered). */
  unknownLeadActivities: number;
  /** Activities for a lead whose row was rejected: unmatched, since the lead's reject is the fault. */
  rejectedLeadActivities: number;
  /** The first unmatched activities of both kinds (at most 1,000), in line order. */
  unmatchedActivities: Reject[];
  /** The file every row not used was written to (`eval --rejects FILE`), or null: the lists above then stop at their first 1,000. */
  rejectsFile: string | null;
  activitiesAfterAsOf: number;
  leadsBeforeEffective: number;
  /** Lead clocks (once per SLA) that start after as_of: left out of counts, rates and judgements. */
  leadClocksAfterAsOf: number;
}

export interface EvaluationResult {
  asOf: string;
  policy: { title: string; version: number | null; effective: string | null; timezone: string; hash: string };
  inForce: boolean;
  input: InputFigures;
  definitions: Record<string, number>;
  slas: SlaResult[];
  goals: GoalResult[];
  notes: string[];
  /**
   * `input`: "rejected" when more rows were rejected than --max-rejected allows: the run then
   * fails (exit 2) whatever the SLAs say, and every headline says so first.
   */
  summary: { status: Status; slas: Record<Status, number>; failing: string[]; input: "accepted" | "rejected" };
  /** `eval --versions`: every version that judged part of this snapshot, oldest first. Absent without --versions. */
  versions?: VersionInForce[];
}

/** Rows rejected (duplicate lead ids too), from the files' counts: `input.rejects` lists only the first. */
export function rowsRejected(input: InputFigures): number {
  return input.files.reduce((n, f) => n + f.rejected, 0);
}

/** Rows read that `--max-rejected P%` is a share of: unmatched activities are not rejects, nor counted here (SPEC §8.2). */
export function rowsReadForRejects(input: InputFigures): number {
  return input.files.reduce((n, f) => n + f.read - f.unmatched, 0);
}

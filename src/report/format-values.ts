import { DateTime } from "luxon";
import { plural } from "../engine/plural.js";
import { short } from "../engine/versions.js";
import type { GoalResult, JudgedLead, LeadList, SlaCell, SlaResult, Status, Target, VersionInForce, VersionRef } from "../engine/result.js";
import { assertNever } from "../lang/never.js";
import { isLeadLevel } from "../lang/sla-kind.js";

export const STATUS_WORDS: Record<Status, string> = {
  met: "met",
  breached: "breached",
  at_risk: "at risk",
  in_progress: "in progress",
  insufficient: "too few leads",
  no_data: "no data",
};

export const STATUS_EMOJI: Record<Status, string> = {
  met: "✅",
  breached: "❌",
  at_risk: "⚠️",
  in_progress: "⏳",
  insufficient: "🔍",
  no_data: "➖",
};

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

export function formatNumber(n: number): string {
  return Number.isInteger(n) ? integer.format(n) : oneDecimal.format(n);
}

export function formatPercent(ratio: number): string {
  return `${oneDecimal.format(ratio * 100)}%`;
}

export function formatMoney(amount: number, currency: string): string {
  return `${integer.format(Math.round(amount))} ${currency}`;
}

export function formatTarget(t: Target): string {
  return `${t.op} ${t.unit === "ratio" ? formatPercent(t.value) : formatNumber(t.value)}`;
}

export function formatValue(value: number | null, unit: Target["unit"]): string {
  if (value === null) return "–";
  return unit === "ratio" ? formatPercent(value) : formatNumber(value);
}

/** "2027-01 · owner alice" — where a result sits, in words. */
export function whereOf(cell: { period: string; group: string }, by: readonly string[]): string {
  const parts: string[] = [];
  if (cell.period !== "all") parts.push(cell.period);
  if (by.length > 0) parts.push(`${by.join(" / ")} ${cell.group}`);
  return parts.length > 0 ? parts.join(" · ") : "overall";
}

/** One sentence on a result: "61 leads (target >= 75)", "82% met (target >= 95%), 4 of 22 late". */
export function describeCell(sla: SlaResult, cell: SlaCell): string {
  const judged = describeJudged(sla, cell);
  return cell.status === "insufficient" && sla.minimum !== null ? `${judged}; too few leads to judge (minimum ${plural(sla.minimum, "lead")})` : judged;
}

function describeJudged(sla: SlaResult, cell: SlaCell): string {
  const own = cellTarget(sla, cell);
  const target = cell.prorated
    ? `target ${formatTarget({ ...own, value: cell.prorated.target })}, prorated: ${prorationWords(cell.prorated)}`
    : `target ${formatTarget(own)}`;
  switch (sla.kind) {
    case "count":
      return `${plural(cell.leads, "lead")} (${target})${cell.pace !== null ? `, on pace for ${formatNumber(Math.round(cell.pace))}` : ""}`;
    case "rate":
      return `${formatValue(cell.value, "ratio")} of ${plural(cell.leads, "lead")} (${target})`;
    case "firstTouch":
    case "touches": {
      const decided = cell.met + cell.breached;
      const pending = cell.pending > 0 ? `, ${cell.pending} still open` : "";
      // Waived leads are out of the share: said, so "1 of 6" and the leads listed add up.
      const waived = cell.waived > 0 ? `, ${cell.waived} waived` : "";
      return `${formatValue(cell.value, "ratio")} met (${target}): ${cell.breached} of ${decided} missed${pending}${waived}`;
    }
    default:
      return assertNever(sla.kind);
  }
}

/**
 * An SLA's value saying what it is: overall compliance for a lead-by-lead SLA ("78% overall"),
 * and for a count or rate the result it comes from ("33 in 2027-02 · product Connect").
 */
export function headlineValue(sla: SlaResult): string {
  const value = formatValue(sla.value, sla.target.unit);
  if (sla.value === null) return value;
  if (isLeadLevel(sla.kind)) return `${value} overall`;
  const from = [...sla.results].reverse().find((c) => c.status === sla.status);
  return from ? `${value} in ${whereOf(from, sla.by)}` : value;
}

/**
 * Leads kept per result for the formats for people (text, markdown, html, the check run's
 * summary) when --leads is not given: they show a few, and a million leads are not held for
 * them. JSON lists all (SPEC §8.1).
 */
export const LEADS_KEPT_FOR_PEOPLE = 20;

/** A result's target: the one of the version that judged it (`eval --versions`), else the SLA's. */
export function cellTarget(sla: SlaResult, cell: SlaCell): Target {
  return cell.judgedBy?.target ?? sla.target;
}

/**
 * With `eval --versions`, whether some result was judged by another target than the SLA's own
 * (the newest version's): its headline then says "target now …", and each result its own.
 */
export function targetChanged(sla: SlaResult): boolean {
  return sla.results.some((c) => c.judgedBy !== undefined && (c.judgedBy.target.op !== sla.target.op || c.judgedBy.target.value !== sla.target.value));
}

/** "version 2 (9e95722)": which version of the agreement judged a result (`eval --versions`). */
export function versionWords(ref: VersionRef): string {
  return `${ref.version === null ? "version ?" : `version ${ref.version}`} (${short(ref.commit)})`;
}

/**
 * "version 1 (541011c) 2026-11-01 to 2027-01-01 · version 2 (9e95722) from 2027-01-01": the
 * versions that judged a report, each from its effective date until the next one's.
 */
export function versionsInForce(versions: readonly VersionInForce[]): string {
  return versions
    .map((v, i) => {
      const from = v.effective ?? "the beginning";
      const next = versions[i + 1];
      return next === undefined ? `${versionWords(v)} from ${from}` : `${versionWords(v)} ${from} to ${next.effective ?? "?"}`;
    })
    .join(" · ");
}

/** "17 of 31 days in force": why a target is smaller than the agreement's. */
export function prorationWords(p: { daysInForce: number; daysInPeriod: number }): string {
  return `${p.daysInForce} of ${plural(p.daysInPeriod, "day")} in force`;
}

/**
 * How far a result is from its target, as a share of the target (0: on it; 0.5: half short):
 * what orders "needs attention", worst first. Caps count the excess the same way.
 */
export function shortfall(sla: SlaResult, cell: SlaCell): number {
  const value = cell.value;
  if (value === null) return 0;
  const own = cellTarget(sla, cell);
  const target = cell.prorated?.target ?? own.value;
  const floor = own.op === ">=" || own.op === ">";
  const gap = floor ? target - value : value - target;
  return target > 0 ? gap / target : gap;
}

/**
 * Results that need a reader's attention: breaches first, the worst shortfall first (then the
 * latest period), then the results at risk, likewise.
 */
export function attentionCells(sla: SlaResult): SlaCell[] {
  const rank = (c: SlaCell) => (c.status === "breached" ? 0 : 1);
  return sla.results
    .filter((c) => c.status === "breached" || c.status === "at_risk")
    .sort((a, b) => rank(a) - rank(b) || shortfall(sla, b) - shortfall(sla, a) || b.period.localeCompare(a.period) || a.group.localeCompare(b.group));
}

/** SLAs in the order a reader should see them: breached before at risk, hard before soft before advisory. */
export function attentionSlas(slas: readonly SlaResult[]): SlaResult[] {
  const severity = { hard: 0, soft: 1, advisory: 2 };
  return slas
    .filter((s) => s.status === "breached" || s.status === "at_risk")
    .sort((a, b) => (a.status === "breached" ? 0 : 1) - (b.status === "breached" ? 0 : 1) || severity[a.severity] - severity[b.severity]);
}

/** The lead a reader should look at first: the first breached lead of the first result that needs attention. */
export function worstLead(slas: readonly SlaResult[]): { sla: SlaResult; lead: JudgedLead } | undefined {
  for (const sla of attentionSlas(slas)) {
    for (const cell of attentionCells(sla)) {
      const lead = cell.breachedLeads.leads[0];
      if (lead) return { sla, lead };
    }
  }
  return undefined;
}

/** "2027-01-04 10:12 EST": a time for people, in the agreement's zone with its abbreviation. */
export function formatTime(iso: string, zone: string): string {
  return DateTime.fromISO(iso, { zone, locale: "en-US" }).toFormat("yyyy-MM-dd HH:mm ZZZZ");
}

/** One lead in words: "L7: clock 2026-11-10 09:00 EST, due 13:00 EST, first touch 2026-11-11 10:00 EST". */
export function describeLead(lead: JudgedLead, sla: SlaResult, zone: string): string {
  const touch = lead.firstTouch === null ? "no touch yet" : `first touch ${formatTime(lead.firstTouch, zone)}`;
  const touches = sla.kind === "touches" ? `, ${plural(lead.touches, "touch", "touches")} in the window` : "";
  return `${lead.id}: clock ${formatTime(lead.clock, zone)}, due ${formatTime(lead.deadline, zone)}, ${touch}${touches}`;
}

/** How many of a list's leads were not shown: those cut here and those the report left out (--leads). */
export function leadsNotShown(list: LeadList, shown: number): number {
  return list.leads.length - Math.min(shown, list.leads.length) + list.leftOut;
}

export function goalHeadline(goal: GoalResult): string {
  const parts = goal.stages.map((s) => `${s.definition} ${formatNumber(s.actual)}/${s.required === null ? "?" : formatNumber(s.required)}`);
  return parts.join(" → ");
}

/** Waived lead ids named per waiver in a report; the rest are counted (every one: --format json or csv). */
const WAIVED_SHOWN = 10;

/**
 * The waivers of an SLA in words (SPEC §8.4), one line each, for every format: which leads each
 * excused, until when, and why; an expired one says it excused nothing. Plain text: each
 * format escapes it. Empty when no waiver names the SLA.
 */
export function waiverLines(sla: SlaResult): string[] {
  const ids = new Map<string, string[]>();
  for (const cell of sla.results) {
    for (const lead of cell.waivedLeads.leads) {
      const list = ids.get(lead.waiver) ?? [];
      if (list.length < WAIVED_SHOWN) list.push(lead.id);
      ids.set(lead.waiver, list);
    }
  }
  return sla.waivers.map((w) => {
    const why = `“${w.title}”`;
    if (w.expired) return `waiver ${w.id} expired on ${w.until} and excused no lead (${why})`;
    const named = ids.get(w.id) ?? [];
    const more = w.leads - named.length;
    const leads = w.leads === 0 ? "no lead" : `${plural(w.leads, "lead")}: ${named.join(", ")}${more > 0 ? ` and ${formatNumber(more)} more` : ""}`;
    return `waiver ${w.id} (until ${w.until}) excused ${leads}; ${why}`;
  });
}

export function noClockSentence(n: number, clock: string): string {
  return n === 1 ? `1 lead has no ${clock} and is not judged (no clock).` : `${n} leads have no ${clock} and are not judged (no clock).`;
}

/** A word for a POSIX shell: as it is when it is plainly safe, else in single quotes. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** Where the report came from, for the commands it suggests. */
export interface ReportCommand {
  snapshot: string;
  policies: string;
}

/** The command that shows why a lead is where it is, ready to paste into a shell. */
export function explainCommand(command: ReportCommand, leadId: string): string {
  const policies = command.policies === "policies" ? "" : ` --policies ${shellWord(command.policies)}`;
  return `smarketing-policy explain --snapshot ${shellWord(command.snapshot)}${policies} --lead ${shellWord(leadId)}`;
}

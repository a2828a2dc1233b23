import { plural } from "../engine/plural.js";
import type { GoalResult, SlaCell, SlaResult, Status, Target } from "../engine/result.js";
import { assertNever } from "../lang/never.js";

export const STATUS_WORDS: Record<Status, string> = {
  met: "met",
  breached: "breached",
  at_risk: "at risk",
  in_progress: "in progress",
  no_data: "no data",
};

export const STATUS_EMOJI: Record<Status, string> = {
  met: "✅",
  breached: "❌",
  at_risk: "⚠️",
  in_progress: "⏳",
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
  const target = `target ${formatTarget(sla.target)}`;
  switch (sla.kind) {
    case "count":
      return `${plural(cell.leads, "lead")} (${target})${cell.pace !== null ? `, on pace for ${formatNumber(Math.round(cell.pace))}` : ""}`;
    case "rate":
      return `${formatValue(cell.value, "ratio")} of ${plural(cell.leads, "lead")} (${target})`;
    case "firstTouch":
    case "touches": {
      const decided = cell.met + cell.breached;
      const pending = cell.pending > 0 ? `, ${cell.pending} still open` : "";
      return `${formatValue(cell.value, "ratio")} met (${target}): ${cell.breached} of ${decided} missed${pending}`;
    }
    default:
      return assertNever(sla.kind);
  }
}

/** Results that need a reader's attention, worst first. */
export function attentionCells(sla: SlaResult): SlaCell[] {
  return sla.results.filter((c) => c.status === "breached" || c.status === "at_risk");
}

export function goalHeadline(goal: GoalResult): string {
  const parts = goal.stages.map((s) => `${s.definition} ${formatNumber(s.actual)}/${s.required === null ? "?" : formatNumber(s.required)}`);
  return parts.join(" → ");
}

export function noClockSentence(n: number, clock: string): string {
  return n === 1 ? `1 lead has no ${clock} and is not judged (no clock).` : `${n} leads have no ${clock} and are not judged (no clock).`;
}

import type { CompareOp } from "../lang/ast.js";
import { compare } from "./compare.js";
import type { LeadOutcome, Status } from "./result.js";

/** Where a period stands at as_of: 1 when it has ended (or there is no `per`), else the share elapsed. */
export function elapsedShare(start: number, end: number, asOf: number): number {
  if (!Number.isFinite(start) || !Number.isFinite(end) || asOf >= end) return 1;
  if (asOf <= start) return 0;
  return (asOf - start) / (end - start);
}

/**
 * A count in a period. An unfinished period is never breached unless it cannot be met any more
 * (a cap already exceeded), and is met early when it already is for good (a floor reached).
 */
export function countStatus(op: CompareOp, count: number, threshold: number, share: number): { status: Status; pace: number | null } {
  if (share >= 1) return { status: compare(op, count, threshold) ? "met" : "breached", pace: null };
  const pace = share > 0 ? count / share : null;
  const capExceeded = (op === "<=" || op === "<" || op === "=") && !compare(op === "=" ? "<=" : op, count, threshold);
  if (capExceeded) return { status: "breached", pace };
  if ((op === ">=" || op === ">") && compare(op, count, threshold)) return { status: "met", pace };
  if (op === "!=" && count > threshold) return { status: "met", pace };
  if (pace !== null && !compare(op, Math.round(pace), threshold)) return { status: "at_risk", pace };
  return { status: "in_progress", pace };
}

/**
 * Too few leads to judge (SPEC §8.1): a result decided (or at risk) on fewer leads than the
 * SLA's minimum is `insufficient`, reported with its counts and failing nothing.
 */
export function sampleStatus(status: Status, leads: number, minimum: number): Status {
  if (leads === 0 || leads >= minimum) return status;
  return status === "met" || status === "breached" || status === "at_risk" ? "insufficient" : status;
}

/** z for a two-sided 95% interval. */
const Z95 = 1.959964;

/** The 95% Wilson score interval of `hits` of `n` (Wilson 1927): sound for small samples and shares near 0 or 1. */
export function wilsonInterval(hits: number, n: number): { low: number; high: number } {
  const p = hits / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** A share of the population (rate of DEF) in a period. */
export function rateStatus(op: CompareOp, hits: number, count: number, threshold: number, share: number): Status {
  if (count === 0) return "no_data";
  const ok = compare(op, hits / count, threshold);
  if (share >= 1) return ok ? "met" : "breached";
  return ok ? "in_progress" : "at_risk";
}

/**
 * Lead-level results in a period: compliance = met / (met + breached) against the target.
 * Pending leads could still tip it either way: that is `at_risk`.
 */
export function leadLevelStatus(met: number, breached: number, pending: number, target: number, share: number): Status {
  const all = met + breached + pending;
  if (all === 0) return "no_data";
  // Nothing decided yet: every window is still open.
  if (met + breached === 0) return "in_progress";
  const worst = met / all;
  const best = (met + pending) / all;
  if (share < 1) return worst >= target ? "in_progress" : "at_risk";
  if (worst >= target) return "met";
  if (best < target) return "breached";
  return "at_risk";
}

/** The outcome of one lead under `first touch within D`. A touch exactly at the deadline meets it. */
export function firstTouchOutcome(firstTouch: number, deadline: number, asOf: number): LeadOutcome {
  if (firstTouch <= deadline) return "met";
  return asOf < deadline ? "pending" : "breached";
}

/**
 * The outcome of one lead under `touches within D OP N`. Touches only add up, so a cap already
 * exceeded is breached and a floor already reached is met while the window is still open.
 */
export function touchCountOutcome(op: CompareOp, count: number, threshold: number, deadline: number, asOf: number): LeadOutcome {
  if (asOf >= deadline) return compare(op, count, threshold) ? "met" : "breached";
  switch (op) {
    case "<=":
    case "<":
      return compare(op, count, threshold) ? "pending" : "breached";
    case "=":
      return count > threshold ? "breached" : "pending";
    case ">=":
    case ">":
      return compare(op, count, threshold) ? "met" : "pending";
    case "!=":
      return count > threshold ? "met" : "pending";
  }
}

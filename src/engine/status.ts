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

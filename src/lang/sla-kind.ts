import type { Expectation } from "./ast.js";
import { assertNever } from "./never.js";

/** The four kinds of SLA (SPEC §3), named after what they expect. */
export type SlaKind = "count" | "rate" | "firstTouch" | "touches";

/** The kinds judged lead by lead (a deadline per lead) rather than by counting leads. */
export type LeadLevelKind = "firstTouch" | "touches";

export function slaKindOf(expect: Expectation): SlaKind {
  switch (expect.kind) {
    case "CountExpectation":
      return "count";
    case "RateExpectation":
      return "rate";
    case "FirstTouchExpectation":
      return "firstTouch";
    case "TouchesExpectation":
      return "touches";
    default:
      return assertNever(expect);
  }
}

export function isLeadLevel(kind: SlaKind): kind is LeadLevelKind {
  switch (kind) {
    case "count":
    case "rate":
      return false;
    case "firstTouch":
    case "touches":
      return true;
    default:
      return assertNever(kind);
  }
}

import type * as A from "../ast.js";
import { agreementClauses, agreementPresent } from "./agreement.js";
import { calendarBlock } from "./calendars.js";
import type { CheckContext } from "./context.js";
import { activityOwnTypes, fieldFormats, fieldShapes } from "./fields.js";
import { goalFunnel, goalGrouping, goalMoney, goalOwners } from "./goals.js";
import { goalQuotas, slaCalendarBy } from "./lead-rules.js";
import { leadCondition, leadCycles, leadSince } from "./leads.js";
import { slaCalendar, slaExpectation, slaGrouping, slaMinimum, slaParties, slaTarget, slaTouches } from "./slas.js";
import { teamApprovers } from "./teams.js";
import { unusedDeclarations } from "./unused.js";
import { waiverClauses, waiverOverlaps } from "./waivers.js";

/** The node kinds checks are registered for: every block kind. */
export type NodeKind = A.Block["kind"];
export type NodeOf<K extends NodeKind> = Extract<A.Block, { kind: K }>;

/** A check looks at one node and reports into the context; it collects, it does not throw. */
export type Check<N> = (node: N, file: string, ctx: CheckContext) => void;
/** A check of the whole policy set (a missing block, cycles, what nothing uses). */
export type SetCheck = (ctx: CheckContext, files: readonly A.PolicyFile[]) => void;

/**
 * Node kind → its checks, as Langium's validation registry. Total over the kinds: a new block
 * kind does not compile until it says which checks it has (an empty list is an answer).
 * A new check goes in the module of its node kind and is listed here.
 */
export const CHECKS: { readonly [K in NodeKind]: readonly Check<NodeOf<K>>[] } = {
  Agreement: [agreementClauses],
  Team: [teamApprovers],
  Calendar: [calendarBlock],
  Fields: [fieldShapes, fieldFormats],
  ActivityFields: [fieldShapes, fieldFormats, activityOwnTypes],
  Lead: [leadCondition, leadSince],
  Sla: [slaParties, slaCalendar, slaCalendarBy, slaExpectation, slaTouches, slaTarget, slaMinimum, slaGrouping],
  Goal: [goalOwners, goalMoney, goalFunnel, goalGrouping, goalQuotas],
  Waiver: [waiverClauses],
};

/** Set checks before the per-node ones, and after them (when every use has been recorded). */
export const SET_CHECKS: { readonly before: readonly SetCheck[]; readonly after: readonly SetCheck[] } = {
  before: [agreementPresent],
  after: [leadCycles, waiverOverlaps, unusedDeclarations],
};

import type * as A from "./ast.js";

/**
 * The words of the language (SPEC §2) that the parser, the lowering, the checks and the
 * formatter share: each list is written here once.
 */

export const BLOCK_KEYWORDS = ["agreement", "team", "calendar", "fields", "activity", "lead", "sla", "goal", "waiver"] as const;

/** The words that start each block's clauses: the parser's recovery and "its clauses are …" messages. */
export const CLAUSES = {
  agreement: ["version", "effective", "timezone", "calendar"],
  team: ["approvers"],
  calendar: ["timezone", "hours", "holidays"],
  lead: ["when", "since"],
  sla: ["owner", "leads", "touches", "expect", "target", "minimum", "per", "by", "severity", "calendar"],
  goal: ["owner", "revenue", "average", "funnel", "by", "quotas"],
  waiver: ["sla", "leads", "when", "periods", "from", "until"],
} as const;

/**
 * The clauses of SLA and goal blocks kept in source order (ClauseMark), as the parser's rule
 * for each is named → the clause as the formatter writes it.
 */
export const SLA_CLAUSE_RULES = {
  ownerClause: "owner",
  leadsClause: "leads",
  touchesClause: "touches",
  expectClause: "expect",
  targetClause: "target",
  minimumClause: "minimum",
  perClause: "per",
  byClause: "by",
  severityClause: "severity",
  calendarRefClause: "calendar",
} as const;
export const GOAL_CLAUSE_RULES = {
  ownerClause: "owner",
  revenueClause: "revenue",
  averageDealClause: "average deal",
  funnelClause: "funnel",
  byClause: "by",
  quotasClause: "quotas",
} as const;
/** The clauses of a waiver block (SPEC §8.4), kept in source order like an SLA's. */
export const WAIVER_CLAUSE_RULES = {
  waiverSlaClause: "sla",
  waiverLeadsClause: "leads",
  whenClause: "when",
  periodsClause: "periods",
  fromClause: "from",
  untilClause: "until",
} as const;
export type WaiverClause = (typeof WAIVER_CLAUSE_RULES)[keyof typeof WAIVER_CLAUSE_RULES];
export type SlaClause = (typeof SLA_CLAUSE_RULES)[keyof typeof SLA_CLAUSE_RULES];
export type GoalClause = (typeof GOAL_CLAUSE_RULES)[keyof typeof GOAL_CLAUSE_RULES];

/** In ISO order: index + 1 is the ISO weekday (1 = Monday). */
export const WEEKDAYS: readonly A.Weekday[] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
export const WEEKDAY_LONG_NAMES: Readonly<Record<string, A.Weekday>> = {
  monday: "mon",
  tuesday: "tue",
  wednesday: "wed",
  thursday: "thu",
  friday: "fri",
  saturday: "sat",
  sunday: "sun",
};

export const PERIODS: readonly A.Period[] = ["day", "week", "month", "quarter", "year"];
export const SEVERITIES: readonly A.Severity[] = ["hard", "soft", "advisory"];
export const FIELD_TYPES: readonly A.FieldTypeName[] = ["text", "number", "boolean", "time", "date", "money"];
export const DURATION_UNITS: readonly A.DurationUnit[] = ["minutes", "hours", "days", "weeks"];
/** The singular reads better after 1 (`1 hour`). */
const SINGULAR_UNITS: Readonly<Record<string, A.DurationUnit>> = { minute: "minutes", hour: "hours", day: "days", week: "weeks" };

/** The unit a word names, plural or singular; undefined for any other word. */
export function durationUnit(word: string): A.DurationUnit | undefined {
  return (DURATION_UNITS as readonly string[]).includes(word) ? (word as A.DurationUnit) : SINGULAR_UNITS[word];
}

/** Words people write for '%' after a number (`target 95 percent`): read, and reported once. */
export const PERCENT_WORDS: readonly string[] = ["percent", "pct", "percentage"];

/** `format epoch ms|s` (SPEC §8.2): the word, and the units a count since 1970 may be in. */
export const EPOCH_WORD = "epoch";
export const EPOCH_UNITS: readonly A.EpochUnit[] = ["ms", "s"];
/** Field types each kind of `format` applies to. */
export const FORMAT_TYPES = {
  pattern: ["time", "date", "number", "money"],
  epoch: ["time"],
} as const satisfies Record<string, readonly A.FieldTypeName[]>;
/** The activity record's own fields (SPEC §3), which `activity fields` may rename and format but not retype. */
export const ACTIVITY_FIELD_TYPES = { lead_id: "text", type: "text", at: "time", owner: "text" } as const satisfies Record<string, A.FieldTypeName>;
/** A field of this name says which column holds the lead's id (`id text from "Lead ID"`, SPEC §8.2). */
export const LEAD_ID_FIELD = "id";

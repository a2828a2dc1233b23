import type { GoalClause, SlaClause, WaiverClause } from "./vocabulary.js";
import type { Range } from "./range.js";

/** A name as written in the source, with where it was written (for diagnostics on references). */
export interface Ident {
  kind: "Ident";
  name: string;
  range: Range;
}

export interface StringLit {
  kind: "String";
  value: string;
  range: Range;
}
export interface NumberLit {
  kind: "Number";
  value: number;
  /** As written (keeps `1_500_000`), so the formatter does not rewrite the author's digits. */
  text: string;
  range: Range;
}
export interface PercentLit {
  kind: "Percent";
  /** 40% is 40, not 0.4: it is what the author wrote. */
  value: number;
  text: string;
  range: Range;
}
export interface MoneyLit {
  kind: "Money";
  amount: number;
  text: string;
  currency: string;
  range: Range;
}
export interface DateLit {
  kind: "Date";
  /** ISO calendar date, yyyy-mm-dd. */
  value: string;
  range: Range;
}
export interface DateTimeLit {
  kind: "DateTime";
  /** As written, ISO 8601; without an offset it is read in the agreement's time zone. */
  value: string;
  range: Range;
}
export interface BooleanLit {
  kind: "Boolean";
  value: boolean;
  range: Range;
}
export type Literal = StringLit | NumberLit | PercentLit | MoneyLit | DateLit | DateTimeLit | BooleanLit;

export type CompareOp = "=" | "!=" | "<" | "<=" | ">" | ">=";
export type TextOp = "contains" | "starts with" | "ends with";

export interface RefExpr {
  kind: "Ref";
  name: Ident;
  range: Range;
}
export interface AndExpr {
  kind: "And";
  operands: Expr[];
  range: Range;
}
export interface OrExpr {
  kind: "Or";
  operands: Expr[];
  range: Range;
}
export interface NotExpr {
  kind: "Not";
  operand: Expr;
  range: Range;
}
export interface ParenExpr {
  kind: "Paren";
  inner: Expr;
  range: Range;
}
export interface CompareExpr {
  kind: "Compare";
  op: CompareOp;
  left: Operand;
  right: Operand;
  range: Range;
}
export interface InExpr {
  kind: "In";
  negated: boolean;
  subject: RefExpr;
  values: Literal[];
  range: Range;
}
export interface TextMatchExpr {
  kind: "TextMatch";
  op: TextOp;
  subject: RefExpr;
  value: StringLit;
  range: Range;
}
export interface IsSetExpr {
  kind: "IsSet";
  negated: boolean;
  subject: RefExpr;
  range: Range;
}
/**
 * `lead.owner` in a `touches` filter: the lead's own field, compared with an activity's field
 * (`owner = lead.owner`). Only on the right of a comparison in a touches filter.
 */
export interface LeadFieldRef {
  kind: "LeadField";
  field: Ident;
  range: Range;
}
export type Operand = RefExpr | Literal | LeadFieldRef;
export type Expr =
  | RefExpr
  | Literal
  | AndExpr
  | OrExpr
  | NotExpr
  | ParenExpr
  | CompareExpr
  | InExpr
  | TextMatchExpr
  | IsSetExpr;

export type DurationUnit = "minutes" | "hours" | "days" | "weeks";
export interface Duration {
  kind: "Duration";
  amount: NumberLit;
  unit: DurationUnit;
  unitRange: Range;
  business: boolean;
  /** `on CALENDAR`: overrides the SLA's and the agreement's calendar. */
  calendar?: Ident | undefined;
  range: Range;
}

// ---- blocks ---------------------------------------------------------------

export interface AgreementBlock {
  kind: "Agreement";
  title: StringLit;
  version?: NumberLit | undefined;
  effective?: DateLit | undefined;
  timezone?: StringLit | undefined;
  calendar?: Ident | undefined;
  /** `calendar by …` is an SLA's; kept so the checker can say so. */
  calendarBy?: CalendarByClause | undefined;
  range: Range;
}

export interface TeamBlock {
  kind: "Team";
  id: Ident;
  title?: StringLit | undefined;
  approvers: Handle[];
  range: Range;
}
export interface Handle {
  kind: "Handle";
  /** Without the leading @: `dana` or `acme/marketing-leads`. */
  value: string;
  range: Range;
}

export type Weekday = "mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun";
export interface DaySpec {
  kind: "DaySpec";
  from: Ident;
  /** `mon-thu`; absent for a single day. */
  to?: Ident | undefined;
  range: Range;
}
export interface TimeOfDay {
  kind: "TimeOfDay";
  /** Minutes after local midnight; 24:00 is 1440. */
  minutes: number;
  text: string;
  range: Range;
}
export interface TimeRange {
  kind: "TimeRange";
  start: TimeOfDay;
  end: TimeOfDay;
  range: Range;
}
export interface HoursClause {
  kind: "Hours";
  days: DaySpec[];
  intervals: TimeRange[];
  range: Range;
}
export interface CalendarBlock {
  kind: "Calendar";
  id: Ident;
  timezone?: StringLit | undefined;
  hours: HoursClause[];
  holidays: DateLit[];
  range: Range;
}

export type FieldTypeName = "text" | "number" | "boolean" | "time" | "date" | "money";
export interface FieldDecl {
  kind: "Field";
  name: Ident;
  type: FieldTypeName;
  typeRange: Range;
  currency?: Ident | undefined;
  /** Allowed values (`one of [...]`), text fields only. */
  oneOf?: StringLit[] | undefined;
  /** Where the `one of [...]` list is, when there is one. */
  oneOfRange?: Range | undefined;
  /** Column name in the snapshot when it differs from the field's name. */
  column?: StringLit | undefined;
  /** How the column is written (`format …`, SPEC §8.2); undefined: ISO times, plain numbers. */
  format?: FieldFormat | undefined;
  pii: boolean;
  range: Range;
}
export type EpochUnit = "ms" | "s";
/**
 * How a column is written (`format …`): a pattern, read by the field's type (a time or date in
 * luxon/Unicode tokens; a number as "1,234.56" shows its thousands separator and decimal mark),
 * or a count since 1970.
 */
export type FieldFormat = { kind: "Pattern"; pattern: StringLit; range: Range } | { kind: "Epoch"; unit: EpochUnit; range: Range };
export interface FieldsBlock {
  kind: "Fields";
  fields: FieldDecl[];
  range: Range;
}
/** `activity fields { … }`: the activity columns (lead_id, type, at, owner) renamed and formatted, and more fields for `touches`. */
export interface ActivityFieldsBlock {
  kind: "ActivityFields";
  fields: FieldDecl[];
  range: Range;
}

export interface LeadBlock {
  kind: "Lead";
  id: Ident;
  title?: StringLit | undefined;
  when?: Expr | undefined;
  since?: Ident | undefined;
  range: Range;
}

export type Period = "day" | "week" | "month" | "quarter" | "year";
export type Severity = "hard" | "soft" | "advisory";

export interface CountExpectation {
  kind: "CountExpectation";
  op: CompareOp;
  value: NumberLit;
  range: Range;
}
export interface RateExpectation {
  kind: "RateExpectation";
  definition: Ident;
  op: CompareOp;
  value: PercentLit;
  range: Range;
}
export interface FirstTouchExpectation {
  kind: "FirstTouchExpectation";
  within: Duration;
  range: Range;
}
export interface TouchesExpectation {
  kind: "TouchesExpectation";
  within: Duration;
  op: CompareOp;
  value: NumberLit;
  range: Range;
}
export type Expectation = CountExpectation | RateExpectation | FirstTouchExpectation | TouchesExpectation;

/** `"EMEA": london_office` in `calendar by`. */
export interface CalendarCase {
  kind: "CalendarCase";
  value: StringLit;
  calendar: Ident;
  range: Range;
}
/** `calendar by region { "EMEA": london_office, … } default us_office`: the calendar picked by a lead field. */
export interface CalendarByClause {
  kind: "CalendarBy";
  field: Ident;
  cases: CalendarCase[];
  /** For a value not listed, or none; required (the checker says so when it is missing). */
  fallback?: Ident | undefined;
  range: Range;
}

export interface SlaBlock {
  kind: "Sla";
  id: Ident;
  title?: StringLit | undefined;
  owner?: Ident | undefined;
  /** Owners after the first, when written: an SLA has one (the checker says so, E0106). */
  extraOwners?: Ident[] | undefined;
  leads?: Ident | undefined;
  clock?: Ident | undefined;
  touches?: Expr | undefined;
  expect?: Expectation | undefined;
  target?: PercentLit | undefined;
  /** `minimum N leads`: fewer judged leads make a result `insufficient`. */
  minimum?: NumberLit | undefined;
  per?: Ident | undefined;
  by: Ident[];
  severity?: Ident | undefined;
  calendar?: Ident | undefined;
  /** `calendar by FIELD {…}` instead of one `calendar`. */
  calendarBy?: CalendarByClause | undefined;
  /** Every clause keyword in source order, for "clause given twice" and the formatter. */
  clauses: Array<ClauseMark<SlaClause>>;
  range: Range;
}

export interface FunnelStage {
  kind: "FunnelStage";
  definition: Ident;
  /** Conversion from the previous stage; absent: measured from the snapshot. */
  rate?: PercentLit | undefined;
  range: Range;
}
export interface RevenueClause {
  kind: "Revenue";
  amount: MoneyLit;
  per: Ident;
  from: Ident;
  range: Range;
}
/** `"alice": 60_000 USD` in a goal's `quotas`. */
export interface QuotaEntry {
  kind: "QuotaEntry";
  group: StringLit;
  amount: MoneyLit;
  range: Range;
}
/** `quotas { … }`: each `by` group's own revenue goal. */
export interface QuotasClause {
  kind: "Quotas";
  entries: QuotaEntry[];
  range: Range;
}

export interface GoalBlock {
  kind: "Goal";
  id: Ident;
  title?: StringLit | undefined;
  owners: Ident[];
  revenue?: RevenueClause | undefined;
  averageDeal?: MoneyLit | undefined;
  funnel: FunnelStage[];
  by: Ident[];
  quotas?: QuotasClause | undefined;
  clauses: Array<ClauseMark<GoalClause>>;
  range: Range;
}

/** A calendar period a waiver covers, as written: 2027-01-15, 2027-W05, 2027-01, 2027-Q1 or 2027. */
export interface PeriodLit {
  kind: "PeriodLit";
  text: string;
  range: Range;
}

/**
 * `waiver ID "why" { sla …  leads "ID", … | when …  periods …  from DATE  until DATE }` (SPEC §8.4):
 * leads excused from lead-level SLAs. `leads` and `when` are alternatives; the checker says so.
 */
export interface WaiverBlock {
  kind: "Waiver";
  id: Ident;
  title?: StringLit | undefined;
  slas: Ident[];
  /** Lead ids as the snapshot writes them; empty when the clause is absent. */
  leads: StringLit[];
  when?: Expr | undefined;
  periods: PeriodLit[];
  from?: DateLit | undefined;
  until?: DateLit | undefined;
  clauses: Array<ClauseMark<WaiverClause>>;
  range: Range;
}

/** Where a clause was written, for "clause given twice" and for the formatter's order. */
export interface ClauseMark<K extends string = string> {
  keyword: K;
  range: Range;
}

export type Block = AgreementBlock | TeamBlock | CalendarBlock | FieldsBlock | ActivityFieldsBlock | LeadBlock | SlaBlock | GoalBlock | WaiverBlock;

export interface Comment {
  text: string;
  range: Range;
}

export interface PolicyFile {
  kind: "File";
  path: string;
  blocks: Block[];
  comments: Comment[];
  range: Range;
}

export type Node =
  | Block
  | Expr
  | Expectation
  | Ident
  | Duration
  | Handle
  | DaySpec
  | TimeOfDay
  | TimeRange
  | HoursClause
  | FieldDecl
  | FunnelStage
  | RevenueClause
  | CalendarByClause
  | CalendarCase
  | QuotasClause
  | QuotaEntry
  | PeriodLit
  | PolicyFile;

import type { Value } from "../engine/ir.js";
import { ACTIVITY_COLUMNS, ACTIVITY_SLOTS, activitySlotsRead, slotsReadAfterClassifying, type EvalPlan } from "../engine/plan.js";
import { show } from "../engine/show.js";
import type { RowSink, SourceEnd } from "../engine/source.js";
import { activitiesRelation, leadsRelation, type SqlOptions } from "../engine/sql/compile.js";
import { ident, setZone, tableName, type Dialect } from "../engine/sql/dialect.js";
import { leadRejectReason, naiveText } from "../engine/sql/row-checks.js";
import { assertNever } from "../lang/never.js";
import { SnapshotError } from "./error.js";

/** How a column holds its values, for counting timestamps read without an offset (SPEC §3). */
export type ColumnKind = "text" | "naive" | "other";

/**
 * A database connection as a table source uses it: queries only. Whoever opens it makes it
 * read-only (postgres-source.ts, duckdb-database.ts) and closes it.
 */
export interface SqlReader {
  readonly dialect: Dialect;
  /** A statement without rows (the session's time zone). */
  run(sql: string): Promise<void>;
  /** A query's rows in batches, each row its columns in order; BIGINTs as numbers. */
  batches(sql: string): AsyncIterable<readonly (readonly unknown[])[]>;
  /** The columns of a table or view, by name. */
  columnKinds(table: string): Promise<Map<string, ColumnKind>>;
  /** An error's first line, safe to print (no password, no URL). */
  describe(error: unknown): string;
}

/** The tables a snapshot names (snapshot.yaml `source:`), as written there. */
export interface Tables {
  leads: string;
  activities: string | undefined;
}

const ROW = "sp_row";
const REASON = "sp_reason";
const NAIVE = "sp_naive";
const SRC_LEADS = "sp_src_leads";
const SRC_ACTIVITIES = "sp_src_activities";

/** An expression's text in byte order: the same row order on every server, whatever its collation. */
function byteOrder(dialect: Dialect, value: string): string {
  const asText = `CAST(${value} AS VARCHAR)`;
  switch (dialect) {
    case "duckdb":
      return asText;
    case "postgres":
      return `${asText} COLLATE "C"`;
    default:
      return assertNever(dialect);
  }
}

/**
 * Streams a snapshot held in database tables into `sink`, with the row checks and the
 * classification pushed down into SQL (engine/sql: the compiled definitions as CTEs; only
 * SELECTs, so a read-only transaction runs them). Rows are numbered in the order of their key
 * (the lead id; an activity's lead id and time), as a table has no lines: a reject is named by
 * its table, that number and its key. The in-memory evaluator judges the rest, so the report
 * is the file reader's.
 */
export async function readTables(reader: SqlReader, tables: Tables, plan: EvalPlan, sink: RowSink): Promise<SourceEnd> {
  const step = async <T>(table: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (error instanceof SnapshotError) throw error;
      throw new SnapshotError(`could not be read: ${reader.describe(error)}`, table);
    }
  };
  await step(tables.leads, () => reader.run(setZone(reader.dialect, plan.zone.name)));
  const kinds = await step(tables.leads, () => reader.columnKinds(tables.leads));
  const notRead = notReadYet(plan, kinds);
  if (notRead.length > 0) throw new SnapshotError(`cannot be read from a database yet: ${notRead.join("; ")} (docs/engines.md)`, tables.leads);
  const leads = leadQuery(reader.dialect, tables.leads, plan, kinds);
  const figures = await step(tables.leads, () => streamLeads(reader, leads, plan, sink));
  let naiveActivities = 0;
  if (tables.activities !== undefined) {
    const activities = tables.activities;
    naiveActivities = await step(activities, async () => {
      const at = (await reader.columnKinds(activities)).get("at") ?? "other";
      return streamActivities(reader, activityQuery(reader.dialect, activities, plan, at), plan, sink);
    });
  }
  const emptySlots = plan.fields.filter((_, i) => !figures.filled[i]).map((f) => f.slot);
  return { naiveTimestamps: figures.naive + naiveActivities, emptySlots };
}

/**
 * What the policy asks of the columns that the SQL form does not do yet, each said once: a
 * `format` on a text column (a typed column needs none), a field named `id` (the lead id's
 * column mapped elsewhere), activity fields read from other columns or added. Refused rather
 * than read differently from the file reader.
 */
function notReadYet(plan: EvalPlan, kinds: Map<string, ColumnKind>): string[] {
  const problems: string[] = [];
  for (const f of plan.fields) {
    if (f.name === "id") problems.push(`field 'id' (the lead id read from column '${f.column}'): name the column id in a view`);
    else if (f.format !== undefined && kinds.get(f.column) === "text") problems.push(`field '${f.name}' has a format and column '${f.column}' holds text: give the column a type (in a view)`);
  }
  for (const a of plan.activityFields) {
    if (a.column !== a.name || a.format !== undefined || !ACTIVITY_SLOTS.has(a.name)) problems.push(`activity field '${a.name}' (from 'activity fields'): name the activity columns lead_id, type, at and owner, typed, in a view`);
  }
  return problems;
}

/** How the table queries compile: casts that fail as null (a reject, not an error), over the numbered source rows. */
function readOptions(dialect: Dialect, passThrough: string[]): SqlOptions {
  return { dialect, asOf: 0, leadsTable: SRC_LEADS, activitiesTable: SRC_ACTIVITIES, calendarDays: { from: 0, to: -1 }, cast: "try", passThrough };
}

/**
 * One query, one pass over the leads, in key order: each row's number, why it is rejected ('' if
 * it is not), its id, the slots judging reads, its definitions, whether each field has a value
 * (W0103, W0106) and how many of its times have no offset.
 */
function leadQuery(dialect: Dialect, table: string, plan: EvalPlan, kinds: Map<string, ColumnKind>): string {
  const naive = plan.fields
    .filter((f) => f.type === "time" && (kinds.get(f.column) ?? "other") !== "other")
    .map((f) => (kinds.get(f.column) === "naive" ? `CASE WHEN ${ident(f.column)} IS NULL THEN 0 ELSE 1 END` : `CASE WHEN ${naiveText(dialect, ident(f.column))} THEN 1 ELSE 0 END`));
  const naiveCount = naive.length === 0 ? "0" : naive.join(" + ");
  const source = `${SRC_LEADS} AS (\n  SELECT row_number() OVER (ORDER BY ${byteOrder(dialect, ident("id"))}) AS ${ROW}, ${leadRejectReason(plan, dialect)} AS ${REASON}, ${naiveCount} AS ${NAIVE}, *\n  FROM ${tableName(table)}\n)`;
  const options = readOptions(dialect, [ROW, REASON, NAIVE]);
  const slots = slotsReadAfterClassifying(plan);
  const columns = [ROW, REASON, NAIVE, "id", ...slots.map((s) => plan.fields[s]!.name)].map(ident);
  const definitions = plan.definitions.map((d) => ident(`def:${d.id}`));
  const filled = plan.fields.map((f) => `(${ident(f.name)} IS NOT NULL)`);
  return `WITH ${source},\nsp_leads AS (\n${leadsRelation(plan, options)}\n)\nSELECT ${[...columns, ...definitions, ...filled].join(", ")}\nFROM sp_leads ORDER BY ${ROW}`;
}

/** Streams the leads into `sink`, rejected or used; returns which fields any converted lead has a value in, and the used ones' naive times. */
async function streamLeads(reader: SqlReader, sql: string, plan: EvalPlan, sink: RowSink): Promise<{ filled: boolean[]; naive: number }> {
  const slots = slotsReadAfterClassifying(plan);
  const values: Value[] = new Array<Value>(plan.fields.length).fill(null);
  const defs: boolean[] = new Array<boolean>(plan.definitions.length).fill(false);
  const filled: boolean[] = new Array<boolean>(plan.fields.length).fill(false);
  const first = 4 + slots.length;
  const filledAt = first + plan.definitions.length;
  let naive = 0;
  for await (const rows of reader.batches(sql)) {
    for (const row of rows) {
      const reason = String(row[1] ?? "");
      if (reason !== "") {
        const id = row[3];
        const leadId = typeof id === "string" && id.trim() !== "" ? id : undefined;
        sink.reject("leads", Number(row[0]), leadId === undefined ? reason : `lead '${show(leadId)}': ${reason}`, leadId);
        continue;
      }
      for (let i = 0; i < slots.length; i++) values[slots[i]!] = value(row[4 + i]);
      for (let d = 0; d < plan.definitions.length; d++) defs[plan.definitions[d]!.index] = row[first + d] === true;
      for (let f = 0; f < filled.length; f++) if (row[filledAt + f] === true) filled[f] = true;
      // A duplicate id's row is not used: its times are not counted.
      if (sink.lead(Number(row[0]), String(row[3]), values, defs)) naive += Number(row[2] ?? 0);
    }
  }
  return { filled, naive };
}

/** Whether an activity's time was written without an offset, by how its column holds it. */
function naiveAt(dialect: Dialect, kind: ColumnKind): string {
  const at = ident("at");
  switch (kind) {
    case "text":
      return `COALESCE(${naiveText(dialect, at)}, FALSE)`;
    case "naive":
      return `(${at} IS NOT NULL)`;
    case "other":
      return "FALSE";
    default:
      return assertNever(kind);
  }
}

function activityQuery(dialect: Dialect, table: string, plan: EvalPlan, at: ColumnKind): string {
  const read = activitySlotsRead(plan).map((slot) => ACTIVITY_COLUMNS[slot]!);
  // The lead id, then the time as the table holds it, then the rest: the same numbers on every run.
  const order = [byteOrder(dialect, ident("lead_id")), ident("at"), ...read.filter((c) => c !== "lead_id" && c !== "at").map((c) => byteOrder(dialect, ident(c)))];
  const options = readOptions(dialect, [ROW, NAIVE]);
  const source = `${SRC_ACTIVITIES} AS (\n  SELECT row_number() OVER (ORDER BY ${order.join(", ")}) AS ${ROW}, ${naiveAt(dialect, at)} AS ${NAIVE}, *\n  FROM ${tableName(table)}\n)`;
  return `WITH ${source},\nsp_activities AS (\n${activitiesRelation(plan, options)}\n)\nSELECT ${[ROW, NAIVE, ...read].map(ident).join(", ")} FROM sp_activities ORDER BY ${ROW}`;
}

/** Streams the activities into `sink`; returns how many used ones had a time without an offset. */
async function streamActivities(reader: SqlReader, sql: string, plan: EvalPlan, sink: RowSink): Promise<number> {
  const read = activitySlotsRead(plan);
  const at = ACTIVITY_SLOTS.get("at")!;
  const leadId = ACTIVITY_SLOTS.get("lead_id")!;
  let naive = 0;
  for await (const rows of reader.batches(sql)) {
    for (const row of rows) {
      const values: Value[] = new Array<Value>(ACTIVITY_SLOTS.size).fill(null);
      read.forEach((slot, i) => (values[slot] = value(row[2 + i])));
      if (typeof values[at] !== "number") {
        const lead = values[leadId];
        const whose = typeof lead === "string" ? `activity for lead '${show(lead)}': ` : "";
        sink.reject("activities", Number(row[0]), `${whose}'at' is not a date/time (use ISO 8601, e.g. 2026-11-02T09:15:00Z)`);
        continue;
      }
      if (sink.activity(Number(row[0]), values) && row[1] === true) naive++;
    }
  }
  return naive;
}

/** A database's value as the engine's: BIGINT epoch milliseconds as numbers. */
function value(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return String(v);
}

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
  const leads = leadQueries(reader.dialect, tables.leads, plan, kinds);
  await step(tables.leads, () => streamRejected(reader, leads.rejected, sink));
  await step(tables.leads, () => streamLeads(reader, leads.used, plan, sink));
  const figures = await step(tables.leads, async () => firstRow(reader, leads.figures));
  if (tables.activities !== undefined) {
    const activities = tables.activities;
    await step(activities, () => streamActivities(reader, activityQuery(reader.dialect, activities, plan), plan, sink));
  }
  const emptySlots = plan.fields.filter((_, i) => Number(figures[i] ?? 0) === 0).map((f) => f.slot);
  return { naiveTimestamps: Number(figures[plan.fields.length] ?? 0), emptySlots };
}

function leadQueries(dialect: Dialect, table: string, plan: EvalPlan, kinds: Map<string, ColumnKind>) {
  const source = `${SRC_LEADS} AS (\n  SELECT row_number() OVER (ORDER BY ${byteOrder(dialect, ident("id"))}) AS ${ROW}, ${leadRejectReason(plan, dialect)} AS ${REASON}, *\n  FROM ${tableName(table)}\n)`;
  const options: SqlOptions = {
    dialect,
    asOf: 0,
    leadsTable: SRC_LEADS,
    activitiesTable: SRC_ACTIVITIES,
    calendarDays: { from: 0, to: -1 },
    cast: "try",
    passThrough: [ROW, REASON],
  };
  const typed = `WITH ${source},\nsp_leads AS (\n${leadsRelation(plan, options)}\n)\n`;
  const slots = slotsReadAfterClassifying(plan);
  const columns = [ROW, "id", ...slots.map((s) => plan.fields[s]!.name)].map(ident);
  const definitions = plan.definitions.map((d) => ident(`def:${d.id}`));
  const naive = plan.fields
    .filter((f) => f.type === "time" && (kinds.get(f.column) ?? "other") !== "other")
    .map((f) => (kinds.get(f.column) === "naive" ? `count(${ident(f.column)})` : `count(*) FILTER (WHERE ${naiveText(dialect, ident(f.column))})`));
  const counts = plan.fields.map((f) => `(SELECT count(${ident(f.name)}) FROM sp_leads WHERE ${REASON} = '')`);
  const naiveSum = naive.length === 0 ? "0" : `(SELECT ${naive.join(" + ")} FROM ${SRC_LEADS} WHERE ${REASON} = '')`;
  return {
    rejected: `WITH ${source}\nSELECT ${ROW}, ${REASON}, CAST(${ident("id")} AS VARCHAR) FROM ${SRC_LEADS} WHERE ${REASON} <> '' ORDER BY ${ROW}`,
    used: `${typed}SELECT ${[...columns, ...definitions].join(", ")}\nFROM sp_leads WHERE ${REASON} = '' ORDER BY ${ROW}`,
    // Per field, whether any used lead has a value (W0103, W0106); then the naive timestamps.
    figures: `${typed}SELECT ${[...counts, naiveSum].join(",\n  ")}`,
  };
}

async function firstRow(reader: SqlReader, sql: string): Promise<readonly unknown[]> {
  for await (const rows of reader.batches(sql)) return rows[0] ?? [];
  return [];
}

async function streamRejected(reader: SqlReader, sql: string, sink: RowSink): Promise<void> {
  for await (const rows of reader.batches(sql)) {
    for (const [row, reason, id] of rows) {
      const leadId = typeof id === "string" && id.trim() !== "" ? id : undefined;
      sink.reject("leads", Number(row), leadId === undefined ? String(reason) : `lead '${show(leadId)}': ${String(reason)}`, leadId);
    }
  }
}

async function streamLeads(reader: SqlReader, sql: string, plan: EvalPlan, sink: RowSink): Promise<void> {
  const slots = slotsReadAfterClassifying(plan);
  const values: Value[] = new Array<Value>(plan.fields.length).fill(null);
  const defs: boolean[] = new Array<boolean>(plan.definitions.length).fill(false);
  for await (const rows of reader.batches(sql)) {
    for (const row of rows) {
      for (let i = 0; i < slots.length; i++) values[slots[i]!] = value(row[2 + i]);
      for (let d = 0; d < plan.definitions.length; d++) defs[plan.definitions[d]!.index] = row[2 + slots.length + d] === true;
      sink.lead(Number(row[0]), String(row[1]), values, defs);
    }
  }
}

function activityQuery(dialect: Dialect, table: string, plan: EvalPlan): string {
  const read = activitySlotsRead(plan).map((slot) => ACTIVITY_COLUMNS[slot]!);
  // The lead id, then the time as the table holds it, then the rest: the same numbers on every run.
  const order = [byteOrder(dialect, ident("lead_id")), ident("at"), ...read.filter((c) => c !== "lead_id" && c !== "at").map((c) => byteOrder(dialect, ident(c)))];
  const options: SqlOptions = {
    dialect,
    asOf: 0,
    leadsTable: SRC_LEADS,
    activitiesTable: SRC_ACTIVITIES,
    calendarDays: { from: 0, to: -1 },
    cast: "try",
    passThrough: [ROW],
  };
  const source = `${SRC_ACTIVITIES} AS (\n  SELECT row_number() OVER (ORDER BY ${order.join(", ")}) AS ${ROW}, *\n  FROM ${tableName(table)}\n)`;
  return `WITH ${source},\nsp_activities AS (\n${activitiesRelation(plan, options)}\n)\nSELECT ${[ROW, ...read].map(ident).join(", ")} FROM sp_activities ORDER BY ${ROW}`;
}

async function streamActivities(reader: SqlReader, sql: string, plan: EvalPlan, sink: RowSink): Promise<void> {
  const read = activitySlotsRead(plan);
  const at = ACTIVITY_SLOTS.get("at")!;
  const leadId = ACTIVITY_SLOTS.get("lead_id")!;
  for await (const rows of reader.batches(sql)) {
    for (const row of rows) {
      const values: Value[] = new Array<Value>(ACTIVITY_SLOTS.size).fill(null);
      read.forEach((slot, i) => (values[slot] = value(row[1 + i])));
      if (typeof values[at] !== "number") {
        const lead = values[leadId];
        const whose = typeof lead === "string" ? `activity for lead '${show(lead)}': ` : "";
        sink.reject("activities", Number(row[0]), `${whose}'at' is not a date/time (use ISO 8601, e.g. 2026-11-02T09:15:00Z)`);
        continue;
      }
      sink.activity(Number(row[0]), values);
    }
  }
}

/** A database's value as the engine's: BIGINT epoch milliseconds as numbers. */
function value(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return String(v);
}

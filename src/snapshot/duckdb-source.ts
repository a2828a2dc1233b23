import { existsSync } from "node:fs";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Value } from "../engine/ir.js";
import { ACTIVITY_SLOTS, slotsReadAfterClassifying, type EvalPlan } from "../engine/plan.js";
import type { RowSink, SnapshotSource, SourceEnd, SourceInput } from "../engine/source.js";
import { compileSql } from "../engine/sql/compile.js";
import { ident, text } from "../engine/sql/dialect.js";
import { leadRejectReason } from "../engine/sql/row-checks.js";
import { refuseLinkOut, SnapshotError } from "./read.js";

/** The row number DuckDB gives each Parquet row (1 for the first), carried through the views. */
const ROW = "sp_row";

/** A snapshot folder holds Parquet files: read them with DuckDB. */
export function hasParquet(dir: string): boolean {
  return existsSync(path.join(dir, "leads.parquet"));
}

/**
 * A snapshot folder of Parquet files (leads.parquet, activities.parquet) read by embedded
 * DuckDB, with the classification pushed down: each lead arrives with its definitions decided
 * by the compiled SQL (engine/sql/compile.ts), and the in-memory evaluator judges the rest, so
 * the report is the one the file reader's run gives. A row is named by its row number (1 for
 * the first) where a CSV's would be named by its line.
 */
export class DuckDbSource implements SnapshotSource {
  readonly inputs: SourceInput[];

  private constructor(
    private readonly files: { leads: string; activities?: string | undefined },
    shown: string,
  ) {
    this.inputs = [
      { name: path.posix.join(shown, "leads.parquet"), kind: "leads" },
      ...(files.activities ? [{ name: path.posix.join(shown, "activities.parquet"), kind: "activities" as const }] : []),
    ];
  }

  static async open(dir: string, shown: string): Promise<DuckDbSource> {
    const leads = path.join(dir, "leads.parquet");
    const activities = path.join(dir, "activities.parquet");
    await refuseLinkOut(dir, leads, path.posix.join(shown, "leads.parquet"));
    await refuseLinkOut(dir, activities, path.posix.join(shown, "activities.parquet"));
    if (!existsSync(leads)) throw new SnapshotError("has no leads.parquet: the DuckDB engine reads Parquet files", shown);
    return new DuckDbSource({ leads, activities: existsSync(activities) ? activities : undefined }, shown);
  }

  estimate(): number {
    return 0;
  }

  async rows(plan: EvalPlan, sink: RowSink): Promise<SourceEnd> {
    const mapped = readAsWrittenOnly(plan);
    if (mapped) throw new SnapshotError(`cannot be read by the DuckDB engine: ${mapped} (it reads columns as named, in ISO times; --engine memory reads column formats)`, this.inputs[0]!.name);
    const { DuckDBInstance } = await import("@duckdb/node-api");
    // Extensions are never fetched: Parquet and ICU (time zones) are built in.
    const db = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
    const c = await db.connect();
    try {
      await this.views(c, plan);
      // With the row's id, when it has one: the lead's activities then say their lead was rejected.
      await c.run(
        `CREATE TEMP TABLE sp_rejected AS SELECT ${ROW}, reason, lead_id FROM (SELECT ${ROW}, ${leadRejectReason(plan, "duckdb")} AS reason, CAST(${ident("id")} AS VARCHAR) AS lead_id FROM sp_src_leads) WHERE reason <> ''`,
      );
      const naiveTimestamps = await naiveCount(c, plan);
      await streamLeads(c, plan, sink);
      if (this.files.activities) await streamActivities(c, sink);
      return { naiveTimestamps, emptySlots: await emptySlots(c, plan) };
    } catch (error) {
      if (error instanceof SnapshotError) throw error;
      throw new SnapshotError(`could not be read by DuckDB: ${String((error as Error).message ?? error).split("\n")[0]}`, this.inputs[0]!.name);
    } finally {
      c.closeSync();
    }
  }

  private async views(c: DuckDBConnection, plan: EvalPlan): Promise<void> {
    const source = (file: string): string => `SELECT file_row_number + 1 AS ${ROW}, * EXCLUDE (file_row_number) FROM read_parquet(${text(file)}, file_row_number = true)`;
    await c.run(`CREATE VIEW sp_src_leads AS ${source(this.files.leads)}`);
    if (this.files.activities) await c.run(`CREATE VIEW sp_src_activities AS ${source(this.files.activities)}`);
    else await c.run(`CREATE VIEW sp_src_activities AS SELECT 0 AS ${ROW}, NULL AS lead_id, NULL AS type, NULL AS at, NULL AS owner WHERE FALSE`);
    const compiled = compileSql(plan, {
      dialect: "duckdb",
      asOf: 0,
      leadsTable: "sp_src_leads",
      activitiesTable: "sp_src_activities",
      calendarDays: { from: 0, to: -1 },
      cast: "try",
      passThrough: [ROW],
    });
    // The time zone, then the typed views; calendar tables are not needed: deadlines are judged in memory.
    for (const statement of compiled.setup.slice(0, 3)) await c.run(statement);
  }
}

/** Rejected rows first (they are listed by line in the end), then every other lead in file order, classified. */
async function streamLeads(c: DuckDBConnection, plan: EvalPlan, sink: RowSink): Promise<void> {
  for await (const rows of (await c.stream(`SELECT ${ROW}, reason, lead_id FROM sp_rejected ORDER BY ${ROW}`)).yieldRowsJs()) {
    for (const [row, reason, leadId] of rows) sink.reject("leads", Number(row), String(reason), typeof leadId === "string" && leadId.trim() !== "" ? leadId : undefined);
  }
  const slots = slotsReadAfterClassifying(plan);
  const select = [ROW, "id", ...slots.map((s) => plan.fields[s]!.name)].map(ident);
  const definitions = plan.definitions.map((d) => ident(`def:${d.id}`));
  const sql = `SELECT ${[...select, ...definitions].join(", ")} FROM sp_leads WHERE ${ROW} NOT IN (SELECT ${ROW} FROM sp_rejected) ORDER BY ${ROW}`;
  const values: Value[] = new Array<Value>(plan.fields.length).fill(null);
  const defs: boolean[] = new Array<boolean>(plan.definitions.length).fill(false);
  for await (const rows of (await c.stream(sql)).yieldRowsJs()) {
    for (const row of rows) {
      for (let i = 0; i < slots.length; i++) values[slots[i]!] = jsValue(row[2 + i]);
      for (let d = 0; d < plan.definitions.length; d++) defs[plan.definitions[d]!.index] = row[2 + slots.length + d] === true;
      sink.lead(Number(row[0]), String(row[1]), values, defs);
    }
  }
}

async function streamActivities(c: DuckDBConnection, sink: RowSink): Promise<void> {
  const width = ACTIVITY_SLOTS.size;
  const result = await c.stream(`DESCRIBE sp_activities`);
  const columns = (await result.getRowsJS()).map((r) => String(r[0])).filter((n) => n !== ROW);
  const sql = `SELECT ${ROW}, ${columns.map(ident).join(", ")} FROM sp_activities ORDER BY ${ROW}`;
  for await (const rows of (await c.stream(sql)).yieldRowsJs()) {
    for (const row of rows) {
      const values: Value[] = new Array<Value>(width).fill(null);
      columns.forEach((name, i) => {
        const slot = ACTIVITY_SLOTS.get(name);
        if (slot !== undefined) values[slot] = jsValue(row[1 + i]);
      });
      if (typeof values[ACTIVITY_SLOTS.get("at")!] !== "number") {
        sink.reject("activities", Number(row[0]), "'at' is not a date/time (use ISO 8601, e.g. 2026-11-02T09:15:00Z)");
        continue;
      }
      sink.activity(Number(row[0]), values);
    }
  }
}

/** DuckDB's JS values as the engine's: BIGINT epoch milliseconds as numbers. */
function jsValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return String(v);
}

/** Lead time values written without an offset, read in the agreement's zone (SPEC §3): text without one, or a TIMESTAMP column. */
async function naiveCount(c: DuckDBConnection, plan: EvalPlan): Promise<number> {
  const described = await (await c.stream("DESCRIBE sp_src_leads")).getRowsJS();
  const typeOf = new Map(described.map((r) => [String(r[0]), String(r[1])]));
  const parts = plan.fields
    .filter((f) => f.type === "time")
    .flatMap((f) => {
      const type = typeOf.get(f.column) ?? "";
      const c2 = ident(f.column);
      if (type === "VARCHAR") return [`count(*) FILTER (WHERE regexp_matches(trim(${c2}), '^\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?$'))`];
      if (type.startsWith("TIMESTAMP") && !type.includes("TIME ZONE")) return [`count(${c2})`];
      return [];
    });
  if (parts.length === 0) return 0;
  const rows = await (await c.stream(`SELECT ${parts.join(" + ")} FROM sp_src_leads WHERE ${ROW} NOT IN (SELECT ${ROW} FROM sp_rejected)`)).getRowsJS();
  return Number(rows[0]?.[0] ?? 0);
}

async function emptySlots(c: DuckDBConnection, plan: EvalPlan): Promise<number[]> {
  if (plan.fields.length === 0) return [];
  const rows = await (await c.stream(`SELECT ${plan.fields.map((f) => `count(${ident(f.name)})`).join(", ")} FROM sp_leads WHERE ${ROW} NOT IN (SELECT ${ROW} FROM sp_rejected)`)).getRowsJS();
  return plan.fields.filter((_, i) => Number(rows[0]?.[i] ?? 0) === 0).map((f) => f.slot);
}

/**
 * What the DuckDB engine does not read yet (SPEC §8.2), or undefined: a field's `format`, a lead
 * id read from another column, activity columns renamed or added by `activity fields`.
 */
function readAsWrittenOnly(plan: EvalPlan): string | undefined {
  const formatted = plan.fields.find((f) => f.format !== undefined);
  if (formatted) return `field '${formatted.name}' has a format`;
  if (plan.fieldByName.get("id")?.column !== undefined && plan.fieldByName.get("id")!.column !== "id") return "the lead id is read from another column";
  const activity = plan.activityFields.find((f) => f.column !== f.name || f.format !== undefined || f.slot >= ACTIVITY_SLOTS.size);
  return activity ? `activity field '${activity.name}' is renamed, formatted or added` : undefined;
}

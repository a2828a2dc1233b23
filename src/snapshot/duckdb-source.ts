import { existsSync } from "node:fs";
import path from "node:path";
import type { DuckDBConnection } from "@duckdb/node-api";
import type { Value } from "../engine/ir.js";
import { ACTIVITY_SLOTS, slotsReadAfterClassifying, type EvalPlan, type FieldPlan } from "../engine/plan.js";
import type { EngineName } from "../engine/result.js";
import type { JudgeSink, RowSink, SnapshotSource, SourceEnd, SourceInput } from "../engine/source.js";
import { compileSql } from "../engine/sql/compile.js";
import { ident, text } from "../engine/sql/dialect.js";
import { leadRejectReason } from "../engine/sql/row-checks.js";
import type { FieldTypeName } from "../lang/ast.js";
import { assertNever } from "../lang/never.js";
import { castFromSql, filledLayerSql, filledSql, localMsSql, localTextSql, naiveSql, timeSql, trimLayerSql, trimmedOf, unsureTimeSql } from "./duckdb-columns.js";
import { FILLED_BITS, filledColumn, judgeInDuckDb, NAIVE, REASON, ROW, UNSURE } from "./duckdb-judge.js";
import { duckDbApi } from "./duckdb-module.js";
import { zoneMacros } from "./duckdb-zone.js";
import { FolderSource } from "./load.js";
import { findDataFiles, forEachRow, refuseLinkOut, refuseMixedFormats, sniffDelimiter, SnapshotError, type DataFile } from "./read.js";
import { headText } from "./text.js";

/**
 * What DuckDB's buffer manager may use before it spills to disk (docs/engines.md). The process
 * needs more: the evaluator's per-lead state in JavaScript (some 300–500 MB at 10M leads) and
 * Node itself. With 1GB, 10M leads on Parquet peaked at 1.5 GB (2.1 GB before the judged leads
 * were streamed); with 500MB at 1.0–1.3 GiB on Parquet and CSV, under the 1.5 GiB target, for
 * up to 13% more CPU on Parquet and up to 40% on CSV, spilling (docs/engines.md, 1 December).
 */
export const DUCKDB_MEMORY_LIMIT = "500MB";

// The choice --engine auto makes lives apart (engine-choice.ts), so that making it does not load
// this module and the SQL compiler; re-exported for the tests that ask it here.
export { autoPicksDuckDb, hasParquet } from "./engine-choice.js";

/** A file DuckDB reads: Parquet (rows named by their number) or a data file of the file reader's (rows named by line). */
type DuckFile = { format: "parquet"; absolute: string } | { format: "file"; file: DataFile };

/**
 * A snapshot folder read by embedded DuckDB: Parquet files (leads.parquet, activities.parquet),
 * or the file reader's CSV, NDJSON and JSON files. With judge() (the default for a run that
 * keeps no per-lead outcomes) everything heavy happens in SQL: reading, converting (TRY_CAST),
 * the row checks, the classification (engine/sql/compile.ts), the counts per period and group,
 * and the touches of each judged lead (duckdb-judge.ts); the evaluator assembles the report
 * from them, so it is the file reader's. rows() streams classified rows instead. A Parquet row
 * is named by its row number (1 for the first); a CSV's by its line, as the file reader names it.
 */
export class DuckDbSource implements SnapshotSource {
  /** Numbers the activities view's rows, when views() left them unnumbered. */
  private numberActivities: (() => Promise<void>) | null = null;
  /** Numbers the leads view's rows, when views() left them unnumbered (a text file, judged). */
  private numberLeads: (() => Promise<void>) | null = null;
  /**
   * Whether every column read has a type whose values DuckDB reads as the file reader does: in
   * NDJSON and JSON, a column mixing strings with numbers, lists or objects is typed JSON (its
   * strings then read with their quotes), one mixing 1 and 2.5 DOUBLE (1 then reads as "1.0").
   */
  private typesAsRead = true;
  /** The instant local times are most likely near (as_of when judging): the zone macros are fastest around it. */
  private around = Date.now();
  /** "memory" once the file reader took over (rows() of a text file). */
  engine: EngineName = "duckdb";
  readonly inputs: SourceInput[];

  private constructor(
    private readonly files: { leads: DuckFile; activities?: DuckFile | undefined },
    private readonly folder: { dir: string; shown: string },
    names: string[],
  ) {
    this.inputs = names.map((name, i) => ({ name, kind: i === 0 ? "leads" : "activities" }));
  }

  static async open(dir: string, shown: string): Promise<DuckDbSource> {
    const leads = path.join(dir, "leads.parquet");
    const activities = path.join(dir, "activities.parquet");
    await refuseLinkOut(dir, leads, path.posix.join(shown, "leads.parquet"));
    await refuseLinkOut(dir, activities, path.posix.join(shown, "activities.parquet"));
    refuseMixedFormats(dir, shown);
    if (existsSync(leads)) {
      const withActivities = existsSync(activities);
      return new DuckDbSource(
        { leads: { format: "parquet", absolute: leads }, activities: withActivities ? { format: "parquet", absolute: activities } : undefined },
        { dir, shown },
        [path.posix.join(shown, "leads.parquet"), ...(withActivities ? [path.posix.join(shown, "activities.parquet")] : [])],
      );
    }
    const found = await findDataFiles(dir, shown);
    return new DuckDbSource(
      { leads: { format: "file", file: found.leads }, activities: found.activities && { format: "file", file: found.activities } },
      { dir, shown },
      [found.leads.file, ...(found.activities ? [found.activities.file] : [])],
    );
  }

  estimate(): number {
    return 0;
  }

  /** Classified rows, streamed: for runs that keep every lead's outcome. Files other than Parquet go to the file reader. */
  async rows(plan: EvalPlan, sink: RowSink): Promise<SourceEnd> {
    if (this.files.leads.format === "file") {
      this.engine = "memory";
      return (await FolderSource.open(this.folder.dir, this.folder.shown)).rows(plan, sink);
    }
    const mapped = readAsWrittenOnly(plan);
    if (mapped) throw new SnapshotError(`cannot be read by the DuckDB engine: ${mapped} (it reads columns as named, in ISO times; --engine memory reads column formats)`, this.inputs[0]!.name);
    return this.withDuckDb(plan, "rows", async (c) => {
      // With the row's id, when it has one: the lead's activities then say their lead was rejected.
      await c.run(`CREATE TEMP TABLE sp_rejected AS SELECT ${ROW}, ${REASON} AS reason, CAST(${ident("id")} AS VARCHAR) AS lead_id FROM sp_src_leads WHERE ${REASON} <> ''`);
      const naive = await streamLeads(c, plan, sink);
      const actNaive = this.files.activities ? await streamActivities(c, sink) : 0;
      const filled = (await (await c.run(`SELECT ${filledSums(plan)} FROM sp_src_leads WHERE ${REASON} = ''`)).getRowsJS())[0]!;
      return { naiveTimestamps: naive + actNaive, emptySlots: emptyOf(plan, filled) };
    });
  }

  judge(plan: EvalPlan, sink: JudgeSink, asOf: number): Promise<SourceEnd | null> {
    // Column formats and renamed columns are the file reader's (or, for Parquet, refused by rows()).
    if (readAsWrittenOnly(plan)) return Promise.resolve(null);
    this.around = asOf;
    return this.withDuckDb(plan, "judge", async (c) => {
      const input = {
        hasActivities: this.files.activities !== undefined,
        lines: this.lines.bind(this),
        numberActivities: this.numberActivities,
        numberLeads: this.numberLeads,
        fileReaderTakesOver: this.files.leads.format === "file",
      };
      // JSON values DuckDB typed otherwise than the file reader reads them are its to judge.
      if (!this.typesAsRead) return null;
      return judgeInDuckDb(c, plan, sink, asOf, input);
    }, (error) => (this.files.leads.format === "file" && /CSV|JSON|Conversion|Invalid Input/i.test(String((error as Error).message)) ? null : undefined));
  }

  /** Lines of the rows asked for: a Parquet row is its number; a file's by the file reader's count, null unless every row converts alike. */
  private async lines(kind: "leads" | "activities", rows: readonly number[]): Promise<Map<number, number> | null> {
    const duck = kind === "leads" ? this.files.leads : this.files.activities;
    if (rows.length === 0 || !duck || duck.format === "parquet") return new Map();
    const wanted = new Set(rows);
    const lines = new Map<number, number>();
    let n = 0;
    let aligned = true;
    await forEachRow(duck.file, (event) => {
      n++;
      if ("error" in event) aligned = false;
      else if (wanted.has(n)) lines.set(n, event.line);
    });
    return aligned ? lines : null;
  }

  private async withDuckDb<T>(plan: EvalPlan, use: "rows" | "judge", run: (c: DuckDBConnection) => Promise<T>, instead?: (error: unknown) => T | undefined): Promise<T> {
    const { DuckDBInstance } = duckDbApi();
    // Extensions are never fetched: Parquet, JSON and ICU (time zones) are built in.
    const db = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false", memory_limit: DUCKDB_MEMORY_LIMIT });
    const c = await db.connect();
    try {
      await this.views(c, plan, use);
      return await run(c);
    } catch (error) {
      if (error instanceof SnapshotError) throw error;
      const fallback = instead?.(error);
      if (fallback !== undefined) return fallback;
      throw new SnapshotError(`could not be read by DuckDB: ${String((error as Error).message ?? error).split("\n")[0]}`, this.inputs[0]!.name);
    } finally {
      c.closeSync();
    }
  }

  private async views(c: DuckDBConnection, plan: EvalPlan, use: "rows" | "judge"): Promise<void> {
    // A text file's leads are read without row numbers too: numbering them (a window over the
    // scan) runs the whole pass on one thread; judge() numbers sp_all's rows by their order
    // instead, and this view only when a row is rejected (numberLeads).
    const leads = this.files.leads;
    const leadColumns = ["id", ...plan.fields.map((f) => f.column)];
    const leadsNumbered = leads.format === "parquet" || use === "rows";
    const leadsRaw = await rawSource(c, leads, leadColumns, leadsNumbered);
    const leadTypes = await columnTypes(c, leadsRaw);
    const leadTimes = [...new Set(plan.fields.filter((f) => f.type === "time").map((f) => f.column))];
    // Ids are read trimmed, as the file reader reads them. Each text column is trimmed once, and
    // text times' naive text found once, in inner queries, for the checks, counts and casts.
    // A Parquet file's times are typed: judge() leaves none to the file reader (UNSURE unread).
    const sure = leads.format === "parquet";
    const reads = { trimmed: (column: string): string => trimmedOf(column, leadTypes.get(column)), filled: (column: string): string => filledSql(column, leadTypes.get(column)) };
    const leadTrimmed = ["id", ...plan.fields.filter((f) => f.type !== "text").map((f) => f.column)];
    const leadsView = (raw: string) =>
      `CREATE OR REPLACE VIEW sp_src_leads AS SELECT * REPLACE (${reads.trimmed("id")} AS ${ident("id")}), ${leadRejectReason(plan, "duckdb", reads)} AS ${REASON}, ${naiveCount(leadTimes, leadTypes)} AS ${NAIVE}, ${sure ? "FALSE" : unsure(leadTimes, leadTypes)} AS ${UNSURE}, ${filledBits(plan, leadTypes)}${localMs(leadTimes, leadTypes)} FROM (${withLocalText(withTrimmed(raw, leadColumns, leadTrimmed, leadTypes), leadTimes, leadTypes)})`;
    await c.run(leadsView(leadsRaw));
    this.numberLeads = leadsNumbered ? null : async () => void (await c.run(leadsView(await rawSource(c, leads, leadColumns, true))));
    this.typesAsRead = leads.format === "parquet" || plan.fields.every((f) => jsonTypeAsRead(leadTypes.get(f.column), f.type)) && jsonTypeAsRead(leadTypes.get("id"), "id");
    let actTypes = new Map<string, string>();
    if (this.files.activities) {
      // Text files' activities are first read without row numbers (numbering costs as much as
      // reading): judge() numbers them (numberActivities) only when some are not used.
      const numbered = this.files.activities.format === "parquet";
      const actsRaw = await rawSource(c, this.files.activities, [...ACTIVITY_SLOTS.keys()], numbered);
      actTypes = await columnTypes(c, actsRaw);
      if (this.files.activities.format === "file") this.typesAsRead &&= jsonTypeAsRead(actTypes.get("lead_id"), "id") && jsonTypeAsRead(actTypes.get("at"), "time") && ["type", "owner"].every((n) => jsonTypeAsRead(actTypes.get(n), "text"));
      const types = actTypes;
      // The leads' columns carried through the views, empty here.
      const carried = filledNames(plan).map((f) => `0 AS ${ident(f)}`).join(", ");
      // The other columns read as the file reader reads them: trimmed, NULL when blank.
      const optionalTexts = [...ACTIVITY_SLOTS.keys()].filter((n) => n !== "lead_id" && n !== "at").map((n) => `NULLIF(${trimmedOf(n, types.get(n))}, '') AS ${ident(n)}`).join(", ");
      const view = (raw: string) =>
        `CREATE OR REPLACE VIEW sp_src_activities AS SELECT * REPLACE (${trimmedOf("lead_id", types.get("lead_id"))} AS lead_id, ${optionalTexts}), ${naiveCount(["at"], types)} AS ${NAIVE}, ${numbered ? "FALSE" : unsure(["at"], types)} AS ${UNSURE}, ${carried}${localMs(["at"], types)} FROM (${withLocalText(withTrimmed(raw, [...ACTIVITY_SLOTS.keys()], [...ACTIVITY_SLOTS.keys()], types), ["at"], types)})`;
      await c.run(view(actsRaw));
      const file = this.files.activities;
      this.numberActivities = numbered ? null : async () => void (await c.run(view(await rawSource(c, file, [...ACTIVITY_SLOTS.keys()], true))));
    } else {
      const carried = filledNames(plan).map((f) => `0 AS ${ident(f)}`).join(", ");
      await c.run(`CREATE VIEW sp_src_activities AS SELECT 0 AS ${ROW}, 0 AS ${NAIVE}, FALSE AS ${UNSURE}, ${carried}, NULL AS lead_id, NULL AS type, NULL AS at, NULL AS owner WHERE FALSE`);
    }
    const compiled = compileSql(plan, {
      dialect: "duckdb",
      asOf: 0,
      leadsTable: "sp_src_leads",
      activitiesTable: "sp_src_activities",
      calendarDays: { from: 0, to: -1 },
      cast: "try",
      passThrough: [ROW, NAIVE, UNSURE, ...filledNames(plan)],
      timeColumn: (column, relation) => timeSql(column, (relation === "leads" ? leadTypes : actTypes).get(column)),
      castFrom: (field) => (leadTypes.get(field.column) === "VARCHAR" ? castFromSql(field.column, field.type) : undefined),
    });
    // The time zone, the macros that read local times in it, then the typed views; calendar
    // tables are not needed: deadlines come from the calendar code.
    await c.run(compiled.setup[0]!);
    for (const statement of zoneMacros(plan.zone, this.around)) await c.run(statement);
    for (const statement of compiled.setup.slice(1, 3)) await c.run(statement);
  }
}

function filledNames(plan: EvalPlan): string[] {
  return Array.from({ length: Math.max(1, Math.ceil(plan.fields.length / FILLED_BITS)) }, (_, i) => filledColumn(i));
}

function filledBits(plan: EvalPlan, types: ReadonlyMap<string, string>): string {
  const words = Math.max(1, Math.ceil(plan.fields.length / FILLED_BITS));
  return Array.from({ length: words }, (_, w) => {
    const bits = plan.fields
      .filter((f) => Math.floor(f.slot / FILLED_BITS) === w)
      .map((f) => `(CASE WHEN ${filledSql(f.column, types.get(f.column))} THEN ${2 ** (f.slot % FILLED_BITS)} ELSE 0 END)`);
    return `CAST(${bits.join(" + ") || "0"} AS BIGINT) AS ${ident(filledColumn(w))}`;
  }).join(", ");
}

function filledSums(plan: EvalPlan): string {
  return Array.from({ length: Math.max(1, Math.ceil(plan.fields.length / FILLED_BITS)) }, (_, i) => `bit_or(${ident(filledColumn(i))})`).join(", ");
}

function emptyOf(plan: EvalPlan, filled: readonly unknown[]): number[] {
  return plan.fields.filter((f) => (BigInt((filled[Math.floor(f.slot / FILLED_BITS)] as bigint | null) ?? 0n) & (1n << BigInt(f.slot % FILLED_BITS))) === 0n).map((f) => f.slot);
}

/**
 * A file as a query with ROW first and every column the plan names (NULL when the file lacks
 * it, as the file reader reads a missing column). Text files are read as text (VARCHAR), with
 * the file reader's options, so values convert by the same casts as a Parquet file's text.
 */
async function rawSource(c: DuckDBConnection, duck: DuckFile, columns: readonly string[], numbered = true): Promise<string> {
  let from: string;
  let row: string;
  if (duck.format === "parquet") {
    from = `read_parquet(${text(duck.absolute)}, file_row_number = true)`;
    row = `file_row_number + 1 AS ${ident(ROW)}, * EXCLUDE (file_row_number)`;
  } else {
    from = textReader(duck.file);
    // In file order: DuckDB keeps the order rows are read in (preserve_insertion_order).
    row = numbered ? `row_number() OVER () AS ${ident(ROW)}, *` : `CAST(0 AS BIGINT) AS ${ident(ROW)}, *`;
  }
  const present = new Set((await (await c.run(`DESCRIBE SELECT * FROM ${from}`)).getRowsJS()).map((r) => String(r[0])));
  const missing = [...new Set(columns)].filter((name) => !present.has(name)).map((name) => `CAST(NULL AS VARCHAR) AS ${ident(name)}`);
  return `SELECT ${row}${missing.map((m) => `, ${m}`).join("")} FROM ${from}`;
}

function textReader(file: DataFile): string {
  const name = text(file.absolute);
  switch (file.format) {
    case "csv": {
      // The head only: a whole file over 512 MiB is longer than a string may be (10M leads, bench/README.md).
      const firstLine = headText(file.absolute, "utf8").split(/\r?\n/, 1)[0] ?? "";
      return `read_csv(${name}, header = true, all_varchar = true, auto_detect = false, delim = ${text(sniffDelimiter(firstLine))}, quote = '"', escape = '"', strict_mode = true, null_padding = false, columns = ${csvColumns(firstLine)})`;
    }
    case "ndjson":
      return `read_json(${name}, format = 'newline_delimited', records = true, maximum_object_size = 4194304, sample_size = -1, map_inference_threshold = -1, field_appearance_threshold = 0)`;
    case "json":
      return `read_json(${name}, format = 'array', records = true, maximum_object_size = 4194304, sample_size = -1, map_inference_threshold = -1, field_appearance_threshold = 0)`;
    default:
      return assertNever(file.format);
  }
}

/** A CSV header's columns, all text, for read_csv without its sniffer. */
function csvColumns(firstLine: string): string {
  const names = (firstLine.replace(/^\uFEFF/, "").match(/("([^"]|"")*"|[^,;]*)([,;]|$)/g) ?? []).map((n) => n.replace(/[,;]$/, "").replace(/^"(.*)"$/s, "$1").replace(/""/g, '"'));
  return `{${names.filter((_, i) => i < names.length - (names.at(-1) === "" ? 1 : 0)).map((n) => `${text(n)}: 'VARCHAR'`).join(", ")}}`;
}

async function columnTypes(c: DuckDBConnection, query: string): Promise<Map<string, string>> {
  const described = await (await c.run(`DESCRIBE ${query}`)).getRowsJS();
  return new Map(described.map((r) => [String(r[0]), String(r[1])]));
}

/** Per row, its time values written without an offset (SPEC §3): text without one, or a TIMESTAMP column. */
function naiveCount(columns: readonly string[], types: ReadonlyMap<string, string>): string {
  const parts = columns.flatMap((name) => naiveSql(name, types.get(name)) ?? []);
  return parts.length === 0 ? "0" : parts.join(" + ");
}

/** Whether DuckDB's type for a text file's column (CSV: VARCHAR; NDJSON and JSON: inferred) reads its values as the file reader does for a field of `type`. */
function jsonTypeAsRead(columnType: string | undefined, type: FieldTypeName | "id"): boolean {
  if (columnType === undefined || columnType === "VARCHAR") return true;
  switch (type) {
    case "id":
      return columnType === "BIGINT";
    case "number":
    case "money":
      return columnType === "BIGINT" || columnType === "DOUBLE";
    case "boolean":
      return columnType === "BOOLEAN";
    case "time":
      return columnType === "TIMESTAMP" || columnType === "TIMESTAMP WITH TIME ZONE";
    case "text":
    case "date":
      return false;
    default:
      return assertNever(type);
  }
}

/** Per row, whether a time value is one DuckDB may read otherwise than the file reader (duckdb-columns.ts unsureTimeSql). */
function unsure(columns: readonly string[], types: ReadonlyMap<string, string>): string {
  return columns.length === 0 ? "FALSE" : columns.map((name) => unsureTimeSql(name, types.get(name))).join(" OR ");
}

/** Each local time column's epoch milliseconds as if in UTC (duckdb-columns.ts localMsSql), as more selected columns. */
function localMs(columns: readonly string[], types: ReadonlyMap<string, string>): string {
  return columns.map((name) => localMsSql(name, types.get(name))).filter((sql) => sql !== null).map((sql) => `, ${sql}`).join("");
}

/**
 * The raw query with each column read that is not typed trimmed once where its trimmed text is
 * read (`trimmed`), then whether it has a value, as columns of their own (duckdb-columns.ts
 * trimLayerSql, filledLayerSql).
 */
function withTrimmed(raw: string, columns: readonly string[], trimmed: readonly string[], types: ReadonlyMap<string, string>): string {
  const trim = new Set(trimmed);
  const names = [...new Set(columns)];
  const trims = names.flatMap((name) => (trim.has(name) ? (trimLayerSql(name, types.get(name)) ?? []) : []));
  const fills = names.flatMap((name) => filledLayerSql(name, types.get(name), trim.has(name)) ?? []);
  const inner = trims.length === 0 ? raw : `SELECT *, ${trims.join(", ")} FROM (${raw})`;
  return fills.length === 0 ? inner : `SELECT *, ${fills.join(", ")} FROM (${inner})`;
}

/** The raw query with each text time column's naive text added (duckdb-columns.ts localTextSql). */
function withLocalText(raw: string, columns: readonly string[], types: ReadonlyMap<string, string>): string {
  const added = columns.flatMap((name) => localTextSql(name, types.get(name)) ?? []);
  return added.length === 0 ? raw : `SELECT *, ${added.join(", ")} FROM (${raw})`;
}

/**
 * Rejected rows first (they are listed by line in the end), then every other lead in file order,
 * classified; returns how many times without an offset the leads used had.
 */
async function streamLeads(c: DuckDBConnection, plan: EvalPlan, sink: RowSink): Promise<number> {
  for await (const rows of (await c.stream(`SELECT ${ROW}, reason, lead_id FROM sp_rejected ORDER BY ${ROW}`)).yieldRowsJs()) {
    for (const [row, reason, leadId] of rows) sink.reject("leads", Number(row), String(reason), typeof leadId === "string" && leadId.trim() !== "" ? leadId : undefined);
  }
  const slots = slotsReadAfterClassifying(plan);
  const select = [ROW, NAIVE, "id", ...slots.map((s) => plan.fields[s]!.name)].map(ident);
  const definitions = plan.definitions.map((d) => ident(`def:${d.id}`));
  const sql = `SELECT ${[...select, ...definitions].join(", ")} FROM sp_leads WHERE ${ROW} NOT IN (SELECT ${ROW} FROM sp_rejected) ORDER BY ${ROW}`;
  const values: Value[] = new Array<Value>(plan.fields.length).fill(null);
  const defs: boolean[] = new Array<boolean>(plan.definitions.length).fill(false);
  let naive = 0;
  for await (const rows of (await c.stream(sql)).yieldRowsJs()) {
    for (const row of rows) {
      for (let i = 0; i < slots.length; i++) values[slots[i]!] = jsValue(row[3 + i]);
      for (let d = 0; d < plan.definitions.length; d++) defs[plan.definitions[d]!.index] = row[3 + slots.length + d] === true;
      if (sink.lead(Number(row[0]), String(row[2]), values, defs)) naive += Number(row[1] ?? 0);
    }
  }
  return naive;
}

/** The activities, each converted or rejected; returns how many used ones had a time without an offset. */
async function streamActivities(c: DuckDBConnection, sink: RowSink): Promise<number> {
  const width = ACTIVITY_SLOTS.size;
  const result = await c.stream(`DESCRIBE sp_activities`);
  const columns = (await result.getRowsJS()).map((r) => String(r[0])).filter((n) => n !== ROW);
  const sql = `SELECT ${ROW}, ${columns.map(ident).join(", ")} FROM sp_activities ORDER BY ${ROW}`;
  const naiveAt = 1 + columns.indexOf(NAIVE);
  if (naiveAt === 0) throw new Error("internal: the activities view lost its count of times without an offset");
  let naive = 0;
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
      if (sink.activity(Number(row[0]), values)) naive += Number(row[naiveAt] ?? 0);
    }
  }
  return naive;
}

/** DuckDB's JS values as the engine's: BIGINT epoch milliseconds as numbers. */
function jsValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return String(v);
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

import type { DuckDBConnection } from "@duckdb/node-api";
import { leadRuleNotInSql } from "../engine/lead-rules.js";
import { groupKey } from "../engine/groups.js";
import type { Value } from "../engine/ir.js";
import type { PeriodIndex, PeriodSlot } from "../engine/periods.js";
import { ACTIVITY_SLOTS, isLeadLevelSla, judgedFromOf, type EvalPlan, type FieldPlan, type LeadLevelSla, type SlaPlan } from "../engine/plan.js";
import type { JudgeSink, SourceEnd } from "../engine/source.js";
import { sqlCondition, type SqlScope } from "../engine/sql/expr.js";
import { ident, text } from "../engine/sql/dialect.js";
import { show } from "../engine/show.js";
import { assertNever } from "../lang/never.js";
import { LeadConverter, objectRecord, TimestampReader, whyNotTime } from "./convert.js";
import type { Zone } from "../engine/time.js";
import { duckDbApi } from "./duckdb-module.js";
import { leadRecordSchemaFromPlan } from "./lead-schema.js";

/** Row number (1 for the first row) carried through the views; `lines` turns it into a line. */
export const ROW = "sp_row";
/** Why a lead row is rejected ('' when it is not), per row of the source's leads view: read only for rows rejected. */
export const REASON = "sp_reason";
/** Whether a lead row is rejected, from its typed values and filled bits (no message made per row). */
const BAD = "sp_bad";
/** Whether a row has a time value DuckDB may read otherwise than the file reader (duckdb-columns.ts unsureTimeSql). */
export const UNSURE = "sp_unsure";
/** Lead time values without an offset, per row. */
export const NAIVE = "sp_naive";
/** Per 62 lead fields, a bit per field the row has a value in (W0103, W0106). */
export const filledColumn = (i: number): string => `sp_filled${i}`;
export const FILLED_BITS = 62;

/** Up to this many periods are found by a CASE on their ends; more by a range join. */
const PERIODS_BY_CASE = 100;

/** Most periods a result table is made for: beyond (a clock in year 1 of a daily SLA) the rows are judged in memory. */
const MAX_PERIODS = 50_000;
/** Rows in a DuckDB data chunk (its vector size; a chunk refuses more). */
const CHUNK_ROWS = 2048;
/** Sums of whole amounts up to this are exact in a double, in any order. */
const EXACT = 2 ** 53;

export interface JudgeInput {
  /** The file's lines of rows by their numbers (only rows not used are asked for); null: they cannot be told apart, judge in memory. */
  lines(kind: "leads" | "activities", rows: readonly number[]): Promise<Map<number, number> | null>;
  hasActivities: boolean;
  /** Gives the activities their row numbers, when they were read without (null: they have them). */
  numberActivities: (() => Promise<void>) | null;
  /**
   * Numbers the leads view's rows, when they were read without (null: they have them). Their
   * numbers in sp_all are then its rows' order, which is the file's: DuckDB keeps a scan's order
   * through projections into a table (preserve_insertion_order).
   */
  numberLeads: (() => Promise<void>) | null;
  /** Whether the file reader reads the leads when DuckDB cannot (a CSV whose structure it refuses): judge in memory then. */
  fileReaderTakesOver: boolean;
}

const defColumn = (id: string): string => ident(`def:${id}`);

/** DuckDB's JS values as the engine's: BIGINT epoch milliseconds as numbers. */
function jsValue(v: unknown): Value {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return v;
  return String(v);
}

async function rowsOf(c: DuckDBConnection, sql: string): Promise<unknown[][]> {
  return (await c.run(sql)).getRowsJS();
}

/** The one row of an aggregate query. */
async function one(c: DuckDBConnection, sql: string): Promise<unknown[]> {
  return (await rowsOf(c, sql))[0] ?? [];
}

/** The `by` fields' values as selected columns, and the group label made from them by groups.ts (one fact, one place). */
class Grouping {
  private readonly values: Value[];
  constructor(
    private readonly plan: EvalPlan,
    readonly by: readonly FieldPlan[],
  ) {
    this.values = new Array<Value>(plan.fields.length).fill(null);
  }
  get columns(): string[] {
    return this.by.map((f) => ident(f.name));
  }
  /** The label of the group whose values start at `row[from]`. */
  label(row: readonly unknown[], from: number): string {
    this.by.forEach((f, i) => (this.values[f.slot] = jsValue(row[from + i])));
    return groupKey(this.values, this.by);
  }
}

/**
 * The periods from the first time to as_of, made by the plan's own PeriodIndex, and how a time's
 * is found: the one period (no `per`, or none), a CASE on their ends, or a range join on a table.
 */
type Periods = { slots: PeriodSlot[]; lookup: "one" | "case" } | { slots: PeriodSlot[]; lookup: "join"; table: string };

/**
 * Everything the evaluator needs, computed in DuckDB over `sp_leads` (typed, classified, with
 * ROW, REASON, NAIVE and the filled bits carried through) and `sp_activities`: definition
 * counts, count and rate results per period and group, goal stages per period and group, and
 * for lead-level SLAs each judged lead's clock; its deadline is computed by the calendar code
 * (business days too), uploaded, and its first touch and touches in the window counted in SQL.
 * Only those per-lead tuples and rows not used cross into JavaScript. Null (nothing reported)
 * when this plan or input is better judged in memory.
 */
export async function judgeInDuckDb(c: DuckDBConnection, plan: EvalPlan, sink: JudgeSink, asOf: number, input: JudgeInput): Promise<SourceEnd | null> {
  const jf = judgedFromOf(plan, asOf);
  const needed = new Set<number>();
  for (const s of plan.slas) [s.clock, ...s.by].forEach((f) => needed.add(f.slot));
  for (const g of plan.goals) [g.revenueField, ...g.by, ...g.stages.flatMap((st) => (st.definition.since ? [st.definition.since] : []))].forEach((f) => needed.add(f.slot));
  const filledCount = Math.max(1, Math.ceil(plan.fields.length / FILLED_BITS));
  // Judged in memory: waivers (each lead matched against them, W0702's ids seen), `one of` on a
  // non-text field, and rules that read the lead's own fields while judging (lead.NAME, calendar by).
  if (plan.waivers.length > 0 || plan.fields.some((f) => f.oneOf !== undefined && f.type !== "text")) return null;
  if (plan.slas.some((s) => leadRuleNotInSql(s) !== null)) return null;
  const keep = [ROW, NAIVE, UNSURE, "id", ...[...needed].map((s) => plan.fields[s]!.name), ...Array.from({ length: filledCount }, (_, i) => filledColumn(i))].map(ident);
  const unnumbered = input.numberLeads !== null;
  try {
    // DuckDB turns IN lists into joins, which do not keep a scan's order: not while rows are numbered by it.
    if (unnumbered) await c.run("SET disabled_optimizers = 'in_clause'");
    await c.run(`CREATE TEMP TABLE sp_all AS SELECT ${[...keep, `${badSql(plan)} AS ${BAD}`, ...plan.definitions.map((d) => defColumn(d.id))].join(", ")} FROM sp_leads`);
  } catch (error) {
    // A CSV whose structure DuckDB refuses (a row with too many fields…): the file reader names each row.
    if (input.fileReaderTakesOver) return null;
    throw error;
  } finally {
    if (unnumbered) await c.run("RESET disabled_optimizers");
  }
  if (unnumbered) await c.run(`UPDATE sp_all SET ${ROW} = rowid + 1`);

  // Decide whether to judge here before anything reaches the sink. The figures of the rows
  // used are read in one scan, with those deciding it.
  const pre = new OneScan();
  const uses = periodUses(plan, jf);
  const firsts = uses.map((use) => (use.periods.unit === undefined || use.fields.length === 0 ? null : pre.add(`least(${use.fields.map((f) => `min(${ofUsed(ident(f.name))})`).join(", ")})`)));
  const revenue = plan.goals.map((g) => {
    const r = ident(g.revenueField.name);
    return { whole: pre.add(`COALESCE(bool_and(${ofUsed(`${r} = round(${r})`)}), TRUE)`), total: pre.add(`COALESCE(sum(${ofUsed(`abs(${r})`)}), 0)`) };
  });
  const [bad, usedRows, ids, naiveUsed] = [countIf(BAD), countIf(`NOT ${BAD}`), `count(DISTINCT ${ofUsed("id")})`, `COALESCE(sum(${ofUsed(NAIVE)}), 0)`].map((sql) => pre.add(sql));
  const filledWords = Array.from({ length: filledCount }, (_, i) => pre.add(`bit_or(${ofUsed(filledColumn(i))})`));
  const unsure = input.fileReaderTakesOver ? pre.add(`COALESCE(bool_or(${UNSURE} AND NOT ${BAD}), FALSE)`) : () => false;
  await pre.run(c, "sp_all");
  // A text file with a time used that DuckDB may read otherwise is the file reader's to judge.
  if (unsure() === true) return null;
  const periods = await periodTables(c, uses, firsts.map((f) => (f === null ? null : f())), asOf);
  if (periods === null) return null;
  if (revenue.some((r) => r.whole() !== true || Number(r.total()) >= EXACT)) return null;
  // A rejected row's values are read again from the view, by its number.
  if (Number(bad!()) > 0 && input.numberLeads) await input.numberLeads();
  const rejected = Number(bad!()) === 0 ? [] : await inFileReaderWords(c, plan, await rowsOf(c, `SELECT ${ROW}, '', id FROM sp_all WHERE ${BAD} ORDER BY ${ROW}`), input.fileReaderTakesOver);
  // A row the file reader takes (a time DuckDB's casts refuse: 60 seconds, "22:26Z") is its to judge.
  if (rejected.some((r) => r[1] === null) && input.fileReaderTakesOver) return null;
  const used = Number(usedRows!());
  const duplicates =
    used === Number(ids!())
      ? []
      : await rowsOf(c, `SELECT ${ROW}, id, first, ${NAIVE} FROM (SELECT ${ROW}, id, ${NAIVE}, min(${ROW}) OVER (PARTITION BY id) AS first FROM sp_all WHERE NOT ${BAD}) WHERE ${ROW} <> first ORDER BY ${ROW}`);
  // Rows rejected and duplicates leave before the rest is counted: sp_all then holds the leads
  // used. The fields filled count the duplicates, as the file reader's do; the times without an
  // offset do not (the leads used only, docs/snapshots.md).
  const naiveNotDuplicate = naiveUsed!();
  const filled = filledWords.map((w) => w());
  const naive = Number(naiveNotDuplicate) - duplicates.reduce((sum, d) => sum + Number(d[3] ?? 0), 0);
  await c.run(`DELETE FROM sp_all WHERE ${BAD}${duplicates.length ? ` OR ${ROW} IN (${duplicates.map((d) => Number(d[0])).join(",")})` : ""}`);
  const acts = input.hasActivities ? await activityFigures(c, input, asOf, touchFilters(plan), plan.zone) : { rejects: [], unmatched: [], used: 0, after: 0, naive: 0 };
  if (acts === null) return null;
  const { rejects: actRejects, unmatched } = acts;
  const leadLines = await input.lines("leads", [...rejected.map((r) => Number(r[0])), ...duplicates.flatMap((d) => [Number(d[0]), Number(d[2])])]);
  const actLines = await input.lines("activities", [...actRejects.map((r) => Number(r[0])), ...unmatched.map((r) => Number(r[0]))]);
  if (leadLines === null || actLines === null) return null;

  const lineOf = (lines: Map<number, number>, row: unknown): number => lines.get(Number(row)) ?? Number(row);
  for (const [row, reason, id] of rejected) sink.reject("leads", lineOf(leadLines, row), String(reason), typeof id === "string" && id.trim() !== "" ? id : undefined);
  for (const [row, id, first] of duplicates) sink.duplicate(lineOf(leadLines, row), String(id), lineOf(leadLines, first));
  sink.used("leads", Number(used) - duplicates.length);
  for (const [row, leadId, at] of actRejects) sink.reject("activities", lineOf(actLines, row), activityReason(leadId, at));
  for (const [row, leadId] of unmatched) sink.unmatchedActivity(lineOf(actLines, row), String(leadId));
  if (input.hasActivities) {
    // Activities of leads used: read and used; those after as_of counted apart, as addActivity does.
    sink.used("activities", acts.used);
    sink.target.activitiesAfterAsOf += acts.after;
  }

  const tracked = await slaFigures(c, plan, sink, asOf, jf, periods);
  // Without an activities file there is no sp_acts to join, and no touch to count.
  if (input.hasActivities) for (const { group, table } of tracked) await countTouches(c, sink, group, table, touchFilters(plan), asOf);
  await goalFigures(c, plan, sink, asOf, jf, periods);
  const emptySlots = plan.fields.filter((f) => (BigInt((filled[Math.floor(f.slot / FILLED_BITS)] as bigint | null) ?? 0n) & (1n << BigInt(f.slot % FILLED_BITS))) === 0n).map((f) => f.slot);
  return { naiveTimestamps: naive + acts.naive, emptySlots: Number(used) === 0 ? plan.fields.map((f) => f.slot) : emptySlots };
}

/** The row checks of the source's reason (duckdb-source.ts), from the typed values: a value given that did not convert, or not one of its list. */
function badSql(plan: EvalPlan): string {
  const checks = [`id IS NULL OR id = ''`];
  for (const f of plan.fields) {
    const typed = ident(f.name);
    const bit = 2 ** (f.slot % FILLED_BITS);
    const filled = `(${filledColumn(Math.floor(f.slot / FILLED_BITS))} & ${bit}) <> 0`;
    if (f.type !== "text") checks.push(`(${filled} AND ${typed} IS NULL)`);
    // Filled: not blank once trimmed as the file reader trims (the source's filled bit, computed once).
    else if (f.oneOf && f.oneOf.length > 0) checks.push(`(${filled} AND ${typed} IS NOT NULL AND ${typed} NOT IN (${f.oneOf.map(text).join(", ")}))`);
  }
  return `(${checks.join(" OR ")})`;
}

/**
 * The rejected lead rows' reasons in the file reader's words: their values as written (read
 * again from the source: they are few) through its LeadConverter. A row it would take keeps
 * the SQL check's reason.
 */
async function inFileReaderWords(c: DuckDBConnection, plan: EvalPlan, rejected: unknown[][], fileReaderTakesOver: boolean): Promise<unknown[][]> {
  if (rejected.length === 0) return rejected;
  const converter = new LeadConverter({ fields: plan.fields, schema: leadRecordSchemaFromPlan(plan), zone: plan.zone });
  const columns = [...new Set(plan.fields.map((f) => f.column))];
  const raw = await rowsOf(
    c,
    `SELECT ${[ROW, "id", ...columns].map((n) => `CAST(${ident(n)} AS VARCHAR)`).join(", ")}, ${REASON} FROM sp_src_leads WHERE ${ROW} IN (SELECT ${ROW} FROM sp_all WHERE ${BAD}) ORDER BY ${ROW}`,
  );
  return rejected.map((row, i) => {
    const values = raw[i] ?? [];
    const sqlReason = values[2 + columns.length];
    const record: Record<string, unknown> = { id: values[1] };
    columns.forEach((name, k) => (record[name] = values[2 + k]));
    const converted = converter.convert(objectRecord(record));
    // A row the file reader takes has no reason of its: null (the SQL check's with --engine duckdb on Parquet).
    return converted.ok ? [row[0], fileReaderTakesOver ? null : sqlReason, row[2]] : [row[0], converted.reason, row[2]];
  });
}

/** An activity row the engine can use: a lead id and a time (the file reader's checks, convert.ts). */
const activityOk = (a: string): string => `${a}lead_id IS NOT NULL AND ${a}lead_id <> '' AND ${a}${ident("at")} IS NOT NULL`;

/** Each lead-level SLA's touch filter as SQL over the activities (alias a), or TRUE: the i-th distinct one is sp_acts' column touchFilterColumn(i). */
function touchFilters(plan: EvalPlan): string[] {
  return [...new Set(plan.slas.filter(isLeadLevelSla).map(touchFilterSql))];
}
function touchFilterSql(sla: LeadLevelSla): string {
  const scope: SqlScope = { column: (col) => ({ sql: `a.${ident(col.name)}`, isText: col.name !== "at" }), definition: () => "FALSE" };
  return sla.touchFilter ? `COALESCE(${sqlCondition(sla.touchFilter.ir, scope)}, FALSE)` : "TRUE";
}
const touchFilterColumn = (i: number): string => `sp_touch${i}`;

/**
 * The activities, materialised once and narrow (sp_acts: each row's lead as its row number in
 * sp_all, found by one join on the id, its time, whether it is usable, and one boolean per
 * touch filter), and their figures: the rows rejected and unmatched (listed from the view
 * again: they are few), those used, after as_of, and naive. The touches are then joined on
 * row numbers, not ids, and no activity's id or type is written.
 */
async function activityFigures(c: DuckDBConnection, input: JudgeInput, asOf: number, filters: readonly string[], zone: Zone) {
  const touch = filters.map((f, i) => `, ${f} AS ${touchFilterColumn(i)}`).join("");
  // The hash table is built on the leads used, as written: DuckDB would otherwise build it on a
  // CSV's activities (read with no sniffing, it estimates them at a few dozen rows), 3 million
  // rows, not 1 million, and some 100 MB more at 1M leads.
  await c.run("SET disabled_optimizers = 'build_side_probe_side'");
  await c.run(
    `CREATE OR REPLACE TEMP TABLE sp_acts AS SELECT u.${ROW} AS lead_row, a.${ident("at")} AS ${ident("at")}, a.${NAIVE} AS ${NAIVE}, a.${UNSURE} AS ${UNSURE}, (${activityOk("a.")}) AS ok${touch} FROM sp_activities a LEFT JOIN sp_all u ON u.id = a.lead_id`,
  );
  await c.run("RESET disabled_optimizers");
  const [bad, notMatched, used, after, naive, unsure] = (
    await one(
      c,
      `SELECT ${countIf("NOT ok")}, ${countIf("ok AND lead_row IS NULL")}, ${countIf("ok AND lead_row IS NOT NULL")},
       ${countIf(`ok AND lead_row IS NOT NULL AND ${ident("at")} > ${asOf}`)}, COALESCE(sum(CASE WHEN ok AND lead_row IS NOT NULL THEN ${NAIVE} END), 0), ${countIf(`${UNSURE} AND ok`)} FROM sp_acts`,
    )
  ).map(Number);
  // A text file with a time DuckDB took but may read otherwise is the file reader's to judge.
  if (unsure! > 0 && input.fileReaderTakesOver) return null;
  // Rows not used are named by their lines: read again, numbered.
  if (bad! + notMatched! > 0 && input.numberActivities) await input.numberActivities();
  const rejects = bad! > 0 ? await rowsOf(c, `SELECT ${ROW}, CAST(lead_id AS VARCHAR), CAST(${ident("at")} AS VARCHAR) FROM sp_src_activities WHERE ${ROW} IN (SELECT ${ROW} FROM sp_activities WHERE NOT (${activityOk("")})) ORDER BY ${ROW}`) : [];
  // One the file reader takes (a time DuckDB's casts refuse: 60 seconds, "22:26Z") is its to judge.
  if (input.fileReaderTakesOver && rejects.some(([, leadId, at]) => activityReason(leadId, at).startsWith("'at'") && new TimestampReader(zone).read(String(at)) !== undefined)) return null;
  const unmatched = notMatched! > 0 ? await rowsOf(c, `SELECT ${ROW}, lead_id FROM sp_activities WHERE ${activityOk("")} AND lead_id NOT IN (SELECT id FROM sp_all) ORDER BY ${ROW}`) : [];
  return { rejects, unmatched, used: used!, after: after!, naive: naive! };
}

/** The file reader's reasons for an activity row (ActivityConverter). */
function activityReason(leadId: unknown, at: unknown): string {
  if (leadId === null || String(leadId).trim() === "") return "no lead_id";
  if (at === null || String(at).trim() === "") return "no time in the 'at' column";
  return `'at' '${show(String(at))}' ${whyNotTime(String(at), "is not a date/time (use ISO 8601, e.g. 2026-11-02T09:15:00Z)")}`;
}

/** Each SLA and goal with its periods, the fields whose times fall in them, and the earliest time judged. */
function periodUses(plan: EvalPlan, jf: number): Array<{ periods: PeriodIndex; fields: FieldPlan[]; from: number }> {
  return [
    ...plan.slas.map((s) => ({ periods: s.periods, fields: [s.clock], from: jf })),
    ...plan.goals.map((g) => ({ periods: g.periods, fields: g.stages.flatMap((st) => (st.definition.since ? [st.definition.since] : [])), from: -Infinity })),
  ];
}

/**
 * The periods of each SLA and goal with a `per`, from its earliest time (`firsts`, per use) to
 * as_of, by the plan's PeriodIndex: SQL then only looks periods up, by a CASE or, when there are
 * many, in an uploaded table. Null when one would be too long.
 */
async function periodTables(c: DuckDBConnection, uses: ReturnType<typeof periodUses>, firsts: readonly unknown[], asOf: number): Promise<Map<PeriodIndex, Periods> | null> {
  const tables = new Map<PeriodIndex, Periods>();
  for (const [n, use] of uses.entries()) {
    if (use.periods.unit === undefined || use.fields.length === 0) {
      tables.set(use.periods, { slots: use.periods.range(0, 0), lookup: "one" });
      continue;
    }
    const first = firsts[n];
    const from = Math.max(first === null || first === undefined ? asOf : Number(first), use.from);
    if (from > asOf) {
      tables.set(use.periods, { slots: [], lookup: "one" });
      continue;
    }
    // A quick bound before listing: a day is the shortest period.
    if ((asOf - from) / 86_400_000 > MAX_PERIODS) return null;
    const slots = use.periods.range(from, asOf);
    if (slots.length <= PERIODS_BY_CASE) {
      tables.set(use.periods, { slots, lookup: "case" });
      continue;
    }
    const table = ident(`sp_periods:${n}`);
    await c.run(`CREATE TEMP TABLE ${table} (idx INTEGER, s DOUBLE, e DOUBLE)`);
    for (let i = 0; i < slots.length; i += 1000) {
      await c.run(`INSERT INTO ${table} VALUES ${slots.slice(i, i + 1000).map((p, k) => `(${i + k}, ${p.start}, ${p.end})`).join(", ")}`);
    }
    tables.set(use.periods, { slots, lookup: "join", table });
  }
  return tables;
}

/**
 * The rows where `condition` holds, as an aggregate: as count(*) FILTER (WHERE …), at half its
 * cost in DuckDB 1.5 (13 counts over 1M leads: 36 → 16 ms).
 */
const countIf = (condition: string): string => `COALESCE(sum(CASE WHEN ${condition} THEN 1 ELSE 0 END), 0)`;
/** A value of a lead used (NULL for a row rejected), for an aggregate over sp_all before the rejected rows leave. */
const ofUsed = (value: string): string => `CASE WHEN NOT ${BAD} THEN ${value} END`;

/** Aggregates over one table gathered into one query: one scan, not one per figure. Each add gives a getter, read after run. */
class OneScan {
  private readonly sql: string[] = [];
  private readonly index = new Map<string, number>();
  private row: unknown[] = [];
  add(sql: string): () => unknown {
    let i = this.index.get(sql);
    if (i === undefined) {
      i = this.sql.length;
      this.sql.push(sql);
      this.index.set(sql, i);
    }
    const at = i;
    return () => this.row[at];
  }
  async run(c: DuckDBConnection, from: string): Promise<void> {
    if (this.sql.length > 0) this.row = await one(c, `SELECT ${this.sql.join(", ")} FROM ${from}`);
  }
}

/**
 * The period of column `at` (never before the first period's start), or the one period when
 * there is no `per`: periods are consecutive, so the first whose end is after `at`.
 */
function periodJoin(periods: Periods, at: string): { join: string; idx: string } {
  switch (periods.lookup) {
    case "one":
      return { join: "", idx: "0" };
    case "case":
      return { join: "", idx: `CASE ${periods.slots.map((p, i) => `WHEN ${at} < ${p.end} THEN ${i}`).join(" ")} END` };
    case "join":
      return { join: ` JOIN ${periods.table} p ON ${at} >= p.s AND ${at} < p.e`, idx: "p.idx" };
    default:
      return assertNever(periods);
  }
}

async function slaFigures(c: DuckDBConnection, plan: EvalPlan, sink: JudgeSink, asOf: number, jf: number, periods: Map<PeriodIndex, Periods>): Promise<Array<{ group: Judged[]; table: string }>> {
  const t = sink.target;
  const judged = plan.slas.flatMap((sla, s): Judged[] => (isLeadLevelSla(sla) ? [{ s, sla, grouping: new Grouping(plan, sla.by), where: judgedWhere(sla, jf, asOf) }] : []));
  // SLAs that judge the same leads (a first touch SLA and a cap on touches, often) read them once.
  const byWhere = new Map<string, Judged[]>();
  for (const j of judged) byWhere.set(j.where, [...(byWhere.get(j.where) ?? []), j]);
  const tracked: Array<{ group: Judged[]; table: string }> = [];
  for (const [n, group] of [...byWhere.values()].entries()) tracked.push({ group, table: await trackLeads(c, sink, group, n) });
  // The definition counts and each SLA's leads before the effective date, after as_of and (with
  // no `by`) without a clock: one scan of the leads used.
  const post = new OneScan();
  const defs = plan.definitions.map((d) => post.add(countIf(defColumn(d.id))));
  const counts = plan.slas.map((sla) => {
    const pop = defColumn(sla.population.id);
    const clock = `${ident(sla.clock.name)}`;
    const inForce = Number.isFinite(jf) ? ` AND ${clock} >= ${jf}` : "";
    return {
      before: post.add(countIf(`${pop} AND ${Number.isFinite(jf) ? `${clock} < ${jf}` : "FALSE"}`)),
      after: post.add(countIf(`${pop} AND ${clock} > ${asOf}${inForce}`)),
      noClock: sla.by.length === 0 ? post.add(countIf(`${pop} AND ${clock} IS NULL`)) : null,
    };
  });
  await post.run(c, "sp_all");
  plan.definitions.forEach((d, i) => t.addDefinitionCount(d.index, Number(defs[i]!())));
  for (const [s, sla] of plan.slas.entries()) {
    const grouping = new Grouping(plan, sla.by);
    const by = grouping.columns;
    const pop = defColumn(sla.population.id);
    const clock = `u.${ident(sla.clock.name)}`;
    const { before, after, noClock } = counts[s]!;
    t.leadsBeforeEffective += Number(before());
    t.leadClocksAfterAsOf += Number(after());
    // A count SLA by fields names every group of the leads used, with or without a clock: one scan gives both.
    const named = sla.kind === "count" && by.length > 0;
    const noClocks = noClock
      ? [[noClock()]]
      : await rowsOf(c, `SELECT ${named ? countIf(`${pop} AND ${clock} IS NULL`) : "count(*)"}${by.map((b) => `, ${b}`).join("")} FROM sp_all u${named ? "" : ` WHERE ${pop} AND ${clock} IS NULL`} GROUP BY ALL`);
    for (const row of noClocks) {
      if (named) t.addNamedGroup(s, grouping.label(row, 1));
      if (Number(row[0]) > 0) t.addNoClock(s, grouping.label(row, 1), Number(row[0]));
    }
    if (isLeadLevelSla(sla)) continue;
    const where = judgedWhere(sla, jf, asOf);
    const table = periods.get(sla.periods)!;
    const { join, idx } = periodJoin(table, clock);
    const hits = sla.kind === "rate" ? countIf(defColumn(sla.rateOf.id)) : "0";
    if (table.slots.length === 0) continue;
    for (const row of await rowsOf(c, `SELECT ${idx} AS idx, count(*), ${hits}${by.map((b) => `, ${b}`).join("")} FROM sp_all u${join} WHERE ${where} GROUP BY ALL`)) {
      // Without a `by`, an aggregate over no rows still gives one row, of zeros.
      if (Number(row[1]) === 0) continue;
      t.addCounted(s, table.slots[Number(row[0])]!.start, grouping.label(row, 3), Number(row[1]), Number(row[2]));
    }
  }
  return tracked;
}

/** The leads an SLA judges, from sp_all (alias u): its population with a clock, in force, not after as_of. */
function judgedWhere(sla: SlaPlan, jf: number, asOf: number): string {
  const clock = `u.${ident(sla.clock.name)}`;
  return `${defColumn(sla.population.id)} AND ${clock} IS NOT NULL${Number.isFinite(jf) ? ` AND ${clock} >= ${jf}` : ""} AND ${clock} <= ${asOf}`;
}

/** A lead-level SLA, waiting for its judged leads: those `where` selects from sp_all (alias u). */
interface Judged {
  s: number;
  sla: LeadLevelSla;
  grouping: Grouping;
  where: string;
}

const deadlineColumn = (k: number): string => `d${k}`;

/**
 * Lead-level SLAs' judged leads (the same for every SLA of `group`), streamed in row order a
 * chunk at a time and read by column (numbers from typed vectors, no row arrays): each added to
 * the evaluator, which numbers its entries and computes its deadline by the calendar code. The
 * entries are uploaded with their lead's row, clock and each SLA's deadline, for the touches.
 * Returns the table's name.
 */
async function trackLeads(c: DuckDBConnection, sink: JudgeSink, group: readonly Judged[], n: number): Promise<string> {
  const t = sink.target;
  const { JSDuckDBValueConverter } = duckDbApi();
  const byNames = [...new Set(group.flatMap((j) => j.grouping.columns))];
  const byAt = group.map((j) => j.grouping.columns.map((col) => byNames.indexOf(col)));
  const labelRows = group.map((j) => new Array<unknown>(j.grouping.by.length));
  const clock = `u.${ident(group[0]!.sla.clock.name)}`;
  const result = await c.stream(`SELECT CAST(${ROW} AS DOUBLE), id, CAST(${clock} AS DOUBLE)${byNames.map((b) => `, ${b}`).join("")} FROM sp_all u WHERE ${group[0]!.where} ORDER BY ${ROW}`);
  const leads: number[] = [];
  const clocks: number[] = [];
  const deadlines: number[][] = group.map(() => []);
  for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    const [rowOf, idOf, clockOf] = [0, 1, 2].map((k) => chunk!.getColumnVector(k));
    const by = byNames.map((_, k) => chunk!.convertColumnValues(3 + k, JSDuckDBValueConverter));
    for (let i = 0, rows = chunk.rowCount; i < rows; i++) {
      const lead = rowOf!.getItem(i) as number;
      const at = clockOf!.getItem(i) as number;
      sink.name(lead, idOf!.getItem(i) as string);
      leads.push(lead);
      clocks.push(at);
      for (let g = 0; g < group.length; g++) {
        const values = labelRows[g]!;
        byAt[g]!.forEach((col, k) => (values[k] = by[col]![i]));
        const entry = t.addTracked(group[g]!.s, lead, at, group[g]!.grouping.label(values, 0));
        if (entry !== leads.length - 1) throw new Error("internal: tracked entries are not numbered in row order");
        deadlines[g]!.push(t.deadlineOfEntry(group[g]!.s, entry));
      }
    }
  }
  const table = `sp_tracked:${n}`;
  await c.run(`CREATE TEMP TABLE ${ident(table)} (entry INTEGER, lead_row BIGINT, clock DOUBLE${group.map((_, g) => `, ${deadlineColumn(g)} DOUBLE`).join("")})`);
  await upload(c, table, leads.length, [(e) => e, (e) => BigInt(leads[e]!), (e) => clocks[e]!, ...deadlines.map((d) => (e: number) => d[e]!)]);
  return ident(table);
}

/**
 * Rows into a table whose columns are INTEGER, BIGINT, then DOUBLE, a data chunk at a time
 * (per value, the appender's calls into DuckDB cost more than the values: 40 ms for 100K rows).
 */
async function upload(c: DuckDBConnection, table: string, count: number, columns: ReadonlyArray<(row: number) => number | bigint>): Promise<void> {
  const { DuckDBDataChunk, INTEGER, BIGINT, DOUBLE } = duckDbApi();
  const appender = await c.createAppender(table, null, "temp");
  for (let from = 0; from < count; from += CHUNK_ROWS) {
    const rows = Math.min(CHUNK_ROWS, count - from);
    const chunk = DuckDBDataChunk.create(columns.map((_, k) => (k === 0 ? INTEGER : k === 1 ? BIGINT : DOUBLE)), rows);
    columns.forEach((value, k) => {
      const vector = chunk.getColumnVector(k);
      for (let i = 0; i < rows; i++) vector.setItem(i, value(from + i));
      vector.flush();
    });
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}

/**
 * The touches of tracked leads: one join of the activities per touch filter among the SLAs of
 * `group` (which judge the same leads), on the lead's row number; each SLA's touches in its
 * window counted against its own deadline.
 */
async function countTouches(c: DuckDBConnection, sink: JudgeSink, group: readonly Judged[], table: string, filters: readonly string[], asOf: number): Promise<void> {
  const byFilter = new Map<number, number[]>();
  group.forEach((j, g) => {
    const f = filters.indexOf(touchFilterSql(j.sla));
    byFilter.set(f, [...(byFilter.get(f) ?? []), g]);
  });
  const at = `a.${ident("at")}`;
  for (const [f, members] of byFilter) {
    const counts = members.map((g) => `CAST(${countIf(`${at} <= d.${deadlineColumn(g)}`)} AS DOUBLE)`).join(", ");
    // Streamed a chunk at a time: one row per touched lead, millions at 10M leads.
    const result = await c.stream(
      `SELECT d.entry, CAST(min(${at}) AS DOUBLE), ${counts} FROM ${table} d JOIN sp_acts a ON a.lead_row = d.lead_row WHERE ${at} >= d.clock AND ${at} <= ${asOf} AND a.${touchFilterColumn(f)} GROUP BY d.entry`,
    );
    for (let chunk = await result.fetchChunk(); chunk !== null && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const columns = Array.from({ length: 2 + members.length }, (_, k) => chunk!.getColumnVector(k));
      for (let i = 0, rows = chunk.rowCount; i < rows; i++) {
        const entry = columns[0]!.getItem(i) as number;
        const first = columns[1]!.getItem(i) as number;
        members.forEach((g, k) => sink.target.setTouches(group[g]!.s, entry, first, columns[2 + k]!.getItem(i) as number));
      }
    }
  }
}

async function goalFigures(c: DuckDBConnection, plan: EvalPlan, sink: JudgeSink, asOf: number, jf: number, periods: Map<PeriodIndex, Periods>): Promise<void> {
  for (const [g, goal] of plan.goals.entries()) {
    const grouping = new Grouping(plan, goal.by);
    const by = grouping.columns;
    const table = periods.get(goal.periods)!;
    const last = goal.stages.length - 1;
    for (const [i, stage] of goal.stages.entries()) {
      if (!stage.definition.since) continue;
      const at = `u.${ident(stage.definition.since.name)}`;
      const { join, idx } = periodJoin(table, at);
      const revenue = i === last ? `COALESCE(sum(u.${ident(goal.revenueField.name)}), 0)` : "0";
      const judged = Number.isFinite(jf) ? `${at} >= ${jf}` : "TRUE";
      const sql = `SELECT ${idx} AS idx, ${judged} AS judged, count(*), ${revenue}${by.map((b) => `, ${b}`).join("")} FROM sp_all u${join} WHERE ${defColumn(stage.definition.id)} AND ${at} IS NOT NULL AND ${at} <= ${asOf} GROUP BY ALL`;
      if (table.slots.length === 0) continue;
      for (const row of await rowsOf(c, sql)) {
        if (Number(row[2]) === 0) continue;
        sink.target.addGoalCounts(g, i, table.slots[Number(row[0])]!.start, grouping.label(row, 4), row[1] === true, Number(row[2]), Number(row[3]));
      }
    }
  }
}

/** The ACTIVITY_SLOTS names, for a source's activities view. */
export const activityColumnNames = [...ACTIVITY_SLOTS.keys()];
export { text as sqlText };

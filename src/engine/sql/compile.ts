import type { FieldPlan } from "../plan.js";
import { leadRuleNotInSql } from "../lead-rules.js";
import { ACTIVITY_COLUMNS, activitySlotsRead, isLeadLevelSla, judgedFromOf, type EvalPlan, type LeadLevelSla, type SlaPlan } from "../plan.js";
import { assertNever } from "../../lang/never.js";
import type { BusinessCalendar } from "../calendar.js";
import { epochMs, ident, localEpochMs, naiveText, periodLabel, setZone, tableName, text, tryCast, type Dialect } from "./dialect.js";
import { sqlCondition, type SqlScope } from "./expr.js";

export interface SqlOptions {
  dialect: Dialect;
  /** as_of, epoch milliseconds: activities after it have not happened; windows open at it are pending. */
  asOf: number;
  leadsTable: string;
  activitiesTable: string;
  /** Local days (days since 1970-01-01) whose open hours business-hour deadlines may use. */
  calendarDays: { from: number; to: number };
  /**
   * "try": a value that does not convert becomes NULL instead of failing the query; the
   * engine rejects such rows before (duckdb-source.ts, table-source.ts). Default "cast".
   */
  cast?: "cast" | "try";
  /** Source columns carried through the leads and activities views as they are (a row number). */
  passThrough?: readonly string[];
  /**
   * A time column (named as the source names it) as epoch milliseconds, where the source has a
   * faster form of the same rule (duckdb-source.ts, from its column types); undefined: the portable form.
   */
  timeColumn?: (column: string, relation: "leads" | "activities") => string | undefined;
  /**
   * A lead field's column as the value its type is cast from, where the source must first read
   * it as the file reader does (trimmed; blank text as no value: duckdb-source.ts); undefined:
   * the column as it is.
   */
  castFrom?: (field: FieldPlan) => string | undefined;
}

/** One SLA's queries: its results per period and group, and its leads without a clock per group. */
export interface SlaQueries {
  id: string;
  kind: SlaPlan["kind"];
  results: string;
  noClock: string;
}

/** An SLA the SQL form does not cover yet, and why; the in-memory engine judges it. */
export interface NotCompiled {
  id: string;
  reason: string;
}

export interface CompiledSql {
  /** Run in order before the queries: time zone, typed views, calendar tables. */
  setup: string[];
  /** Lead counts per definition, one column each (absent with no definitions). */
  definitions: string | null;
  slas: SlaQueries[];
  notCompiled: NotCompiled[];
}

const LEADS = "sp_leads";
const ACTIVITIES = "sp_activities";
const defColumn = (id: string): string => ident(`def:${id}`);
const calendarTable = (id: string): string => ident(`sp_calendar:${id}`);

/**
 * Compiles a plan to SQL that DuckDB and PostgreSQL both run: a typed view of the leads with
 * one boolean column per definition (one CTE each, in evaluation order), a typed view of the
 * activities, and per SLA a query of its results per period and group. Times are epoch
 * milliseconds throughout, as in the in-memory engine, so literals and deadlines compare the
 * same way. Policy values enter only as quoted literals (dialect.ts `text`), identifiers only
 * quoted.
 */
export function compileSql(plan: EvalPlan, options: SqlOptions): CompiledSql {
  const { dialect } = options;
  const setup = [setZone(dialect, plan.zone.name), leadsView(plan, options), activitiesView(plan, options)];
  const calendars = new Map<string, BusinessCalendar>();
  const notCompiled: NotCompiled[] = [];
  const slas: SlaQueries[] = [];
  for (const sla of plan.slas) {
    const leadRule = leadRuleNotInSql(sla);
    if (leadRule !== null) {
      notCompiled.push({ id: sla.id, reason: leadRule });
      continue;
    }
    // A waived lead would be judged met or breached in SQL: said, not mis-counted (SPEC §8.4).
    if (isLeadLevelSla(sla) && sla.waivers.length > 0) {
      notCompiled.push({ id: sla.id, reason: `waivers (${sla.waivers.map((w) => w.id).join(", ")}) are not compiled to SQL; eval judges them` });
      continue;
    }
    if (isLeadLevelSla(sla) && sla.window.business) {
      if (sla.window.unit === "days") {
        notCompiled.push({ id: sla.id, reason: "business days are not compiled to SQL yet (business hours and minutes are)" });
        continue;
      }
      calendars.set(sla.window.calendar.id, sla.window.calendar);
    }
    slas.push({ id: sla.id, kind: sla.kind, results: slaQuery(plan, sla, options), noClock: noClockQuery(plan, sla) });
  }
  for (const calendar of calendars.values()) setup.push(...calendarTableSql(calendar, options.calendarDays));
  const definitions =
    plan.definitions.length === 0 ? null : `SELECT ${plan.definitions.map((d) => `count(*) FILTER (WHERE ${defColumn(d.id)}) AS ${ident(d.id)}`).join(",\n       ")}\nFROM ${LEADS};`;
  return { setup, definitions, slas, notCompiled };
}

/** A field's column read as the field's type, under the field's own name. */
function typedColumn(options: SqlOptions, field: FieldPlan): string {
  const dialect = options.dialect;
  const raw = ident(field.column);
  const from = options.castFrom?.(field) ?? raw;
  const cast = (type: string): string => (options.cast === "try" ? tryCast(dialect, from, type) : `CAST(${from} AS ${type})`);
  switch (field.type) {
    case "text":
      return `${cast("VARCHAR")} AS ${ident(field.name)}`;
    case "number":
    case "money":
      return `${cast("DOUBLE PRECISION")} AS ${ident(field.name)}`;
    case "boolean":
      return `${cast("BOOLEAN")} AS ${ident(field.name)}`;
    case "time":
      return `${options.timeColumn?.(field.column, "leads") ?? timeEpochMs(options, raw)} AS ${ident(field.name)}`;
    case "date":
      // Local midnight in the session's zone, which setup sets to the agreement's.
      return `${epochMs(dialect, `CAST(${cast("DATE")} AS TIMESTAMPTZ)`)} AS ${ident(field.name)}`;
    default:
      return assertNever(field.type);
  }
}

/**
 * A time column as epoch milliseconds: text without an offset, and a TIMESTAMP without zone
 * (whose text has none), by the file reader's rule for local times (dialect.ts localEpochMs);
 * anything else as a timestamp with time zone.
 */
export function timeEpochMs(options: SqlOptions, raw: string): string {
  const { dialect } = options;
  const cast = (value: string, type: string): string => (options.cast === "try" ? tryCast(dialect, value, type) : `CAST(${value} AS ${type})`);
  const asText = `CAST(${raw} AS VARCHAR)`;
  return `CASE WHEN ${naiveText(dialect, asText)} THEN ${localEpochMs(dialect, cast(`trim(${asText})`, "TIMESTAMP"))} ELSE ${epochMs(dialect, cast(raw, "TIMESTAMPTZ"))} END`;
}

function leadsView(plan: EvalPlan, options: SqlOptions): string {
  return `CREATE TEMP VIEW ${LEADS} AS\n${leadsRelation(plan, options)};`;
}

/**
 * The typed leads with a boolean column per definition, as one query (no view): what a
 * read-only transaction can run as a CTE (postgres-source.ts).
 */
export function leadsRelation(plan: EvalPlan, options: SqlOptions): string {
  const columns = [
    ...(options.passThrough ?? []).map(ident),
    `CAST(${ident("id")} AS VARCHAR) AS ${ident("id")}`,
    ...plan.fields.map((f) => typedColumn(options, f)),
  ];
  const scope: SqlScope = {
    column: (c) => {
      const field = plan.fields[c.slot]!;
      return { sql: ident(field.name), isText: field.type === "text" };
    },
    definition: (id) => defColumn(id),
  };
  const ctes = [`typed AS (\n  SELECT ${columns.join(",\n         ")}\n  FROM ${tableName(options.leadsTable)}\n)`];
  let previous = "typed";
  for (const d of plan.definitions) {
    const comment = `-- lead ${d.id}${d.title ? `: ${d.title.replace(/[\r\n]+/g, " ")}` : ""}`;
    ctes.push(`${comment}\n${defColumn(d.id)} AS (\n  SELECT *, ${sqlCondition(d.ir, scope)} AS ${defColumn(d.id)}\n  FROM ${previous === "typed" ? "typed" : defColumn(previous)}\n)`);
    previous = d.id;
  }
  const last = previous === "typed" ? "typed" : defColumn(previous);
  return `WITH ${ctes.join(",\n")}\nSELECT * FROM ${last}`;
}

function activitiesView(plan: EvalPlan, options: SqlOptions): string {
  return `CREATE TEMP VIEW ${ACTIVITIES} AS\n${activitiesRelation(plan, options)};`;
}

/** The activity columns a run reads, typed, as one query (no view). */
export function activitiesRelation(plan: EvalPlan, options: SqlOptions): string {
  const read = activitySlotsRead(plan).map((slot) => {
    // Each column as the `activity fields` block names it (SPEC §8.2), as its field's name.
    const { name, column } = plan.activityFields[slot] ?? { name: ACTIVITY_COLUMNS[slot]!, column: ACTIVITY_COLUMNS[slot]! };
    return name === "at" ? `${options.timeColumn?.(column, "activities") ?? timeEpochMs(options, ident(column))} AS ${ident(name)}` : `CAST(${ident(column)} AS VARCHAR) AS ${ident(name)}`;
  });
  const columns = [...(options.passThrough ?? []).map(ident), ...read];
  return `SELECT ${columns.join(", ")}\nFROM ${tableName(options.activitiesTable)}`;
}

/** The `by` label as groups.ts spells it: values joined with " / ", "(none)" for an empty one, yes/no for booleans. */
function groupLabel(by: readonly FieldPlan[]): string {
  if (by.length === 0) return "'all'";
  return by
    .map((f) => {
      const c = ident(f.name);
      switch (f.type) {
        case "text":
          return `COALESCE(NULLIF(${c}, ''), '(none)')`;
        case "boolean":
          return `CASE WHEN ${c} IS NULL THEN '(none)' WHEN ${c} THEN 'yes' ELSE 'no' END`;
        case "number":
        case "money":
        case "time":
        case "date":
          return `CASE WHEN ${c} IS NULL THEN '(none)' WHEN ${c} = floor(${c}) THEN CAST(CAST(${c} AS BIGINT) AS VARCHAR) ELSE CAST(${c} AS VARCHAR) END`;
        default:
          return assertNever(f.type);
      }
    })
    .join(" || ' / ' || ");
}

/**
 * The leads an SLA counts: in its population, with a clock, not before the agreement took
 * effect, and not after as_of (SPEC §8.1: --as-of cuts everything).
 */
function counted(plan: EvalPlan, sla: SlaPlan, asOf: number): string {
  const clock = ident(sla.clock.name);
  const from = judgedFromOf(plan, asOf);
  return [defColumn(sla.population.id), `${clock} IS NOT NULL`, ...(Number.isFinite(from) ? [`${clock} >= ${from}`] : []), `${clock} <= ${asOf}`].join(" AND ");
}

function header(sla: SlaPlan): string {
  return `-- sla ${sla.id}: ${sla.expectation.replace(/[\r\n]+/g, " ")}${sla.periods.unit ? ` per ${sla.periods.unit}` : ""}${sla.by.length ? ` by ${sla.by.map((f) => f.name).join(", ")}` : ""}`;
}

function slaQuery(plan: EvalPlan, sla: SlaPlan, options: SqlOptions): string {
  const clock = ident(sla.clock.name);
  const period = periodLabel(options.dialect, sla.periods.unit, clock, plan.zone.name);
  const where = counted(plan, sla, options.asOf);
  switch (sla.kind) {
    case "count":
      return `${header(sla)}\nSELECT period, "group", count(*) AS leads\nFROM (SELECT ${period} AS period, ${groupLabel(sla.by)} AS "group"\n      FROM ${LEADS} WHERE ${where}) AS counted\nGROUP BY period, "group"\nORDER BY period, "group";`;
    case "rate":
      return `${header(sla)}\nSELECT period, "group", count(*) AS leads, count(*) FILTER (WHERE hit) AS hits\nFROM (SELECT ${period} AS period, ${groupLabel(sla.by)} AS "group", ${defColumn(sla.rateOf.id)} AS hit\n      FROM ${LEADS} WHERE ${where}) AS counted\nGROUP BY period, "group"\nORDER BY period, "group";`;
    case "firstTouch":
    case "touches":
      return leadLevelQuery(plan, sla, options, period, where);
    default:
      return assertNever(sla);
  }
}

/** The deadline of a lead whose clock is the column `clock`: NULL when the calendar never opens again in its table. */
export function deadlineSql(sla: LeadLevelSla, clock: string): string {
  const w = sla.window;
  if (!w.business) return `${clock} + ${w.ms}`;
  if (w.unit === "days") throw new Error("internal: business days reached the SQL compiler");
  // Business time as positions on the calendar's open time: where the clock starts counting
  // (its interval's open time before it, plus how far into it), plus the window; the deadline is
  // the instant at that position. The same rules as BusinessCalendar.addBusinessMinutes.
  const cal = calendarTable(w.calendar.id);
  const target = `((SELECT c1.cum + GREATEST(0, ${clock} - c1.s) FROM ${cal} c1 WHERE c1.e > ${clock} ORDER BY c1.s LIMIT 1) + ${w.amount * 60_000})`;
  return `(SELECT c2.s + (${target} - c2.cum) FROM ${cal} c2 WHERE c2.cum + (c2.e - c2.s) >= ${target} ORDER BY c2.s LIMIT 1)`;
}

/** The outcome rules of status.ts, with a NULL deadline meaning the window never closes. */
function outcomeSql(sla: LeadLevelSla, asOf: number): string {
  const open = `(c.deadline IS NULL OR ${asOf} < c.deadline)`;
  switch (sla.kind) {
    case "firstTouch":
      return `CASE WHEN t.first_touch IS NOT NULL AND (c.deadline IS NULL OR t.first_touch <= c.deadline) THEN 'met' WHEN ${open} THEN 'pending' ELSE 'breached' END`;
    case "touches": {
      const n = "COALESCE(t.in_window, 0)";
      const op = { "=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" }[sla.op];
      const ok = `${n} ${op} ${sla.threshold}`;
      const whileOpen =
        sla.op === "<=" || sla.op === "<"
          ? `CASE WHEN ${ok} THEN 'pending' ELSE 'breached' END`
          : sla.op === "="
            ? `CASE WHEN ${n} > ${sla.threshold} THEN 'breached' ELSE 'pending' END`
            : sla.op === "!="
              ? `CASE WHEN ${n} > ${sla.threshold} THEN 'met' ELSE 'pending' END`
              : `CASE WHEN ${ok} THEN 'met' ELSE 'pending' END`;
      return `CASE WHEN NOT ${open} THEN CASE WHEN ${ok} THEN 'met' ELSE 'breached' END ELSE ${whileOpen} END`;
    }
    default:
      return assertNever(sla);
  }
}

function leadLevelQuery(plan: EvalPlan, sla: LeadLevelSla, options: SqlOptions, period: string, where: string): string {
  const clock = ident(sla.clock.name);
  const activityScope: SqlScope = {
    column: (c) => ({ sql: `a.${ident(c.name)}`, isText: c.name !== "at" }),
    definition: () => "FALSE",
  };
  const filter = sla.touchFilter ? ` AND ${sqlCondition(sla.touchFilter.ir, activityScope)}` : "";
  return `${header(sla)}
WITH clocked AS (
  SELECT ${ident("id")} AS id, ${clock} AS clock, ${deadlineSql(sla, clock)} AS deadline,
         ${period} AS period, ${groupLabel(sla.by)} AS "group"
  FROM ${LEADS} WHERE ${where}
),
touched AS (
  SELECT c.id, min(a.${ident("at")}) AS first_touch,
         count(*) FILTER (WHERE c.deadline IS NULL OR a.${ident("at")} <= c.deadline) AS in_window
  FROM clocked c JOIN ${ACTIVITIES} a ON a.${ident("lead_id")} = c.id
  WHERE a.${ident("at")} >= c.clock AND a.${ident("at")} <= ${options.asOf}${filter}
  GROUP BY c.id
),
judged AS (
  SELECT c.period, c."group", ${outcomeSql(sla, options.asOf)} AS outcome
  FROM clocked c LEFT JOIN touched t ON t.id = c.id
)
SELECT period, "group", count(*) FILTER (WHERE outcome = 'met') AS met,
       count(*) FILTER (WHERE outcome = 'breached') AS breached,
       count(*) FILTER (WHERE outcome = 'pending') AS pending
FROM judged
GROUP BY period, "group"
ORDER BY period, "group";`;
}

function noClockQuery(plan: EvalPlan, sla: SlaPlan): string {
  return `SELECT ${groupLabel(sla.by)} AS "group", count(*) AS no_clock\nFROM ${LEADS}\nWHERE ${defColumn(sla.population.id)} AND ${ident(sla.clock.name)} IS NULL\nGROUP BY 1\nORDER BY 1;`;
}

/**
 * A calendar's open intervals over a range of local days, from the calendar's own code (DST and
 * holidays included), with the open time before each: business time between two instants is
 * then a difference of two look-ups, and a deadline one look-up back.
 */
export function calendarTableSql(calendar: BusinessCalendar, days: { from: number; to: number }): string[] {
  const rows: string[] = [];
  let cum = 0;
  for (let day = days.from; day <= days.to; day++) {
    for (const [s, e] of calendar.openOn(day)) {
      rows.push(`(${s}, ${e}, ${cum})`);
      cum += e - s;
    }
  }
  const table = calendarTable(calendar.id);
  const create = `-- calendar ${calendar.id}: open intervals (epoch ms) and the open time before each\nCREATE TEMP TABLE ${table} (s BIGINT, e BIGINT, cum BIGINT);`;
  const inserts: string[] = [];
  for (let i = 0; i < rows.length; i += 500) inserts.push(`INSERT INTO ${table} VALUES\n  ${rows.slice(i, i + 500).join(",\n  ")};`);
  return [create, ...inserts];
}

export { text as sqlText };

import type { EvalPlan, FieldPlan } from "../plan.js";
import { assertNever } from "../../lang/never.js";
import { ident, jsTrim, naiveText, text, type Dialect } from "./dialect.js";

/** Whether `value` (any type) converts to `type`: TRY_CAST in DuckDB, pg_input_is_valid (PostgreSQL 16+) there. */
function converts(dialect: Dialect, value: string, trimmed: string, type: string): string {
  switch (dialect) {
    case "duckdb":
      // Cast as the file reader converts: its value trimmed (DuckDB's casts keep some spaces, a boolean's any).
      return `TRY_CAST(${trimmed} AS ${type}) IS NOT NULL`;
    case "postgres":
      return `pg_input_is_valid(CAST(${value} AS TEXT), ${text(type.toLowerCase())})`;
    default:
      return assertNever(dialect);
  }
}

/**
 * Why a lead row of the source relation cannot be used, as a SQL text expression: '' when it
 * can. The file reader's checks (an id, a value of the field's type, a value in `one of`), in
 * its words; a `pii` field's value is not quoted. Reads the raw columns, so it runs before the
 * typed view, which then never meets a value that does not convert. `read` gives a column's
 * text trimmed as the file reader trims it and whether it has a value (the DuckDB engine reads
 * both from columns of their own).
 */
export function leadRejectReason(plan: EvalPlan, dialect: Dialect, read: ColumnReads = inline(dialect)): string {
  const { trimmed } = read;
  const checks = [`CASE WHEN ${ident("id")} IS NULL OR ${trimmed("id")} = '' THEN 'no lead id' END`];
  for (const f of plan.fields) {
    const raw = ident(f.column);
    const shown = f.pii ? "'the value'" : `'''' || CAST(${raw} AS VARCHAR) || ''''`;
    const filled = read.filled(f.column);
    const fails = (type: string, what: string): string =>
      `CASE WHEN ${filled} AND NOT (${converts(dialect, raw, trimmed(f.column), type)}) THEN ${text(`column '${f.column}': `)} || ${shown} || ${text(` is not ${what}`)} END`;
    checks.push(...typeChecks(f, fails));
    if (f.oneOf && f.oneOf.length > 0) {
      const allowed = f.oneOf.map((v) => JSON.stringify(v)).join(", ");
      checks.push(`CASE WHEN ${filled} AND CAST(${raw} AS VARCHAR) NOT IN (${f.oneOf.map(text).join(", ")}) THEN ${text(`column '${f.column}': `)} || ${shown} || ${text(` is not one of ${allowed}`)} END`);
    }
  }
  return `concat_ws('; ', ${checks.join(",\n  ")})`;
}

/** How the row checks read a column: its text trimmed as the file reader trims it, whether it has a value (a SQL boolean). */
export type ColumnReads = { trimmed: (column: string) => string; filled: (column: string) => string };

function inline(dialect: Dialect): ColumnReads {
  const trimmed = (column: string): string => jsTrim(dialect, `CAST(${ident(column)} AS VARCHAR)`);
  return { trimmed, filled: (column) => `${ident(column)} IS NOT NULL AND ${trimmed(column)} <> ''` };
}

function typeChecks(f: FieldPlan, fails: (type: string, what: string) => string): string[] {
  switch (f.type) {
    case "text":
      return [];
    case "number":
    case "money":
      return [fails("DOUBLE PRECISION", "a number")];
    case "boolean":
      return [fails("BOOLEAN", "true or false")];
    case "time":
      return [fails("TIMESTAMPTZ", "a date/time (use ISO 8601, e.g. 2026-11-02T09:15:00Z)")];
    case "date":
      return [fails("DATE", "a date (use ISO 8601, e.g. 2026-11-02)")];
    default:
      return assertNever(f.type);
  }
}

export { naiveText };

import type { Period } from "../../lang/ast.js";
import { assertNever } from "../../lang/never.js";

/** The SQL dialects the IR compiles to. One compiled form; only these spellings differ. */
export type Dialect = "duckdb" | "postgres";

export const DIALECTS: readonly Dialect[] = ["duckdb", "postgres"];

/** A quoted identifier: `"Lead ID"`; a qualified table name (`crm.leads`) is quoted part by part. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function tableName(name: string): string {
  return name.split(".").map(ident).join(".");
}

/**
 * A SQL string literal. Standard SQL quoting (a quote doubled) is the whole of it in both
 * dialects: DuckDB and PostgreSQL (standard_conforming_strings, on by default) read
 * backslashes literally. A NUL cannot be stored in either, so it is refused.
 */
export function text(value: string): string {
  if (value.includes("\u0000")) throw new Error("a text value holds a NUL character, which SQL cannot hold");
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * The characters JavaScript's trim() removes, as the file reader trims ids and values: white
 * space (tab, vertical tab, form feed, space, no-break space, byte order mark, the Unicode space
 * separators) and line terminators. DuckDB's trim() removes the space separators only (not a
 * tab, a line break or a byte order mark).
 */
const JS_SPACE = [9, 10, 11, 12, 13, 32, 160, 5760, ...Array.from({ length: 11 }, (_, i) => 8192 + i), 8232, 8233, 8239, 8287, 12288, 65279];

/** Whether text is ASCII that starts and ends with a printable character other than a space (DuckDB): nothing to trim. */
function untrimmable(x: string): string {
  const ends = JS_SPACE.filter((c) => c <= 32).map((c) => `suffix(${x}, chr(${c}))`);
  return `(${x} >= '!' AND ${x} < chr(127) AND strlen(${x}) = length(${x}) AND NOT (${ends.join(" OR ")}))`;
}

/** Whether text starts with a character the file reader's trim() could remove (DuckDB): what may be blank. */
export function jsSpaceFirst(x: string): string {
  return `(unicode(${x}) IN (${JS_SPACE.join(", ")}))`;
}

/**
 * `value` (text) trimmed as the file reader trims it (JS_SPACE). PostgreSQL keeps its own
 * trim() here: its engine is not held to the file reader on such values yet.
 */
export function jsTrim(dialect: Dialect, value: string): string {
  switch (dialect) {
    case "duckdb":
      // trim() with a list of characters costs some ten times trim(): only text that may need
      // it gets it, not ASCII text that starts and ends with a printable character.
      return `(CASE WHEN ${untrimmable(value)} THEN ${value} ELSE trim(${value}, ${JS_SPACE.map((c) => `chr(${c})`).join(" || ")}) END)`;
    case "postgres":
      return `trim(${value})`;
    default:
      return assertNever(dialect);
  }
}

/**
 * `value` as `type`, NULL when it does not convert, where `CAST` would fail the whole query.
 * PostgreSQL has no TRY_CAST: its pg_input_is_valid (PostgreSQL 16+) tests the value's text
 * first, and a CASE evaluates the cast only then.
 */
export function tryCast(dialect: Dialect, value: string, type: string): string {
  switch (dialect) {
    case "duckdb":
      return `TRY_CAST(${value} AS ${type})`;
    case "postgres":
      return `CASE WHEN pg_input_is_valid(CAST(${value} AS TEXT), ${text(type.toLowerCase())}) THEN CAST(CAST(${value} AS TEXT) AS ${type}) END`;
    default:
      return assertNever(dialect);
  }
}

/** Epoch milliseconds of a timestamp with time zone, as BIGINT. */
export function epochMs(dialect: Dialect, timestamp: string): string {
  switch (dialect) {
    case "duckdb":
      return `epoch_ms(${timestamp})`;
    case "postgres":
      return `CAST(floor(extract(epoch FROM ${timestamp}) * 1000) AS BIGINT)`;
    default:
      return assertNever(dialect);
  }
}

/**
 * Text written without an offset (a date alone included): read in the agreement's zone, and
 * counted (SPEC §3), as the file reader reads and counts it.
 */
export function naiveText(dialect: Dialect, value: string): string {
  const pattern = "'^\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?$'";
  switch (dialect) {
    case "duckdb":
      return `regexp_matches(trim(${value}), ${pattern})`;
    case "postgres":
      return `(trim(${value}) ~ ${pattern})`;
    default:
      return assertNever(dialect);
  }
}

/**
 * Epoch milliseconds of a local wall-clock time (a TIMESTAMP without zone) in the session's
 * zone, by the file reader's rule (Zone.utcOfLocal in engine/time.ts): the offset at the local
 * time read as UTC gives a first guess, the offset at that guess the answer. So a time in the
 * hour that occurs twice is the first one, and a time in the hour skipped is read with the
 * offset before the change, where a database's own cast picks otherwise.
 */
export function localEpochMs(dialect: Dialect, local: string): string {
  const asUtc = dialect === "duckdb" ? `epoch_ms(${local})` : `CAST(floor(extract(epoch FROM ${local}) * 1000) AS BIGINT)`;
  return `(${asUtc} - ${zoneOffsetMs(dialect, `${asUtc} - ${zoneOffsetMs(dialect, asUtc)}`)})`;
}

/** The session zone's offset from UTC, in milliseconds, at the instant `ms` (epoch milliseconds). */
export function zoneOffsetMs(dialect: Dialect, ms: string): string {
  switch (dialect) {
    case "duckdb":
      return `(CAST(date_part('timezone', to_timestamp((${ms}) / 1000.0)) AS BIGINT) * 1000)`;
    case "postgres":
      return `(CAST(extract(timezone FROM to_timestamp((${ms}) / 1000.0)) AS BIGINT) * 1000)`;
    default:
      return assertNever(dialect);
  }
}

/** The label of the period holding `ms` in `zone`, as the in-memory engine spells it (2027-01, 2027-W02, 2027-Q1…). */
export function periodLabel(dialect: Dialect, unit: Period | undefined, ms: string, zone: string): string {
  if (unit === undefined) return "'all'";
  const local = `(to_timestamp(${ms} / 1000.0) AT TIME ZONE ${text(zone)})`;
  const fmt = (duck: string, pg: string): string => (dialect === "duckdb" ? `strftime(${local}, '${duck}')` : `to_char(${local}, '${pg}')`);
  switch (unit) {
    case "day":
      return fmt("%Y-%m-%d", "YYYY-MM-DD");
    case "week":
      return fmt("%G-W%V", 'IYYY-"W"IW');
    case "month":
      return fmt("%Y-%m", "YYYY-MM");
    case "quarter":
      return `${fmt("%Y", "YYYY")} || '-Q' || CAST(extract(quarter FROM ${local}) AS INTEGER)`;
    case "year":
      return fmt("%Y", "YYYY");
    default:
      return assertNever(unit);
  }
}

/** The statement that makes naive timestamps read in the agreement's zone. */
export function setZone(dialect: Dialect, zone: string): string {
  switch (dialect) {
    case "duckdb":
      return `SET TimeZone = ${text(zone)};`;
    case "postgres":
      return `SET TIME ZONE ${text(zone)};`;
    default:
      return assertNever(dialect);
  }
}

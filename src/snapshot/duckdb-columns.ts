import { ident, jsSpaceFirst, jsTrim } from "../engine/sql/dialect.js";
import type { FieldTypeName } from "../lang/ast.js";
import { assertNever } from "../lang/never.js";
import { LOCAL_MACRO } from "./duckdb-zone.js";

/**
 * Per source column of the DuckDB engine, by its type in the file, the cheapest SQL that gives
 * what the portable forms (engine/sql: dialect.ts naiveText and localEpochMs, compile.ts
 * timeEpochMs) give, value for value. Measured on 3 million values: trim() costs about as much
 * as reading the column, a regular expression a little less, and DuckDB's per-value time-zone
 * look-up (ICU) about ten times as much; so trim runs only where a value may need it, one
 * regular expression per value, and local times take their offset from the zone macros
 * (duckdb-zone.ts).
 */

/** A date, optionally a time, with no offset (SPEC §3): naive text, read in the agreement's zone. */
const LOCAL_TEXT = "'\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?'";
/** Types whose non-null values never read as blank text. */
const TYPED = /^(BOOLEAN|TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL\(\d+,\d+\)|DATE|TIMESTAMP|TIMESTAMP WITH TIME ZONE)$/;

/** The column holding a text time column's naive text, trimmed (NULL when it has an offset or is not a time). */
export const localColumn = (column: string): string => ident(`sp_local:${column}`);

/**
 * The two shapes CRM exports write local times in most ("2026-12-05 22:26", with or without
 * seconds), as GLOB patterns: each matches only text LOCAL_TEXT matches, at half the regular
 * expression's cost (3M values: 210 → 105 ms); other text goes on to the expression.
 */
const DIGITS = (n: number): string => "[0-9]".repeat(n);
const COMMON_LOCAL = [`${DIGITS(4)}-${DIGITS(2)}-${DIGITS(2)} ${DIGITS(2)}:${DIGITS(2)}`, `${DIGITS(4)}-${DIGITS(2)}-${DIGITS(2)} ${DIGITS(2)}:${DIGITS(2)}:${DIGITS(2)}`];

/** For a text time column, its naive text, trimmed: computed once, read by the naive count and the conversion (above the trim layer). */
export function localTextSql(column: string, type: string | undefined): string | null {
  if (type !== "VARCHAR") return null;
  const t = trimmedColumn(column);
  // A CASE tries its branches in turn, each on the values not yet matched.
  const common = COMMON_LOCAL.map((glob) => `WHEN ${t} GLOB '${glob}' THEN ${t} `).join("");
  return `CASE ${common}WHEN regexp_full_match(${t}, ${LOCAL_TEXT}) THEN ${t} END AS ${localColumn(column)}`;
}

/** A GLOB pattern, `d` standing for a digit. */
const shape = (pattern: string): string => pattern.replace(/d/g, "[0-9]");
/** Time texts whose reading DuckDB's casts give as the file reader does (convert.ts TimestampReader), before the range checks. */
const SURE_UTC = ["dddd-dd-ddTdd:dd:ddZ", "dddd-dd-ddTdd:dd:dd.dddZ"].map(shape);
const SURE_OFFSET = shape("dddd-dd-ddTdd:dd:dd[-+]dd:dd");

/**
 * Whether a time column's value is one the DuckDB engine is not sure to read as the file reader
 * does (a SQL boolean): anything but the shapes exports write most ("2026-12-05 22:26", with
 * seconds, ISO 8601 in UTC or with an offset, a date alone) in years 1900–2199, hours to 23,
 * seconds to 59, offsets to ±14:00. DuckDB's casts take more (a year 9999, 24:00, " UTC") and
 * less (60 seconds, "22:26Z"); judge() leaves a text file with such a value to the file reader.
 */
export function unsureTimeSql(column: string, type: string | undefined): string {
  const x = ident(column);
  if (type === "TIMESTAMP" || type === "TIMESTAMP WITH TIME ZONE") return `COALESCE(NOT (year(${x}) BETWEEN 1901 AND 2198), FALSE)`;
  if (type !== "VARCHAR") return `(${x} IS NOT NULL)`;
  // Local text is checked as localTextSql found it, trimmed; text with an offset as written.
  // Local text matched LOCAL_TEXT, so its length tells its shape: 16 or 19 characters are
  // 'dddd-dd-dd[ T]dd:dd[:dd]' (no fraction of a second), 10 a date alone; no pattern needed again.
  const local = localColumn(column);
  const years = (t: string) => `substr(${t}, 1, 4) BETWEEN '1900' AND '2199'`;
  const clock = (t: string) => `substr(${t}, 12, 2) <= '23' AND (strlen(${t}) = 16 OR substr(${t}, 18, 2) <= '59')`;
  const offset = `substr(${x}, 24, 2) <= '59' AND (substr(${x}, 21, 2) < '14' OR substr(${x}, 21, 5) = '14:00')`;
  return `(CASE WHEN NOT ${filledSql(column, type)} THEN FALSE
    WHEN ${local} IS NOT NULL THEN NOT ((strlen(${local}) IN (16, 19) AND ${years(local)} AND ${clock(local)}) OR (strlen(${local}) = 10 AND ${years(local)}))
    WHEN (${SURE_UTC.map((g) => `${x} GLOB '${g}'`).join(" OR ")}) THEN NOT (${years(x)} AND ${clock(x)})
    WHEN ${x} GLOB '${SURE_OFFSET}' THEN NOT (${years(x)} AND ${clock(x)} AND ${offset})
    ELSE TRUE END)`;
}

/** 1 when the column's value is a time written without an offset (text with a time and no offset, or a TIMESTAMP), else 0. */
export function naiveSql(column: string, type: string | undefined): string | null {
  // A date alone counts too: the file reader reads it as local midnight in the zone.
  if (type === "VARCHAR") return `(CASE WHEN ${localColumn(column)} IS NOT NULL THEN 1 ELSE 0 END)`;
  if (type !== undefined && type.startsWith("TIMESTAMP") && !type.includes("TIME ZONE")) return `(CASE WHEN ${ident(column)} IS NULL THEN 0 ELSE 1 END)`;
  return null;
}

/** The column holding a time column's local time as epoch milliseconds as if the zone were UTC (NULL when it is not a local time). */
export const localMsColumn = (column: string): string => ident(`sp_local_ms:${column}`);

/**
 * The local time of a text time column's naive text or of a TIMESTAMP column (years 1 to 9999,
 * whose text the portable form reads as naive), as a column: the zone macro repeats its argument.
 */
export function localMsSql(column: string, type: string | undefined): string | null {
  const x = ident(column);
  if (type === "VARCHAR") return `epoch_ms(TRY_CAST(${localColumn(column)} AS TIMESTAMP)) AS ${localMsColumn(column)}`;
  if (type === "TIMESTAMP") return `CASE WHEN ${x} >= TIMESTAMP '0001-01-01 00:00:00' AND ${x} <= TIMESTAMP '9999-12-31 23:59:59.999999' THEN epoch_ms(${x}) END AS ${localMsColumn(column)}`;
  return null;
}

/**
 * A time column as epoch milliseconds, as compile.ts timeEpochMs reads it: naive text and a
 * TIMESTAMP in the agreement's zone by the file reader's rule, anything else as a timestamp
 * with time zone. Undefined for other types (the portable form then).
 */
export function timeSql(column: string, type: string | undefined): string | undefined {
  const x = ident(column);
  const local = (when: string, offset: string): string => `CASE WHEN ${when} IS NOT NULL THEN ${LOCAL_MACRO}(${localMsColumn(column)}) ELSE epoch_ms(TRY_CAST(${offset} AS TIMESTAMPTZ)) END`;
  switch (type) {
    case "VARCHAR":
      // Naive text that is not a time (2027-02-30) stays NULL. The cast keeps ASCII spaces, not the others.
      return local(localColumn(column), castFromSql(column, "time"));
    case "TIMESTAMP":
      return local(localMsColumn(column), x);
    case "TIMESTAMP WITH TIME ZONE":
      return `epoch_ms(${x})`;
    default:
      return undefined;
  }
}

/** The column holding a column's text trimmed as the file reader trims it (trimLayerSql). */
export const trimmedColumn = (column: string): string => ident(`sp_t:${column}`);
/** The column holding whether a column has a value (filledLayerSql). */
const filledColumnOf = (column: string): string => ident(`sp_f:${column}`);

/** Whether values of a column of `type` convert to text with nothing to trim (DuckDB writes no spaces around a number, a boolean or a time). */
const typed = (type: string | undefined): boolean => type !== undefined && TYPED.test(type);

/**
 * A column's trimmed text as a column of its own, for a layer under the checks, casts and
 * counts that read it: jsTrim repeats its argument some ten times, and each of those repeats
 * its own, so reading the trimmed text from one column keeps the views small to bind and plan
 * and trims each value once. None for typed columns (trimmedOf casts them). Only columns whose
 * trimmed text is read get one (ids, values cast to another type, times): a text field's only
 * needs filledLayerSql, which rarely trims.
 */
export function trimLayerSql(column: string, type: string | undefined): string | null {
  return typed(type) ? null : `${trimmedSql(column)} AS ${trimmedColumn(column)}`;
}

/**
 * Whether a column has a value, as a column of its own, in a layer above trimLayerSql's
 * (`trimmed`: whether that layer trimmed the column). Untrimmed text that starts with a
 * printable ASCII character or with a character trim() keeps is filled without trimming.
 */
export function filledLayerSql(column: string, type: string | undefined, trimmed: boolean): string | null {
  if (typed(type)) return null;
  const x = `CAST(${ident(column)} AS VARCHAR)`;
  const t = trimmedColumn(column);
  const filled = trimmed
    ? `(${t} IS NOT NULL AND ${t} <> '')`
    : `(CASE WHEN ${x} IS NULL THEN FALSE WHEN ${x} >= '!' AND ${x} < chr(127) THEN TRUE WHEN ${x} = '' THEN FALSE WHEN NOT ${jsSpaceFirst(x)} THEN TRUE ELSE ${jsTrim("duckdb", x)} <> '' END)`;
  return `${filled} AS ${filledColumnOf(column)}`;
}

/** A column's text trimmed as the file reader trims it, above the trim layer (for a column it trimmed). */
export function trimmedOf(column: string, type: string | undefined): string {
  return typed(type) ? `CAST(${ident(column)} AS VARCHAR)` : trimmedColumn(column);
}

/**
 * Whether the column has a value (not NULL, not blank once trimmed as the file reader trims),
 * as a SQL boolean (never NULL), above the filled layer. A typed value is never blank.
 */
export function filledSql(column: string, type: string | undefined): string {
  return typed(type) ? `(${ident(column)} IS NOT NULL)` : filledColumnOf(column);
}

/**
 * A column as text, trimmed as the file reader trims (dialect.ts jsTrim: spaces, tabs, line
 * breaks, byte order marks), without copying the text when there is nothing to trim.
 */
export function trimmedSql(column: string): string {
  const x = `CAST(${ident(column)} AS VARCHAR)`;
  return jsTrim("duckdb", x);
}

/**
 * A text column's value as a field of `type` is cast from (above the trim layer): trimmed as
 * the file reader trims. DuckDB's casts also skip ASCII white space around a number or a time,
 * but not around a boolean; the trimmed text serves all.
 */
export function castFromSql(column: string, type: FieldTypeName): string {
  switch (type) {
    case "text":
      // Text is read as written, but blank text is no value (`is set`, groups).
      return `(CASE WHEN ${filledSql(column, "VARCHAR")} THEN ${ident(column)} END)`;
    case "boolean":
    case "number":
    case "money":
    case "time":
    case "date":
      return trimmedColumn(column);
    default:
      return assertNever(type);
  }
}

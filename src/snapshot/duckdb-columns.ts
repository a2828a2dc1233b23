import { ident } from "../engine/sql/dialect.js";
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
/** Naive text of this length has a time (a date alone is ten characters): those are counted (W0105). */
const DATE_LENGTH = 10;
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

/** For a text time column, its naive text, trimmed: computed once, read by the naive count and the conversion. */
export function localTextSql(column: string, type: string | undefined): string | null {
  if (type !== "VARCHAR") return null;
  const x = ident(column);
  // A CASE tries its branches in turn, each on the values not yet matched. A value that matches
  // as it is has nothing to trim (it starts and ends with a digit).
  const common = COMMON_LOCAL.map((glob) => `WHEN ${x} GLOB '${glob}' THEN ${x} `).join("");
  return `CASE ${common}WHEN regexp_full_match(${x}, ${LOCAL_TEXT}) THEN ${x} WHEN regexp_full_match(trim(${x}), ${LOCAL_TEXT}) THEN trim(${x}) END AS ${localColumn(column)}`;
}

/** 1 when the column's value is a time written without an offset (text with a time and no offset, or a TIMESTAMP), else 0. */
export function naiveSql(column: string, type: string | undefined): string | null {
  if (type === "VARCHAR") return `(CASE WHEN length(${localColumn(column)}) > ${DATE_LENGTH} THEN 1 ELSE 0 END)`;
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
  const local = (when: string): string => `CASE WHEN ${when} IS NOT NULL THEN ${LOCAL_MACRO}(${localMsColumn(column)}) ELSE epoch_ms(TRY_CAST(${x} AS TIMESTAMPTZ)) END`;
  switch (type) {
    case "VARCHAR":
      // Naive text that is not a time (2027-02-30) stays NULL.
      return local(localColumn(column));
    case "TIMESTAMP":
      return local(localMsColumn(column));
    case "TIMESTAMP WITH TIME ZONE":
      return `epoch_ms(${x})`;
    default:
      return undefined;
  }
}

/**
 * Whether the column has a value (not NULL, not blank once trimmed), as a SQL boolean. Text
 * that starts with a printable ASCII character other than a space is not blank, so trim runs
 * only on the rest; a typed value is never blank.
 */
export function filledSql(column: string, type: string | undefined): string {
  const x = ident(column);
  if (type === "VARCHAR") return `(CASE WHEN ${x} IS NULL THEN FALSE WHEN ${x} >= '!' AND ${x} < chr(127) THEN TRUE ELSE trim(${x}) <> '' END)`;
  if (type !== undefined && TYPED.test(type)) return `(${x} IS NOT NULL)`;
  return `(${x} IS NOT NULL AND trim(CAST(${x} AS VARCHAR)) <> '')`;
}

/**
 * A column as text, trimmed as DuckDB's trim() trims (spaces and the other Unicode space
 * separators), without copying the text when there is nothing to trim: ASCII text (as many
 * bytes as characters) can only start or end with a plain space. Half the cost of trim() on
 * 3 million ids (bench/README.md, "DuckDB engine speed").
 */
export function trimmedSql(column: string): string {
  const x = `CAST(${ident(column)} AS VARCHAR)`;
  return `(CASE WHEN strlen(${x}) = length(${x}) AND NOT ${x} LIKE ' %' AND NOT ${x} LIKE '% ' THEN ${x} ELSE trim(${x}) END)`;
}

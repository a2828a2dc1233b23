import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { timeEpochMs } from "../../src/engine/sql/compile.js";
import { ident, jsTrim } from "../../src/engine/sql/dialect.js";
import { Zone } from "../../src/engine/time.js";
import { filledLayerSql, filledSql, localMsSql, localTextSql, naiveSql, timeSql, trimLayerSql, trimmedSql } from "../../src/snapshot/duckdb-columns.js";
import { zoneMacros } from "../../src/snapshot/duckdb-zone.js";

const ZONE = "America/New_York";
const PORTABLE = { dialect: "duckdb", cast: "try", asOf: 0, leadsTable: "t", activitiesTable: "t", calendarDays: { from: 0, to: -1 } } as const;
/** What the file reader counts as naive (a date, a time or not, no offset, trimmed). */
const NAIVE_BEFORE = "'\\d{4}-\\d{2}-\\d{2}([T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?)?'";

/** Text times as exports write them, and as they should not: spaces, tabs, a no-break space, offsets, dates alone, clock changes, years far away. */
const TEXTS = [
  "2026-03-08 02:30",
  "2026-11-01 01:30",
  "2026-11-01T01:59:59.999",
  " 2026-03-08 02:30 ",
  "2026-01-05 10:00 ",
  "\t2026-01-05 10:00",
  "2026-01-05 10:00\r",
  "\u20282026-01-05T10:00:00Z",
  "2026-01-05T10:00:00Z\ufeff",
  "\u00a02026-01-05 10:00",
  "2026-01-05",
  "2026-01-05T10:00:00.123",
  "2026-01-05 10:00:59",
  "2026-01-05 10:00:5",
  "2026-01-05 1a:00",
  "2026-01-05 10:00:00.5",
  "2026-01-05 10:00Z",
  "٢٠٢٦-01-05 10:00",
  "2026-01-05T10:00:00Z",
  "2026-01-05 10:00+02:00",
  "2027-02-30 10:00",
  "2026-1-5 10:00",
  "12026-01-05 10:00",
  "1950-06-01 12:00",
  "2090-03-12 02:30",
  "soon",
  "",
  "   ",
  "é",
  " x",
  null,
];

let db: DuckDBInstance;
let c: DuckDBConnection;

beforeAll(async () => {
  db = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
  c = await db.connect();
  await c.run(`SET TimeZone = '${ZONE}'`);
  for (const statement of zoneMacros(new Zone(ZONE), Date.UTC(2027, 2, 15))) await c.run(statement);
});

afterAll(() => c.closeSync());

/**
 * The column's values through the fast forms (nested queries, as duckdb-source.ts builds its
 * views: trimmed text, filled, naive text) and through the portable ones. A time column is trimmed.
 */
async function both(type: string, values: string): Promise<unknown[][]> {
  await c.run(`CREATE OR REPLACE TEMP TABLE t AS SELECT CAST(v AS ${type}) AS x FROM (VALUES ${values}) AS s(v)`);
  const trimLayer = trimLayerSql("x", type);
  const filledLayer = filledLayerSql("x", type, true);
  const trimmedOnly = trimLayer === null ? "t" : `(SELECT *, ${trimLayer} FROM t)`;
  const trimmedT = filledLayer === null ? trimmedOnly : `(SELECT *, ${filledLayer} FROM ${trimmedOnly})`;
  const local = localTextSql("x", type);
  const inner = local === null ? trimmedT : `(SELECT *, ${local} FROM ${trimmedT})`;
  const localMs = localMsSql("x", type);
  const fast = `(SELECT *${localMs === null ? "" : `, ${localMs}`} FROM ${inner})`;
  const x = ident("x");
  // Text is trimmed as the file reader trims (jsTrim: tabs and line breaks too), then read by the portable form.
  const trimmed = type === "VARCHAR" ? jsTrim("duckdb", x) : x;
  const naiveBefore = type === "VARCHAR" ? `CASE WHEN regexp_full_match(${trimmed}, ${NAIVE_BEFORE}) THEN 1 ELSE 0 END` : type === "TIMESTAMP" ? `CASE WHEN ${x} IS NULL THEN 0 ELSE 1 END` : "0";
  // A type that is not a time's (DOUBLE) is compared for 'filled' only.
  const fastTime = timeSql("x", type);
  const sql = `SELECT CAST(${x} AS VARCHAR), ${fastTime ?? "NULL"}, ${fastTime === undefined ? "NULL" : timeEpochMs(PORTABLE, trimmed)}, ${naiveSql("x", type) ?? "0"}, ${naiveBefore},
    ${filledSql("x", type)}, (${x} IS NOT NULL AND ${jsTrim("duckdb", `CAST(${x} AS VARCHAR)`)} <> '') FROM ${fast}`;
  return (await c.runAndReadAll(sql)).getRowsJS().map((r) => r.map((v) => (typeof v === "bigint" ? Number(v) : v)));
}

function expectSame(rows: unknown[][]): void {
  for (const [value, fastTime, portableTime, fastNaive, naiveBefore, fastFilled, filledBefore] of rows) {
    expect({ value, time: fastTime, naive: fastNaive, filled: fastFilled }).toEqual({ value, time: portableTime, naive: naiveBefore, filled: filledBefore });
  }
}

describe("the DuckDB engine's column forms (duckdb-columns.ts) equal the portable SQL's", () => {
  it("on text: times (naive ones by the zone macro), the naive count and 'filled', value for value", async () => {
    const rows = await both("VARCHAR", TEXTS.map((t) => (t === null ? "(NULL)" : `('${t.replace(/'/g, "''")}')`)).join(", "));
    expect(rows).toHaveLength(TEXTS.length);
    // The clock changes are read by the file reader's rule: 02:30 skipped reads as 06:30 UTC, 01:30 repeated as the first (05:30 UTC).
    expect(rows[0]![2]).toBe(Date.UTC(2026, 2, 8, 6, 30));
    expect(rows[1]![2]).toBe(Date.UTC(2026, 10, 1, 5, 30));
    expectSame(rows);
  });

  it("on text a text field reads ('filled' without the trim layer), value for value", async () => {
    const values = [...TEXTS, " ", "\t", "\u00a0", "\ufeff", "\u3000x", "é", " é ", "!", "~"];
    await c.run(`CREATE OR REPLACE TEMP TABLE t AS SELECT v AS x FROM (VALUES ${values.map((t) => (t === null ? "(NULL)" : `('${t.replace(/'/g, "''")}')`)).join(", ")}) AS s(v)`);
    const rows = (await c.runAndReadAll(`SELECT x, ${filledSql("x", "VARCHAR")} FROM (SELECT *, ${filledLayerSql("x", "VARCHAR", false)} FROM t)`)).getRowsJS();
    expect(rows).toHaveLength(values.length);
    for (const [value, filled] of rows) expect({ value, filled }).toEqual({ value, filled: typeof value === "string" && value.trim() !== "" });
  });

  it("on TIMESTAMP and TIMESTAMP WITH TIME ZONE columns, and typed columns' 'filled'", async () => {
    expectSame(await both("TIMESTAMP", "('2026-03-08 02:30'), ('2026-11-01 01:30'), ('0500-06-01 10:00'), ('1950-06-01 12:00:00.5'), (NULL)"));
    expectSame(await both("TIMESTAMP WITH TIME ZONE", "('2026-03-08 07:30:00+00'), (NULL)"));
    expectSame(await both("DOUBLE", "(1.5), (0), (NULL)"));
  });

  it("trims ids as the file reader's trim() does (spaces, tabs, line breaks, Unicode spaces, byte order marks at either end), copying only text that needs it", async () => {
    const ids = ["L1", " L1", "L1 ", "  L1  ", "\u00a0L1", "L1\u3000", "L1\u202f", "\u2000L1\u200a", "\tL1\t", "\r\nL1\n", "\vL1\f", "\u2028L1\u2029", "\u00a0\tL1", "L1\u200b", "\u0085L1", "Lé", " Lé ", "é\u00a0", "", " ", "\u00a0", "\t", "a b", "!", "-", "~L1~", null];
    await c.run(`CREATE OR REPLACE TEMP TABLE ids AS SELECT v AS id FROM (VALUES ${ids.map((v) => (v === null ? "(NULL)" : `('${v}')`)).join(", ")}) AS s(v)`);
    const rows = (await c.runAndReadAll(`SELECT id, ${trimmedSql("id")} FROM ids`)).getRowsJS();
    expect(rows).toHaveLength(ids.length);
    for (const [id, fast] of rows) expect({ id, trimmed: fast }).toEqual({ id, trimmed: typeof id === "string" ? id.trim() : id });
    expect(rows.map((r) => r[1])).toEqual(expect.arrayContaining(["L1", "Lé", "é", "", "L1\u200b", "\u0085L1", "~L1~"]));
  });
});

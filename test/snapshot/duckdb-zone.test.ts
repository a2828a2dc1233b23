import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import { Zone } from "../../src/engine/time.js";
import { LOCAL_MACRO, zoneMacros, zoneTransitions } from "../../src/snapshot/duckdb-zone.js";

const HOUR = 3_600_000;
const QUARTER = 15 * 60_000;

/** Local times (ms as if UTC) on a quarter-hour grid for two days either side of each of the zone's changes in a year, plus a few far ones. */
function localsAround(zone: Zone, year: number): number[] {
  const changes = zoneTransitions(zone, Date.UTC(year, 0, 1), Date.UTC(year + 1, 0, 1)).map(([at]) => at);
  const locals: number[] = [Date.UTC(1950, 5, 1, 12), Date.UTC(1989, 11, 31, 23, 45), Date.UTC(2090, 0, 1, 2, 30), Date.UTC(year, 6, 1, 9, 7, 13, 250)];
  for (const at of changes) for (let t = at - 48 * HOUR; t <= at + 48 * HOUR; t += QUARTER) locals.push(t);
  return locals;
}

describe("DuckDB's local-time macros (duckdb-zone.ts)", () => {
  it("read every quarter hour around each clock change as Zone.utcOfLocal does: the repeated hour the first, the skipped hour with the offset after", async () => {
    const db = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
    const c = await db.connect();
    try {
      for (const name of ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Australia/Sydney", "Asia/Kathmandu", "Asia/Tokyo", "America/Sao_Paulo"]) {
        const zone = new Zone(name);
        await c.run(`SET TimeZone = '${name}'`);
        for (const statement of zoneMacros(zone, Date.UTC(2027, 2, 15))) await c.run(statement);
        const locals = localsAround(zone, 2026);
        await c.run(`CREATE OR REPLACE TEMP TABLE t (l BIGINT)`);
        const appender = await c.createAppender("t", null, "temp");
        for (const l of locals) {
          appender.appendBigInt(BigInt(l));
          appender.endRow();
        }
        appender.closeSync();
        const rows = (await c.runAndReadAll(`SELECT l, ${LOCAL_MACRO}(l) FROM t ORDER BY l`)).getRowsJS();
        const got = rows.map((r) => [Number(r[0]), Number(r[1])]);
        const want = [...locals].sort((a, b) => a - b).map((l) => [l, zone.utcOfLocal(l)]);
        expect(got, name).toEqual(want);
      }
    } finally {
      c.closeSync();
    }
  });

  it("finds a zone's changes to the quarter hour: New York's in 2026", () => {
    expect(zoneTransitions(new Zone("America/New_York"), Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1))).toEqual([
      [Date.UTC(2026, 2, 8, 7), -4 * HOUR],
      [Date.UTC(2026, 10, 1, 6), -5 * HOUR],
    ]);
  });

  it("finds every change the file reader's Zone sees, quarter hour by quarter hour, over two years of zones with odd rules", () => {
    for (const name of ["America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/Sao_Paulo", "Africa/Casablanca", "Europe/Dublin"]) {
      const zone = new Zone(name);
      const from = Date.UTC(2017, 0, 1);
      const to = Date.UTC(2019, 0, 1);
      const seen: Array<[number, number]> = [];
      for (let at = from + QUARTER, before = zone.offsetAt(from); at < to; at += QUARTER) {
        const offset = zone.offsetAt(at);
        if (offset !== before) seen.push([at, offset * 60_000]);
        before = offset;
      }
      expect(zoneTransitions(zone, from, to), name).toEqual(seen);
    }
  });
});

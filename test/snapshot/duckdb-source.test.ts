import { DuckDBInstance } from "@duckdb/node-api";
import fc from "fast-check";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runPlan } from "../../src/engine/evaluate.js";
import { buildPlan } from "../../src/engine/plan.js";
import { sqlValue } from "../../src/engine/sql/expr.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { DuckDbSource } from "../../src/snapshot/duckdb-source.js";
import { policyArb, runEngine, snapshotArb, type Snapshot } from "../engine/generators.js";
import { ROOT, runCli } from "../helpers.js";

/**
 * `eval` over Parquet files read by DuckDB, classification pushed down into SQL, held to the
 * file reader: the same report for the sample as text columns and as typed columns, the same
 * rejects for bad values, and the same figures as the in-memory engine on random snapshots.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sp-parquet-"));
  dirs.push(dir);
  return dir;
}

async function duck(statements: string[]): Promise<void> {
  const db = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
  const c = await db.connect();
  for (const s of statements) await c.run(s);
  c.closeSync();
}

const SAMPLE = path.join(ROOT, "snapshots/sample");
const MANIFEST = "as_of: 2027-03-15T21:00:00Z\n";

async function evalJson(snapshot: string, ...more: string[]): Promise<{ code: number; report: Record<string, unknown> }> {
  const run = await runCli(["eval", "--snapshot", snapshot, "--format", "json", ...more]);
  return { code: run.code, report: JSON.parse(run.stdout) as Record<string, unknown> };
}

/** The report with the input's file names made the CSV run's, to compare the rest; and the engine that ran the CSV's (auto: the file reader, for so small a folder). */
function asCsv(report: Record<string, unknown>, dir: string): unknown {
  return JSON.parse(JSON.stringify(report).split(dir).join(SAMPLE).replace(/\.parquet/g, ".csv").replace('"engine":"duckdb"', '"engine":"memory"'));
}

describe("eval over Parquet with DuckDB", () => {
  it("gives the sample's report, from text columns (auto-detected) and from typed ones", async () => {
    const csv = await evalJson(SAMPLE);
    const text = tempDir();
    writeFileSync(path.join(text, "snapshot.yaml"), MANIFEST);
    await duck([
      `COPY (SELECT * FROM read_csv('${SAMPLE}/leads.csv', header = true, all_varchar = true)) TO '${text}/leads.parquet' (FORMAT parquet)`,
      `COPY (SELECT * FROM read_csv('${SAMPLE}/activities.csv', header = true, all_varchar = true)) TO '${text}/activities.parquet' (FORMAT parquet)`,
    ]);
    const fromText = await evalJson(text);
    expect(fromText.code).toBe(csv.code);
    expect(asCsv(fromText.report, text)).toEqual(csv.report);

    // Typed columns, as a warehouse export has them: the same figures; no timestamp is naive.
    const typed = tempDir();
    writeFileSync(path.join(typed, "snapshot.yaml"), MANIFEST);
    await duck([
      "SET TimeZone = 'America/New_York'",
      `COPY (SELECT * REPLACE (CAST("HubSpot Score" AS DOUBLE) AS "HubSpot Score", CAST(demo_requested AS BOOLEAN) AS demo_requested,
              CAST("Create Date" AS TIMESTAMPTZ) AS "Create Date", CAST("Became a Sales Qualified Lead Date" AS TIMESTAMPTZ) AS "Became a Sales Qualified Lead Date")
             FROM read_csv('${SAMPLE}/leads.csv', header = true, all_varchar = true)) TO '${typed}/leads.parquet' (FORMAT parquet)`,
      `COPY (SELECT * REPLACE (CAST("at" AS TIMESTAMPTZ) AS "at") FROM read_csv('${SAMPLE}/activities.csv', header = true, all_varchar = true)) TO '${typed}/activities.parquet' (FORMAT parquet)`,
    ]);
    const fromTyped = await evalJson(typed, "--engine", "duckdb");
    const figures = (r: Record<string, unknown>) => ({ definitions: r["definitions"], slas: r["slas"], goals: r["goals"], summary: r["summary"] });
    expect(figures(fromTyped.report)).toEqual(figures(csv.report));
  }, 120_000);

  it("rejects a row whose value does not convert, naming its row, column and value, and uses every other row", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "snapshot.yaml"), MANIFEST);
    await duck([
      `COPY (SELECT * REPLACE (CASE WHEN id = 'L00002' THEN 'lots' ELSE "HubSpot Score" END AS "HubSpot Score",
                               CASE WHEN id = 'L00003' THEN 'customer-ish' ELSE lifecycle_stage END AS lifecycle_stage)
             FROM read_csv('${SAMPLE}/leads.csv', header = true, all_varchar = true)) TO '${dir}/leads.parquet' (FORMAT parquet)`,
      // An activity of the rejected lead L00002 and one of a lead not in the export: unmatched, each named as such.
      `COPY (SELECT * FROM (VALUES ('L00002', 'call', '2026-12-22T15:00:00Z', 'alice'), ('L99999', 'call', '2026-12-22T16:00:00Z', 'alice')) t(lead_id, type, "at", owner)) TO '${dir}/activities.parquet' (FORMAT parquet)`,
    ]);
    const run = await runCli(["eval", "--snapshot", dir, "--format", "json", "--max-rejected", "5"]);
    const report = JSON.parse(run.stdout) as {
      input: { files: Array<{ file: string; read: number; used: number; rejected: number }>; rejects: Array<{ line: number; reason: string }>; unmatchedActivities: Array<{ line: number; reason: string }> };
    };
    expect(report.input.unmatchedActivities.map((r) => r.reason)).toEqual([
      `activity for lead 'L00002', whose row was rejected (${report.input.files[0]!.file} line 2)`,
      "activity for lead 'L99999', which is not in the lead export (unmatched)",
    ]);
    const leads = report.input.files[0]!;
    expect(leads.rejected).toBe(2);
    expect(leads.read).toBe(leads.used + leads.rejected);
    expect(report.input.rejects.map((r) => r.line)).toEqual([2, 3]);
    expect(report.input.rejects[0]!.reason).toContain("column 'HubSpot Score': 'lots' is not a number");
    expect(report.input.rejects[1]!.reason).toContain("column 'lifecycle_stage' must be equal to one of the allowed values");
  }, 60_000);

  it("says which engines there are", async () => {
    const bad = await runCli(["eval", "--snapshot", "snapshots/sample", "--engine", "spark"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--engine must be one of auto, memory, duckdb");
  });

  it("equals the in-memory engine on random policies and snapshots (same definitions and SLA results)", async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, snapshotArb, async (policy: string, snap: Snapshot) => {
        const analyzed = analyzePolicySet([{ path: "p.policy", text: policy }]);
        const plan = buildPlan(analyzed.symbols);
        const memory = runEngine(plan, snap);
        const dir = tempDir();
        const ts = (v: unknown) => (typeof v === "number" ? `to_timestamp(${v} / 1000.0)` : "CAST(NULL AS TIMESTAMPTZ)");
        const leads = memory.leads.map((l) => `(${sqlValue(l["id"] as string)}, ${sqlValue(l["stage"] ?? null)}, ${sqlValue(l["score"] ?? null)}, ${sqlValue(l["flag"] ?? null)}, ${sqlValue(l["owner"] ?? null)}, ${ts(l["t1"])}, ${ts(l["t2"])})`);
        const activities = memory.activities.map((a) => `(${sqlValue(a.lead)}, ${sqlValue(a.type)}, ${ts(a.at)}, ${sqlValue(a.owner)})`);
        await duck([
          "CREATE TABLE leads (id VARCHAR, stage VARCHAR, score DOUBLE, flag BOOLEAN, owner VARCHAR, t1 TIMESTAMPTZ, t2 TIMESTAMPTZ)",
          `CREATE TABLE activities (lead_id VARCHAR, type VARCHAR, "at" TIMESTAMPTZ, owner VARCHAR)`,
          `INSERT INTO leads VALUES ${leads.join(", ")}`,
          ...(activities.length ? [`INSERT INTO activities VALUES ${activities.join(", ")}`] : []),
          `COPY leads TO '${dir}/leads.parquet' (FORMAT parquet)`,
          `COPY activities TO '${dir}/activities.parquet' (FORMAT parquet)`,
        ]);
        const run = await runPlan(plan, await DuckDbSource.open(dir, dir), { asOf: memory.asOf });
        expect(run.definitions).toEqual(memory.engine.definitions);
        expect(run.slas).toEqual(memory.engine.slas);
        expect(run.rejects).toEqual([]);
      }),
      { numRuns: 25 },
    );
  }, 180_000);
});

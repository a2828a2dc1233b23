/**
 * npm run bench: eval end to end against the floor (a hand-written loop), the peer
 * (json-rules-engine) and reading alone, on the same seeded files, alternating and repeated;
 * eval on DuckDB (CSV, and a Parquet copy) against the SQL a data team would write (peer-duckdb.mjs).
 *
 *   npm run bench -- [--sizes 100000,300000,1000000] [--repeat 3] [--jre-sample 50000] [--faults-size N] [--formats-size N] [--out bench/results]
 *
 * Then eval on the largest size's export made faulty three ways (bench/faults.ts), for memory,
 * and with its times in a US CRM's format against ISO (bench/formats.ts).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generate } from "./generate.js";
import { parquetCopy } from "./parquet.js";
import { floor } from "./floor.js";
import { faultRuns, faultTable } from "./faults.js";
import { formatRuns, US_PATTERN } from "./formats.js";
import { measure as measureIn, type Run } from "./measure.js";
import { arg } from "../scripts/script-support.js";

const sizes = arg("sizes", "100000,300000,1000000").split(",").map(Number);
const repeat = Number(arg("repeat", "3"));
const jreSample = Number(arg("jre-sample", "50000"));
const outDir = arg("out", "bench/results");
const tmp = path.join(os.tmpdir(), `smarketing-bench-${process.pid}`);
mkdirSync(tmp, { recursive: true });
mkdirSync(outDir, { recursive: true });

const measure = (args: string[]): Run => measureIn(args, tmp);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const summary = (runs: Run[]) => ({
  medianMs: Math.round(median(runs.map((r) => r.ms))),
  minMs: Math.round(Math.min(...runs.map((r) => r.ms))),
  maxMs: Math.round(Math.max(...runs.map((r) => r.ms))),
  peakMiB: Math.round(Math.max(...runs.map((r) => r.rssMiB))),
});

const results: Record<string, unknown>[] = [];
let countsAgree = true;
for (const size of sizes) {
  const dir = path.join("bench/data", String(size));
  if (!existsSync(path.join(dir, "leads.csv"))) {
    process.stdout.write(`generating ${size} leads in ${dir}…\n`);
    generate(size, dir, 7);
  }
  const activities = readFileSync(path.join(dir, "activities.csv"), "utf8").split("\n").length - 2;
  const report = path.join(tmp, "report.json");
  const parquet = await parquetCopy(dir);
  const evalArgs = (snapshot: string, output: string, ...more: string[]) => ["dist/cli/main.js", "eval", "--snapshot", snapshot, "--format", "json", "--output", output, "--fail-on", "never", "--max-rejected", "100%", ...more];
  const contenders: Record<string, string[]> = {
    eval: evalArgs(dir, report),
    floor: ["--import", "tsx", "bench/floor.ts", dir],
    read: ["--import", "tsx", "bench/read-only.ts", dir],
    jre: ["--import", "tsx", "bench/peer-jre.ts", dir, "--sample", String(Math.min(jreSample, size))],
    // The engines (docs/engines.md): eval forced onto DuckDB, on the CSV and on its Parquet copy, and the SQL peer on each.
    duckdbCsv: evalArgs(dir, path.join(tmp, "duckdb-csv.json"), "--engine", "duckdb"),
    duckdbParquet: evalArgs(parquet, path.join(tmp, "duckdb-parquet.json"), "--engine", "duckdb"),
    peerCsv: ["bench/peer-duckdb.mjs", dir],
    peerParquet: ["bench/peer-duckdb.mjs", parquet, "--parquet"],
  };
  const runs: Record<string, Run[]> = Object.fromEntries(Object.keys(contenders).map((name) => [name, []]));
  const names = Object.keys(contenders);
  for (let r = 0; r < repeat; r++) {
    // Alternate the order so that no contender always runs on a cold or a warm cache.
    for (const name of [...names.slice(r % names.length), ...names.slice(0, r % names.length)]) {
      process.stdout.write(`  ${size} leads, run ${r + 1}/${repeat}: ${name}\n`);
      runs[name]!.push(measure(contenders[name]!));
    }
  }

  // Speed never buys wrong answers: eval's counts must equal the floor's.
  const evalReport = JSON.parse(readFileSync(report, "utf8")) as { definitions: Record<string, number>; slas: Array<{ id: string; totals: Record<string, number> }> };
  const floorCounts = JSON.parse(runs["floor"]![0]!.stdout) as Awaited<ReturnType<typeof floor>>;
  const totals = (id: string) => {
    const t = evalReport.slas.find((s) => s.id === id)!.totals;
    return { met: t["met"], breached: t["breached"], pending: t["pending"], noClock: t["noClock"] };
  };
  const agree =
    JSON.stringify(evalReport.definitions) === JSON.stringify(floorCounts.definitions) &&
    JSON.stringify(totals("first_touch")) === JSON.stringify(floorCounts.firstTouch) &&
    JSON.stringify(totals("attempt_cap")) === JSON.stringify(floorCounts.attemptCap) &&
    evalReport.slas.find((s) => s.id === "mql_volume")!.totals["leads"] === floorCounts.mqlVolume;
  countsAgree &&= agree;
  // Every engine gives the same report; only the engine named in its input differs.
  const strip = (file: string) => JSON.stringify({ ...(JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>), input: null });
  const sameReport = (file: string) => strip(file) === strip(report);
  const enginesAgree = sameReport(path.join(tmp, "duckdb-csv.json")) && sameReport(path.join(tmp, "duckdb-parquet.json"));
  countsAgree &&= enginesAgree;

  const jre = JSON.parse(runs["jre"]![0]!.stdout) as { leads: number; ms: number };
  const jreMsPerLead = median(runs["jre"]!.map((r) => (JSON.parse(r.stdout) as { ms: number }).ms)) / jre.leads;
  const e = summary(runs["eval"]!);
  const f = summary(runs["floor"]!);
  const rd = summary(runs["read"]!);
  const jreScaledMs = Math.round(jreMsPerLead * size);
  const [dc, dp, pc, pp] = ["duckdbCsv", "duckdbParquet", "peerCsv", "peerParquet"].map((name) => summary(runs[name]!)) as [ReturnType<typeof summary>, ReturnType<typeof summary>, ReturnType<typeof summary>, ReturnType<typeof summary>];
  const ratio = (a: number, b: number) => Number((a / b).toFixed(2));
  results.push({
    leads: size,
    activities,
    eval: e,
    floor: f,
    readingAlone: rd,
    jsonRulesEngine: { ...summary(runs["jre"]!), sampleLeads: jre.leads, classificationMsPerLead: Number(jreMsPerLead.toFixed(4)), scaledToAllLeadsMs: jreScaledMs },
    ratios: {
      evalOverFloor: Number((e.medianMs / f.medianMs).toFixed(2)),
      jsonRulesEngineOverEval: Number((jreScaledMs / e.medianMs).toFixed(2)),
      evalOverReadingAlone: Number((e.medianMs / rd.medianMs).toFixed(2)),
    },
    evalMicrosecondsPerLead: Number(((e.medianMs * 1000) / size).toFixed(2)),
    engines: {
      duckdbOnCsv: dc,
      duckdbOnParquet: dp,
      peerOnCsv: pc,
      peerOnParquet: pp,
      evalOverPeerOnCsv: ratio(e.medianMs, pc.medianMs),
      duckdbOnCsvOverPeer: ratio(dc.medianMs, pc.medianMs),
      duckdbOnParquetOverPeerOnParquet: ratio(dp.medianMs, pp.medianMs),
      sameReports: enginesAgree,
    },
    countsAgreeWithFloor: agree,
  });
}

const faultsSize = Number(arg("faults-size", String(Math.max(...sizes))));
const faults = await faultRuns(path.join("bench/data", String(faultsSize)), faultsSize, tmp);
const formatsSize = Number(arg("formats-size", String(Math.max(...sizes))));
const formats = await formatRuns(path.join("bench/data", String(formatsSize)), formatsSize, tmp, repeat);

const validate = JSON.parse(measure(["--import", "tsx", "bench/validate-large.ts"]).stdout) as { medianMs: number; errors: number };
const lsp = JSON.parse(measure(["--import", "tsx", "bench/lsp-keystroke.ts"]).stdout) as { keystrokeToDiagnostics: { medianMs: number; p95Ms: number } };
const machine = {
  cpu: os.cpus()[0]?.model ?? "unknown",
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
};
const output = { date: new Date().toISOString(), machine, repeat, results, faults, formats, validate500x500: validate, lspKeystroke500x500: lsp, countsAgreeWithFloor: countsAgree };
const stamp = output.date.replace(/[:.]/g, "-");
writeFileSync(path.join(outDir, "latest.json"), `${JSON.stringify(output, null, 2)}\n`);
writeFileSync(path.join(outDir, `bench-${stamp}.json`), `${JSON.stringify(output, null, 2)}\n`);
rmSync(tmp, { recursive: true, force: true });

const pad = (s: string | number, n: number) => String(s).padStart(n);
process.stdout.write(`\n${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}; median of ${repeat}\n`);
process.stdout.write(`${"leads".padEnd(9)}${pad("eval ms", 10)}${pad("floor ms", 10)}${pad("read ms", 9)}${pad("eval/floor", 12)}${pad("jre/eval", 10)}${pad("eval/read", 11)}${pad("µs/lead", 9)}${pad("eval MiB", 10)}${pad("floor MiB", 11)}\n`);
for (const r of results as Array<Record<string, any>>) {
  process.stdout.write(
    `${String(r.leads).padEnd(9)}${pad(r.eval.medianMs, 10)}${pad(r.floor.medianMs, 10)}${pad(r.readingAlone.medianMs, 9)}${pad(r.ratios.evalOverFloor, 12)}${pad(r.ratios.jsonRulesEngineOverEval, 10)}${pad(r.ratios.evalOverReadingAlone, 11)}${pad(r.evalMicrosecondsPerLead, 9)}${pad(r.eval.peakMiB, 10)}${pad(r.floor.peakMiB, 11)}\n`,
  );
}
process.stdout.write(`\n${"leads".padEnd(9)}${pad("duckdb csv", 12)}${pad("peer csv", 10)}${pad("duckdb pq", 11)}${pad("peer pq", 9)}${pad("eval/peer", 11)}${pad("pq/peer pq", 12)}${pad("csv MiB", 9)}${pad("pq MiB", 8)}${pad("peer MiB", 10)}\n`);
for (const r of results as Array<Record<string, any>>) {
  const x = r.engines;
  process.stdout.write(
    `${String(r.leads).padEnd(9)}${pad(x.duckdbOnCsv.medianMs, 12)}${pad(x.peerOnCsv.medianMs, 10)}${pad(x.duckdbOnParquet.medianMs, 11)}${pad(x.peerOnParquet.medianMs, 9)}${pad(x.evalOverPeerOnCsv, 11)}${pad(x.duckdbOnParquetOverPeerOnParquet, 12)}${pad(x.duckdbOnCsv.peakMiB, 9)}${pad(x.duckdbOnParquet.peakMiB, 8)}${pad(x.peerOnCsv.peakMiB, 10)}\n`,
  );
}
process.stdout.write(`json-rules-engine: classification only, timed on ${jreSample} leads per size and scaled to all leads.\n`);
process.stdout.write(`validate, 500 definitions and 500 SLAs: ${Math.round(validate.medianMs)} ms (median of 5)\n`);
process.stdout.write(`language server, same set in 5 files: keystroke to diagnostics ${lsp.keystrokeToDiagnostics.medianMs} ms median, ${lsp.keystrokeToDiagnostics.p95Ms} ms p95\n`);
process.stdout.write(faultTable(faults));
process.stdout.write(`${formats.leads} leads, times as "${US_PATTERN}": ${formats.us.medianMs} ms against ${formats.iso.medianMs} ms in ISO (${formats.usOverIso}×); counts ${formats.countsAgree ? "agree" : "DIFFER"}\n`);
process.stdout.write(`eval's counts ${countsAgree ? "equal" : "DIFFER FROM"} the floor's, and every engine's report eval's, at every size; results in ${outDir}/latest.json\n`);
if (!countsAgree || !formats.countsAgree || !faults.runs.every((f) => f.rejectsFileHoldsEveryRow)) process.exit(1);

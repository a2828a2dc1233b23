/**
 * Memory under mass faults (issue 15): eval on a generated export made faulty three ways, in
 * text and JSON, with `--rejects FILE`. Each run's peak memory should stay near a clean run's,
 * and the file must hold every row not used (read − used, from the JSON report).
 *
 *   npx tsx bench/faults.ts --leads 20000        (run alone; npm run bench runs it at its largest size)
 */
import { appendFileSync, createReadStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { arg } from "../scripts/script-support.js";
import { generate } from "./generate.js";
import { measure } from "./measure.js";

export type Fault = "sixth-rejected" | "every-id-twice" | "three-unmatched-activities-per-lead";

/** Rewrites a clean export into a faulty one, line by line (a million-lead file is not held). */
async function makeFaulty(clean: string, out: string, fault: Fault): Promise<void> {
  mkdirSync(out, { recursive: true });
  const leads: string[] = [];
  let n = 0;
  const lines = createInterface({ input: createReadStream(path.join(clean, "leads.csv")) });
  const leadsOut = path.join(out, "leads.csv");
  writeFileSync(leadsOut, "");
  const flush = (file: string) => {
    appendFileSync(file, leads.join(""));
    leads.length = 0;
  };
  for await (const line of lines) {
    if (line === "") continue;
    const header = n++ === 0;
    if (header || fault === "three-unmatched-activities-per-lead") leads.push(`${line}\n`);
    // A lifecycle stage the policy does not list, as when the CRM adds one.
    else if (fault === "sixth-rejected") leads.push(`${n % 6 === 0 ? line.replace(/^([^,]*,[^,]*,)[^,]*/, "$1evangelist") : line}\n`);
    else leads.push(`${line}\n${line}\n`);
    if (leads.length >= 20000) flush(leadsOut);
  }
  flush(leadsOut);
  const activitiesOut = path.join(out, "activities.csv");
  if (fault === "three-unmatched-activities-per-lead") {
    // Three activities for leads not in the export, per lead: a lead export filtered, the activities not.
    writeFileSync(activitiesOut, "lead_id,type,at,owner\n");
    const rows: string[] = [];
    for (let i = 1; i < n; i++) {
      for (let k = 0; k < 3; k++) rows.push(`X${i},call,2027-01-0${1 + k} 10:00,rep01\n`);
      if (rows.length >= 30000) {
        appendFileSync(activitiesOut, rows.join(""));
        rows.length = 0;
      }
    }
    appendFileSync(activitiesOut, rows.join(""));
  } else {
    writeFileSync(activitiesOut, readFileSync(path.join(clean, "activities.csv")));
  }
  writeFileSync(path.join(out, "snapshot.yaml"), readFileSync(path.join(clean, "snapshot.yaml")));
}

function lineCount(file: string): number {
  const text = readFileSync(file);
  let n = 0;
  for (let i = text.indexOf(10); i !== -1; i = text.indexOf(10, i + 1)) n++;
  return n;
}

export interface FaultRun {
  fault: Fault;
  format: "text" | "json";
  ms: number;
  peakMiB: number;
  notUsed: number;
  rejectsFileHoldsEveryRow: boolean;
}

/** Each fault in text and JSON at `leads` leads (the clean export generated into `clean` if missing). */
export async function faultRuns(clean: string, leads: number, tmp: string): Promise<{ leads: number; runs: FaultRun[] }> {
  if (!existsSync(path.join(clean, "leads.csv"))) generate(leads, clean, 7);
  const runs: FaultRun[] = [];
  for (const fault of ["sixth-rejected", "every-id-twice", "three-unmatched-activities-per-lead"] as const) {
    const dir = path.join(tmp, `faults-${fault}`);
    await makeFaulty(clean, dir, fault);
    for (const format of ["text", "json"] as const) {
      const rejects = path.join(tmp, "rejects.csv");
      const report = path.join(tmp, `faults-report.${format}`);
      process.stdout.write(`  ${leads} leads, ${fault}: eval --format ${format}\n`);
      const run = measure(["dist/cli/main.js", "eval", "--snapshot", dir, "--format", format, "--output", report, "--fail-on", "never", "--max-rejected", "100%", "--rejects", rejects], tmp);
      // read − used from a JSON run of the same files (the text report does not carry the counts as data).
      const json = format === "json" ? report : path.join(tmp, "faults-count.json");
      if (format === "text") measure(["dist/cli/main.js", "eval", "--snapshot", dir, "--format", "json", "--output", json, "--fail-on", "never", "--max-rejected", "100%"], tmp);
      const input = (JSON.parse(readFileSync(json, "utf8")) as { input: { files: Array<{ read: number; used: number }> } }).input;
      const notUsed = input.files.reduce((k, f) => k + f.read - f.used, 0);
      runs.push({ fault, format, ms: Math.round(run.ms), peakMiB: Math.round(run.rssMiB), notUsed, rejectsFileHoldsEveryRow: lineCount(rejects) - 1 === notUsed });
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return { leads, runs };
}

if (process.argv[1]?.endsWith("faults.ts")) {
  const leads = Number(arg("leads", "20000"));
  const tmp = path.join(os.tmpdir(), `smarketing-faults-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  const result = await faultRuns(path.join("bench/data", String(leads)), leads, tmp);
  rmSync(tmp, { recursive: true, force: true });
  for (const r of result.runs) console.log(`${leads} leads, ${r.fault}, ${r.format}: ${r.ms} ms, ${r.peakMiB} MiB peak, ${r.notUsed} rows not used, --rejects holds every one: ${r.rejectsFileHoldsEveryRow}`);
}

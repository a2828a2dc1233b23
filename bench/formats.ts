/**
 * Column formats (issue 15): eval on the generated export with every time written as a US CRM
 * writes it (`format "M/d/yyyy h:mm a"`, leads and activities) against the same export in ISO
 * times, alternating and repeated. Target: within 1.3× of the ISO run. The two reports' counts
 * must be equal.
 *
 *   npx tsx bench/formats.ts --leads 300000 [--repeat 3]   (run alone; npm run bench runs it at its largest size)
 */
import { cpSync, createReadStream, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { arg } from "../scripts/script-support.js";
import { generate } from "./generate.js";
import { measure, type Run } from "./measure.js";

export const US_PATTERN = "M/d/yyyy h:mm a";

/** "2027-01-05 14:07" → "1/5/2027 2:07 PM" (both local, no zone arithmetic); other text as it is. */
export function usTime(iso: string): string {
  if (iso.length !== 16) return iso;
  const hour = Number(iso.slice(11, 13));
  const h12 = hour % 12 === 0 ? 12 : hour % 12;
  return `${Number(iso.slice(5, 7))}/${Number(iso.slice(8, 10))}/${iso.slice(0, 4)} ${h12}:${iso.slice(14, 16)} ${hour < 12 ? "AM" : "PM"}`;
}

/** Rewrites the given columns of a CSV with no quoted fields, line by line. */
async function rewriteCsv(from: string, to: string, columns: readonly number[]): Promise<void> {
  const fd = openSync(to, "w");
  let buffer: string[] = [];
  let header = true;
  for await (const line of createInterface({ input: createReadStream(from) })) {
    if (header || line === "") {
      header = false;
      buffer.push(`${line}\n`);
      continue;
    }
    const cells = line.split(",");
    for (const c of columns) cells[c] = usTime(cells[c]!);
    buffer.push(`${cells.join(",")}\n`);
    if (buffer.length >= 20000) {
      writeSync(fd, buffer.join(""));
      buffer = [];
    }
  }
  writeSync(fd, buffer.join(""));
  closeSync(fd);
}

/** The example policies, with every lead time and the activities' `at` read in the US format. */
function formattedPolicies(out: string): void {
  cpSync("policies", out, { recursive: true });
  const file = path.join(out, "agreement.policy");
  const text = readFileSync(file, "utf8").replace(/(\btime from "[^"]*")/g, `$1 format "${US_PATTERN}"`);
  writeFileSync(file, `${text}\nactivity fields {\n  at time format "${US_PATTERN}"\n}\n`);
}

export interface FormatRuns {
  leads: number;
  iso: { medianMs: number; peakMiB: number };
  us: { medianMs: number; peakMiB: number };
  usOverIso: number;
  countsAgree: boolean;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** eval on the ISO export and on its US-formatted twin, `repeat` times each, alternating. */
export async function formatRuns(clean: string, leads: number, tmp: string, repeat: number): Promise<FormatRuns> {
  if (!existsSync(path.join(clean, "leads.csv"))) generate(leads, clean, 7);
  const snapshot = path.join(tmp, "formats-snapshot");
  const policies = path.join(tmp, "formats-policies");
  mkdirSync(snapshot, { recursive: true });
  // Create, MQL, SQL and Close dates (bench/generate.ts's columns); the activities' `at`.
  await rewriteCsv(path.join(clean, "leads.csv"), path.join(snapshot, "leads.csv"), [10, 11, 12, 15]);
  await rewriteCsv(path.join(clean, "activities.csv"), path.join(snapshot, "activities.csv"), [2]);
  cpSync(path.join(clean, "snapshot.yaml"), path.join(snapshot, "snapshot.yaml"));
  formattedPolicies(policies);
  const report = (name: string) => path.join(tmp, `formats-${name}.json`);
  const args = {
    iso: ["dist/cli/main.js", "eval", "--snapshot", clean, "--format", "json", "--output", report("iso"), "--fail-on", "never", "--max-rejected", "100%"],
    us: ["dist/cli/main.js", "eval", "--policies", policies, "--snapshot", snapshot, "--format", "json", "--output", report("us"), "--fail-on", "never", "--max-rejected", "100%"],
  };
  const runs: Record<"iso" | "us", Run[]> = { iso: [], us: [] };
  for (let r = 0; r < repeat; r++) {
    for (const name of r % 2 === 0 ? (["iso", "us"] as const) : (["us", "iso"] as const)) {
      process.stdout.write(`  ${leads} leads, formats run ${r + 1}/${repeat}: ${name}\n`);
      runs[name].push(measure(args[name], tmp));
    }
  }
  const counts = (name: string) => {
    const json = JSON.parse(readFileSync(report(name), "utf8")) as { definitions: unknown; slas: Array<{ id: string; totals: unknown }>; input: { files: Array<{ read: number; used: number }> } };
    return JSON.stringify([json.definitions, json.slas.map((s) => [s.id, s.totals]), json.input.files.map((f) => [f.read, f.used])]);
  };
  rmSync(snapshot, { recursive: true, force: true });
  rmSync(policies, { recursive: true, force: true });
  const summary = (rs: Run[]) => ({ medianMs: Math.round(median(rs.map((r) => r.ms))), peakMiB: Math.round(Math.max(...rs.map((r) => r.rssMiB))) });
  const iso = summary(runs.iso);
  const us = summary(runs.us);
  return { leads, iso, us, usOverIso: Number((us.medianMs / iso.medianMs).toFixed(2)), countsAgree: counts("iso") === counts("us") };
}

if (process.argv[1]?.endsWith("formats.ts")) {
  const leads = Number(arg("leads", "20000"));
  const tmp = path.join(os.tmpdir(), `smarketing-formats-${process.pid}`);
  mkdirSync(tmp, { recursive: true });
  try {
    const r = await formatRuns(path.join("bench/data", String(leads)), leads, tmp, Number(arg("repeat", "3")));
    console.log(`${leads} leads: ISO ${r.iso.medianMs} ms (${r.iso.peakMiB} MiB), "${US_PATTERN}" ${r.us.medianMs} ms (${r.us.peakMiB} MiB): ${r.usOverIso}×; counts ${r.countsAgree ? "agree" : "DIFFER"}`);
    if (!r.countsAgree) process.exitCode = 1;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Evidence for the choice of CSV parser: speed on the benchmark files and correctness on the
 * csv-spectrum cases (RFC 4180 edge cases: quotes, embedded newlines, CRLF, escaped quotes).
 *
 *   npx tsx bench/csv-parsers.ts bench/data/100000   → bench/results/csv-parsers.json
 */
import { createReadStream, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parse as csvParse } from "csv-parse";
import Papa from "papaparse";
import csvParser from "csv-parser";
import { inferSchema, initParser } from "udsv";

const require = createRequire(import.meta.url);

type Counter = (file: string) => Promise<{ rows: number; chars: number }>;

/** Each parser streams the file and touches every field, so none can skip work. */
const PARSERS: Record<string, Counter> = {
  "csv-parse": async (file) => {
    let rows = 0;
    let chars = 0;
    for await (const record of createReadStream(file).pipe(csvParse({ bom: true, relax_column_count: true })) as AsyncIterable<string[]>) {
      rows++;
      for (const f of record) chars += f.length;
    }
    return { rows, chars };
  },
  papaparse: (file) =>
    new Promise((resolve, reject) => {
      let rows = 0;
      let chars = 0;
      Papa.parse(createReadStream(file) as unknown as File, {
        step: (r: { data: string[] }) => {
          rows++;
          for (const f of r.data) chars += f.length;
        },
        complete: () => resolve({ rows, chars }),
        error: reject,
      });
    }),
  "csv-parser": async (file) => {
    let rows = 0;
    let chars = 0;
    for await (const record of createReadStream(file).pipe(csvParser({ headers: false })) as AsyncIterable<Record<string, string>>) {
      rows++;
      for (const k in record) chars += record[k]!.length;
    }
    return { rows, chars };
  },
  udsv: async (file) => {
    let rows = 0;
    let chars = 0;
    let parser: ReturnType<typeof initParser> | null = null;
    let header = true;
    for await (const chunk of createReadStream(file, { encoding: "utf8" })) {
      parser ??= initParser(inferSchema(chunk as string, { header: () => [] }));
      parser.chunk<string[]>(chunk as string, parser.stringArrs, (row) => {
        if (header) {
          header = false;
        }
        rows++;
        for (const f of row) chars += f.length;
      });
    }
    parser?.end();
    return { rows, chars };
  },
};

/** Parses a csv-spectrum case with a header, to the list of objects its .json holds. */
function parseObjects(name: string, text: string): Record<string, string>[] {
  switch (name) {
    case "csv-parse":
      return require("csv-parse/sync").parse(text, { columns: true, bom: true }) as Record<string, string>[];
    case "papaparse":
      return Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true }).data;
    case "csv-parser": {
      // csv-parser is stream-only; feed it the whole text.
      const rows: Record<string, string>[] = [];
      const p = csvParser();
      p.on("data", (r: Record<string, string>) => rows.push(r));
      p.write(text);
      p.end();
      return rows;
    }
    case "udsv": {
      if (text.trim() === "") return [];
      const parser = initParser(inferSchema(text));
      return parser.stringObjs(text) as Record<string, string>[];
    }
    default:
      throw new Error(name);
  }
}

async function correctness(): Promise<Record<string, { passed: number; failed: string[] }>> {
  const cases: Array<{ name: string; csv: Buffer; json: Buffer }> = await new Promise((resolve, reject) =>
    (require("csv-spectrum") as (cb: (err: unknown, data: Array<{ name: string; csv: Buffer; json: Buffer }>) => void) => void)((err, data) => (err ? reject(err) : resolve(data))),
  );
  const out: Record<string, { passed: number; failed: string[] }> = {};
  for (const name of Object.keys(PARSERS)) {
    out[name] = { passed: 0, failed: [] };
    for (const c of cases) {
      let ok = false;
      try {
        const got = await Promise.resolve(parseObjects(name, c.csv.toString("utf8")));
        await new Promise((r) => setImmediate(r));
        ok = JSON.stringify(got) === JSON.stringify(JSON.parse(c.json.toString("utf8")));
      } catch {
        ok = false;
      }
      if (ok) out[name]!.passed++;
      else out[name]!.failed.push(c.name);
    }
  }
  return out;
}

async function main() {
  const dir = process.argv[2] ?? "bench/data/100000";
  const files = ["leads.csv", "activities.csv"].map((f) => path.join(dir, f));
  const bytes = files.reduce((n, f) => n + readFileSync(f).length, 0);
  const speed: Record<string, { medianMs: number; runsMs: number[]; rows: number }> = {};
  for (const name of Object.keys(PARSERS)) speed[name] = { medianMs: 0, runsMs: [], rows: 0 };
  for (let round = 0; round < 3; round++) {
    for (const [name, parse] of Object.entries(PARSERS)) {
      const start = performance.now();
      let rows = 0;
      for (const f of files) rows += (await parse(f)).rows;
      speed[name]!.runsMs.push(Math.round(performance.now() - start));
      speed[name]!.rows = rows;
    }
  }
  for (const s of Object.values(speed)) s.medianMs = [...s.runsMs].sort((a, b) => a - b)[1]!;
  const spectrum = await correctness();
  const result = { files: dir, megabytes: Math.round(bytes / 1e6), speed, csvSpectrum: spectrum };
  writeFileSync("bench/results/csv-parsers.json", `${JSON.stringify(result, null, 2)}\n`);
  for (const [name, s] of Object.entries(speed)) {
    console.log(`${name.padEnd(11)} ${String(s.medianMs).padStart(6)} ms  ${s.rows} rows  csv-spectrum ${spectrum[name]!.passed}/${spectrum[name]!.passed + spectrum[name]!.failed.length}${spectrum[name]!.failed.length ? ` (fails ${spectrum[name]!.failed.join(", ")})` : ""}`);
  }
}

await main();

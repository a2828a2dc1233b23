import { stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSV } from "../../src/snapshot/csv.js";
import type { DataFile, FileFormat, Format, RowEvent } from "../../src/snapshot/format.js";
import { JSON_ARRAY } from "../../src/snapshot/json.js";
import { NDJSON } from "../../src/snapshot/ndjson.js";
import { tempDir } from "../helpers.js";

const ROWS = 5000;
const leads = Array.from({ length: ROWS }, (_, i) => ({ id: `L${i}`, score: i % 97, region: ["north", "south", "east"][i % 3]! }));

const TEXT: Record<Format, string> = {
  csv: `id,score,region\n${leads.map((l) => `${l.id},${l.score},${l.region}`).join("\n")}\n`,
  ndjson: `${leads.map((l) => JSON.stringify(l)).join("\n")}\n`,
  json: `[\n${leads.map((l) => `  ${JSON.stringify(l)}`).join(",\n")}\n]\n`,
};
const MODULES: Record<Format, FileFormat> = { csv: CSV, ndjson: NDJSON, json: JSON_ARRAY };

let dir: string;
let cleanup: () => Promise<void>;
const files = {} as Record<Format, DataFile>;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  for (const format of Object.keys(TEXT) as Format[]) {
    const absolute = path.join(dir, `leads.${format}`);
    await writeFile(absolute, TEXT[format]);
    files[format] = { kind: "leads", file: `leads.${format}`, absolute, format, bytes: (await stat(absolute)).size };
  }
});
afterAll(() => cleanup());

async function ids(format: Format, range?: { start: number; end: number }): Promise<string[]> {
  const seen: string[] = [];
  await MODULES[format].rows(files[format], (row: RowEvent) => {
    if ("record" in row) seen.push(String(row.record.get("id")));
  }, { range });
  return seen;
}

/** One module per format, each with the seam's rows, estimate and split. */
describe("snapshot file formats", () => {
  for (const format of Object.keys(TEXT) as Format[]) {
    it(`${format}: every row read, and an estimate from the file's head within 10% of the count`, async () => {
      expect(await ids(format)).toEqual(leads.map((l) => l.id));
      const estimate = MODULES[format].estimate(files[format]);
      expect(Math.abs(estimate - ROWS)).toBeLessThan(ROWS * 0.1);
    });
  }

  it("csv: the parts between its cuts hold every row once, in order", async () => {
    const cuts = CSV.split(files.csv, [0.3, 0.6]);
    expect(cuts).toHaveLength(2);
    const bounds = [0, ...cuts, Infinity];
    const parts: string[] = [];
    for (let i = 0; i + 1 < bounds.length; i++) parts.push(...(await ids("csv", { start: bounds[i]!, end: bounds[i + 1]! })));
    expect(parts).toEqual(leads.map((l) => l.id));
  });

  it("ndjson and json are not cut: read whole on one thread", () => {
    expect(NDJSON.split(files.ndjson, [0.5])).toEqual([]);
    expect(JSON_ARRAY.split(files.json, [0.5])).toEqual([]);
  });
});

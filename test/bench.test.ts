import { describe, expect, it } from "vitest";
import { runBenchScript } from "./helpers.js";

/**
 * CI runs the benchmark only at a small size, as a smoke test: it must run end to end and
 * eval's counts must equal the hand-written floor's. No timing is asserted here; speed is
 * measured by `npm run bench` and recorded in bench/results/.
 */
describe("npm run bench, at a small size", () => {
  it("runs every contender and eval agrees with the floor", async () => {
    const results = (await runBenchScript("bench/run.ts", ["--sizes", "2000", "--repeat", "1", "--jre-sample", "500"], "latest.json")) as {
      countsAgreeWithFloor: boolean;
      results: Array<{
        leads: number;
        ratios: Record<string, number>;
        jsonRulesEngine: { sampleLeads: number };
        engines: { sameReports: boolean; peerOnParquet: { medianMs: number }; duckdbOnParquet: { peakMiB: number } };
      }>;
      validate500x500: { errors: number };
      machine: { cores: number };
      faults: { leads: number; runs: Array<{ fault: string; format: string; notUsed: number; rejectsFileHoldsEveryRow: boolean }> };
      formats: { leads: number; countsAgree: boolean };
    };
    expect(results.countsAgreeWithFloor).toBe(true);
    expect(results.results[0]!.leads).toBe(2000);
    expect(Object.keys(results.results[0]!.ratios).sort()).toEqual(["evalOverFloor", "evalOverReadingAlone", "jsonRulesEngineOverEval"]);
    // DuckDB on the CSV and on its Parquet copy give eval's report; the SQL peer ran on both.
    const engines = results.results[0]!.engines;
    expect(engines.sameReports).toBe(true);
    expect(engines.peerOnParquet.medianMs).toBeGreaterThan(0);
    expect(engines.duckdbOnParquet.peakMiB).toBeGreaterThan(0);
    expect(results.results[0]!.jsonRulesEngine.sampleLeads).toBe(500);
    expect(results.validate500x500.errors).toBe(0);
    expect(results.machine.cores).toBeGreaterThan(0);
    // The clean export and three faulty ones in text and JSON, each --rejects file holding every row not used.
    expect(results.faults.leads).toBe(2000);
    expect(results.faults.runs.map((r) => `${r.fault} ${r.format}`)).toEqual(
      ["clean", "sixth-rejected", "every-id-twice", "three-unmatched-activities-per-lead"].flatMap((f) => [`${f} text`, `${f} json`]),
    );
    for (const r of results.faults.runs) {
      if (r.fault === "clean") expect(r.notUsed).toBe(0);
      else expect(r.notUsed).toBeGreaterThan(0);
      expect(r.rejectsFileHoldsEveryRow).toBe(true);
    }
    // The same export with US-formatted times evaluates to the same counts.
    expect(results.formats).toMatchObject({ leads: 2000, countsAgree: true });
  }, 300_000);
});

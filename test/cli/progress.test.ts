import { describe, expect, it } from "vitest";
import type { CliIO } from "../../src/cli/io.js";
import { durationWords, progressBar, progressLine } from "../../src/cli/progress.js";
import type { DataFile } from "../../src/snapshot/read.js";

const MiB = 1024 * 1024;

describe("the progress line: share, rows per second and time left", () => {
  it("after ten seconds at a quarter of the file: the rate and thirty seconds left", () => {
    const line = progressLine({ name: "leads.csv", bytes: 25 * MiB, totalBytes: 100 * MiB, rows: 250_000, elapsedMs: 10_000 });
    expect(line).toBe("leads.csv [########......................] 25% · 25,000 rows/s · 30 s left");
  });

  it("in the first second only the bar: an estimate from a few chunks swings too much", () => {
    expect(progressLine({ name: "leads.csv", bytes: MiB, totalBytes: 100 * MiB, rows: 9_000, elapsedMs: 400 })).toBe(
      "leads.csv [..............................] 1%",
    );
  });

  it("time left in words", () => {
    expect([durationWords(0), durationWords(999), durationWords(59_500), durationWords(185_000), durationWords(3_725_000)]).toEqual([
      "0 s",
      "1 s",
      "1 min",
      "3 min 5 s",
      "1 h 2 min",
    ]);
  });

  it("progressBar writes the line for a large file on a terminal, from the clock it is given", () => {
    let err = "";
    const io: CliIO = { cwd: "/", env: {}, stdout: () => {}, stderr: (t) => void (err += t), stdoutIsTTY: true, stderrIsTTY: true, readStdin: async () => "" };
    let clock = 1_000;
    const bar = progressBar(io, () => clock)!;
    const file: DataFile = { kind: "leads", file: "snapshots/big/leads.csv", absolute: "/x/leads.csv", format: "csv", bytes: 200 * MiB };
    bar(file, 10 * MiB, 40_000);
    clock += 4_000;
    bar(file, 50 * MiB, 200_000);
    expect(err).toContain("\rleads.csv [########......................] 25% · 50,000 rows/s · 12 s left\x1b[K");
    bar(file, 200 * MiB, 800_000);
    expect(err.endsWith("\r\x1b[K")).toBe(true);
  });

  it("nothing off a terminal", () => {
    const io: CliIO = { cwd: "/", env: {}, stdout: () => {}, stderr: () => {}, stdoutIsTTY: false, stderrIsTTY: false, readStdin: async () => "" };
    expect(progressBar(io)).toBeUndefined();
  });
});

import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { diagnostic } from "../../src/lang/diagnostics.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { LineIndex } from "../../src/lang/range.js";
import { renderDiagnosticsText } from "../../src/report/diagnostics-text.js";
import { forEachRow, type DataFile } from "../../src/snapshot/read.js";
import { tempDir } from "../helpers.js";

/**
 * Work that was quadratic in its input is linear: the same task on an input 4 times larger takes
 * about 4 times as long, where the quadratic code took about 16 times. Not a timed test in the
 * sense the brief forbids (no wall time is asserted): it compares two CPU times measured in the same
 * process moments apart, so a slow or busy machine scales both. Each is the fastest of 5 runs,
 * alternated, which drops a run a pause or a garbage collection landed in, and the bound, 10, sits
 * far from both 4 (linear) and 16 (quadratic): a pause would have to slow all five larger runs
 * by 2.5 times to fail it. Each small run does tens of milliseconds of work, far above timer
 * resolution.
 */
const LINEAR_BOUND = 10;

/**
 * CPU time of this process, not wall time: on a busy machine (CI, or tests running side by side)
 * wall time includes waiting for a core, which another process decides.
 */
async function cpuMs(task: () => unknown): Promise<number> {
  const start = process.cpuUsage();
  await task();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

async function growth(task: (scale: number) => unknown): Promise<number> {
  await task(1); // warm up: compile the code paths first
  // Alternate the sizes, fastest of five each: a pause lands in one run, not in every large one.
  let small = Infinity;
  let large = Infinity;
  for (let i = 0; i < 5; i++) {
    small = Math.min(small, await cpuMs(() => task(1)));
    large = Math.min(large, await cpuMs(() => task(4)));
  }
  return large / Math.max(small, 0.5);
}

describe("time linear in the input (1× against 4×)", () => {
  it("a CSV field of 0.9 MiB against 3.6 MiB (its unfinished row was re-read per 64 KiB chunk)", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const files = new Map<number, DataFile>();
      for (const scale of [1, 4]) {
        const text = `id,note\nL1,${"x".repeat(scale * 900 * 1024)}\nL2,b\n`;
        const absolute = path.join(dir, `leads-${scale}.csv`);
        await writeFile(absolute, text);
        files.set(scale, { kind: "leads", file: "leads.csv", absolute, format: "csv", bytes: text.length });
      }
      const csv = await growth((scale) => forEachRow(files.get(scale)!, () => undefined));
      expect(csv).toBeLessThan(LINEAR_BOUND);
    } finally {
      await cleanup();
    }
  });

  it("checking 1,000 against 4,000 unknown references ('did you mean' compared each with every id)", async () => {
    const policy = (n: number) =>
      `agreement "a" {\n  timezone "UTC"\n}\nfields {\n  demo boolean\n}\n` +
      Array.from({ length: n }, (_, i) => `lead def_${i} "d" {\n  when demo or ref_${i}\n}\n`).join("");
    const texts = new Map([1, 4].map((scale) => [scale, policy(scale * 1000)]));
    const ratio = await growth((scale) => analyzePolicySet([{ path: "p.policy", text: texts.get(scale)! }]));
    expect(ratio).toBeLessThan(LINEAR_BOUND);
  });

  it("a one-line policy of 25 KB against 100 KB of '\"§ ' (positions counted from the start per error)", async () => {
    const texts = new Map([1, 4].map((scale) => [scale, '"§ '.repeat(scale * 8_500)]));
    const ratio = await growth((scale) => {
      const text = texts.get(scale)!;
      const result = analyzePolicySet([{ path: "p.policy", text }]);
      return renderDiagnosticsText(result.diagnostics, { color: false, sources: new Map([["p.policy", text]]) });
    });
    expect(ratio).toBeLessThan(LINEAR_BOUND);
  });

  it("5,000 against 20,000 diagnostics as text (the file was split into lines once per diagnostic)", async () => {
    const inputs = new Map(
      [1, 4].map((scale) => {
        const n = scale * 5_000;
        const text = "field x\n".repeat(n);
        const lines = new LineIndex(text);
        const diagnostics = Array.from({ length: n }, (_, i) => {
          const start = lines.positionAt(i * 8);
          return diagnostic("W0102", "field 'x' is not used", `f${i % 100}.policy`, { start, end: { ...start, column: 6, offset: start.offset + 5 } });
        });
        const sources = new Map(Array.from({ length: 100 }, (_, k) => [`f${k}.policy`, text]));
        return [scale, { diagnostics, sources }] as const;
      }),
    );
    const ratio = await growth((scale) => renderDiagnosticsText(inputs.get(scale)!.diagnostics, { color: false, sources: inputs.get(scale)!.sources }));
    expect(ratio).toBeLessThan(LINEAR_BOUND);
  });
});

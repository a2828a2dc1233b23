import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { editDistance, Suggestions } from "../../src/lang/suggest.js";

/** The full optimal-string-alignment table, as the tool computed it before the index: the reference. */
function fullDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** The first candidate at the least distance, if within a third of the word's length: the rule users see. */
function bruteClosest(word: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const distance = fullDistance(word.toLowerCase(), c.toLowerCase());
    if (distance < bestDistance) [best, bestDistance] = [c, distance];
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : undefined;
}

const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "_", "A", "1"), maxLength: 9 });

describe("suggestions from a candidate index", () => {
  it("the distance is the full table's", () => {
    fc.assert(fc.property(word, word, (a, b) => editDistance(a, b) === fullDistance(a, b)), { numRuns: 500 });
  });

  it("suggest exactly what comparing with every candidate suggests", () => {
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 30 }), (w, candidates) => {
        expect(new Suggestions(candidates).closest(w)).toBe(bruteClosest(w, candidates));
      }),
      { numRuns: 500 },
    );
  });

  it("compares a word only with candidates of a near length", () => {
    const index = new Suggestions(["a".repeat(3), "a".repeat(30), "a".repeat(300)]);
    expect(index.closest("a".repeat(31))).toBe("a".repeat(30));
    expect(index.work).toBe(1);
  });

  it("stops at its budget of comparisons, so 10,000 unknown names cost a bounded amount of work", () => {
    const names = Array.from({ length: 10_000 }, (_, i) => `def_${String(i).padStart(5, "0")}`);
    const index = new Suggestions(names, 50_000);
    for (let i = 0; i < 10_000; i++) index.didYouMean(`ref_${String(i).padStart(5, "0")}`);
    expect(index.work).toBeLessThanOrEqual(50_000 + names.length);
    expect(index.closest("ref_00000")).toBe("def_00000");
  });

  it("a policy with 10,000 unknown references still gets its first suggestions", () => {
    const defs = Array.from({ length: 10_000 }, (_, i) => `lead def_${String(i).padStart(5, "0")} "d" {\n  when demo or ref_${String(i).padStart(5, "0")}\n}\n`);
    const text = `agreement "a" {\n  version 1\n  effective 2026-01-01\n  timezone "UTC"\n}\nfields {\n  demo boolean\n}\n${defs.join("")}`;
    const unknown = analyzePolicySet([{ path: "p.policy", text }]).diagnostics.filter((d) => d.code === "E0205");
    expect(unknown).toHaveLength(10_000);
    expect(unknown[0]!.message).toBe("unknown field or lead definition 'ref_00000' (did you mean 'def_00000'?)");
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sortByDeadline } from "../../src/engine/lead-order.js";

const byComparator = (entries: number[], deadline: readonly number[], lead: readonly number[]): number[] =>
  [...entries].sort((a, b) => deadline[a]! - deadline[b]! || lead[a]! - lead[b]!);

describe("sortByDeadline", () => {
  it("orders entries as the comparator sort does: deadlines whole, fractional, infinite or far apart, leads in order or not", () => {
    const deadline = fc.oneof(
      fc.integer({ min: 1_700_000_000_000, max: 1_700_000_100_000 }),
      fc.constantFrom(1_700_000_000_000, 1_700_000_060_000, Infinity, 0.5, 8.64e15, -8.64e15),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(deadline, fc.integer({ min: 0, max: 50 })), { maxLength: 200 }), fc.boolean(), (rows, leadsInOrder) => {
        const deadlines = rows.map(([d]) => d);
        const leads = leadsInOrder ? rows.map((_, i) => i * 3) : rows.map(([, l]) => l);
        // A result's entries: ascending, some left out.
        const entries = rows.map((_, i) => i).filter((i) => i % 3 !== 1);
        const expected = byComparator(entries, deadlines, leads);
        expect(sortByDeadline(entries, (i) => deadlines[i]!, (i) => leads[i]!)).toEqual(expected);
        expect(entries).toEqual(expected);
      }),
    );
  });

  it("breaks ties of deadline by lead number", () => {
    const deadlines = [5, 3, 5, 3, 1];
    const leads = [0, 1, 2, 3, 4];
    expect(sortByDeadline([0, 1, 2, 3, 4], (i) => deadlines[i]!, (i) => leads[i]!)).toEqual([4, 1, 3, 0, 2]);
  });
});

import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { NamedIds } from "../../src/engine/named-ids.js";

describe("NamedIds", () => {
  it("finds what a Map would, for numbers named in order, out of order, and twice", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.string()), { maxLength: 300 }), fc.array(fc.integer({ min: -5, max: 205 }), { maxLength: 50 }), (named, asked) => {
        const ids = new NamedIds();
        const map = new Map<number, string>();
        for (const [lead, id] of named) {
          ids.add(lead, id);
          map.set(lead, id);
        }
        for (const lead of [...asked, ...map.keys()]) expect(ids.get(lead)).toBe(map.get(lead));
      }),
    );
  });

  it("keeps a run named in ascending order as it came, and sorts two runs once", () => {
    const ids = new NamedIds();
    for (const n of [1, 4, 9]) ids.add(n, `a${n}`);
    expect([ids.get(4), ids.get(5), ids.get(0), ids.get(10)]).toEqual(["a4", undefined, undefined, undefined]);
    for (const n of [0, 4, 7]) ids.add(n, `b${n}`);
    expect([0, 1, 4, 7, 9].map((n) => ids.get(n))).toEqual(["b0", "a1", "b4", "b7", "a9"]);
    expect(ids.size).toBe(5);
  });
});

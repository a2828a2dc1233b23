import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { IdMap } from "../../src/engine/id-map.js";

describe("IdMap", () => {
  it("agrees with Map under any sequence of sets, adds and gets", () => {
    // Short ids over a small alphabet, so that the same id comes back and hashes collide in small tables.
    const id = fc.oneof(fc.string({ unit: fc.constantFrom("a", "b", "1", "é", "😀"), maxLength: 4 }), fc.string({ maxLength: 30 }));
    const op = fc.oneof(
      fc.record({ set: id, value: fc.integer({ min: 0, max: 0x7ffffffe }) }),
      fc.record({ addNew: id, value: fc.integer({ min: 0, max: 0x7ffffffe }) }),
      fc.record({ get: id }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 400, size: "max" }), (ops) => {
        const ours = new IdMap();
        const reference = new Map<string, number>();
        for (const o of ops) {
          if ("set" in o) {
            ours.set(o.set, o.value);
            reference.set(o.set, o.value);
          } else if ("addNew" in o) {
            const had = reference.get(o.addNew);
            if (had === undefined) reference.set(o.addNew, o.value);
            expect(ours.addNew(o.addNew, o.value)).toBe(had);
          } else {
            expect(ours.get(o.get)).toBe(reference.get(o.get));
            expect(ours.has(o.get)).toBe(reference.has(o.get));
          }
          expect(ours.size).toBe(reference.size);
        }
        for (const [key, value] of reference) expect(ours.get(key)).toBe(value);
        // A Map iterates in the order keys were first added: nthKey gives them back in that order.
        const keys = [...reference.keys()];
        expect(keys.map((_, n) => ours.nthKey(n))).toEqual(keys);
        // isNth says yes for the n-th key only, and no for a number out of range.
        for (const o of ops.slice(0, 20)) {
          const key = "get" in o ? o.get : "set" in o ? o.set : o.addNew;
          for (let n = -1; n <= keys.length; n++) expect(ours.isNth(n, key)).toBe(keys[n] === key);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("keeps every one of many ids through its growth", () => {
    const ids = new IdMap();
    for (let i = 0; i < 50_000; i++) ids.set(`00Q5e00000${i.toString(36).padStart(8, "0")}`, i);
    expect(ids.size).toBe(50_000);
    let found = 0;
    for (let i = 0; i < 50_000; i++) if (ids.get(`00Q5e00000${i.toString(36).padStart(8, "0")}`) === i) found++;
    expect(found).toBe(50_000);
    expect(ids.get("00Q5e00000zzzzzzzz")).toBeUndefined();
  });

  it("keeps Latin-1 ids, then wide and very long ones, in a map sized up front", () => {
    const ids = new IdMap(1000);
    const keys = ["L1", "é1", "x".repeat(70_000), "L2", "😀", "L3"];
    keys.forEach((k, i) => ids.set(k, i));
    keys.forEach((k, i) => expect(ids.get(k)).toBe(i));
    expect(ids.get("x".repeat(69_999))).toBeUndefined();
    expect(ids.size).toBe(keys.length);
  });

  it("takes only integers from 0 to 2^31 - 2 as values (a slot holds the value plus one)", () => {
    expect(() => new IdMap().set("a", -1)).toThrow(RangeError);
    expect(() => new IdMap().set("a", 1.5)).toThrow(RangeError);
    expect(() => new IdMap().set("a", 0x7fffffff)).toThrow(RangeError);
    expect(new IdMap().set("a", 0x7ffffffe).get("a")).toBe(0x7ffffffe);
    expect(new IdMap().set("a", 0).get("a")).toBe(0);
  });
});

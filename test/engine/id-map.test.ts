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

  it("agrees with Map while ids come in order, numbered as added, and after the first that does not", () => {
    // Ids in ascending order (shorter first) numbered 0, 1, 2…, as a sorted lead export adds them;
    // then look-ups, and at some point an id out of order or a value that is not its number.
    const id = fc.string({ unit: fc.constantFrom("a", "b", "1", "é", "😀"), maxLength: 4 });
    const byLength = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
    fc.assert(
      fc.property(fc.uniqueArray(id, { maxLength: 200 }), fc.array(id, { maxLength: 300 }), fc.nat(250), fc.boolean(), (keys, lookups, breakAt, wrongValue) => {
        keys.sort(byLength);
        const ours = new IdMap();
        const reference = new Map<string, number>();
        keys.forEach((key, n) => {
          if (n === breakAt && wrongValue) {
            expect(ours.addNew(key, n + 7)).toBeUndefined();
            reference.set(key, n + 7);
          } else {
            expect(ours.addNew(key, n)).toBe(reference.get(key));
            if (!reference.has(key)) reference.set(key, n);
          }
          // Look-ups between additions: a binary search while in order, then the table.
          const probe = lookups[n % Math.max(1, lookups.length)];
          if (probe !== undefined) expect(ours.get(probe)).toBe(reference.get(probe));
        });
        // An id out of order (the first again), and one added later.
        if (keys.length > 0) expect(ours.addNew(keys[0]!, 999)).toBe(reference.get(keys[0]!));
        expect(ours.addNew("zzzzzz", 1000)).toBeUndefined();
        reference.set("zzzzzz", 1000);
        for (const key of [...lookups, ...reference.keys()]) expect(ours.get(key)).toBe(reference.get(key));
        expect(ours.size).toBe(reference.size);
        const all = [...reference.keys()];
        expect(all.map((_, n) => ours.nthKey(n))).toEqual(all);
      }),
      { numRuns: 300 },
    );
  });

  it("finds ids added in order, and a duplicate of one, before and after they move into the table", () => {
    const ids = new IdMap(100_000);
    for (let i = 0; i < 100_000; i++) expect(ids.addNew(`L${i}`, i)).toBeUndefined();
    // Duplicates are found while in order too (the first one out of order moves the keys).
    expect(ids.get("L99999")).toBe(99_999);
    expect(ids.get("L100000")).toBeUndefined();
    expect(ids.addNew("L5", 100_000)).toBe(5);
    for (let i = 0; i < 100_000; i += 997) expect(ids.get(`L${i}`)).toBe(i);
    expect(ids.size).toBe(100_000);
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

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jsonChunks } from "../../src/report/json-chunks.js";
import { maskText } from "../../src/report/mask.js";
import { maskedData } from "../../src/report/masked-data.js";

/** JSON-like data with what JSON treats specially mixed in: undefined, NaN, -0, Dates, holes, functions, toJSON. */
const special = fc.constantFrom<unknown>(undefined, Number.NaN, -0, Infinity, new Date(Date.UTC(2027, 0, 5)), () => 1, { toJSON: () => "as JSON" }, Object.create(null) as object);
const text = fc.oneof(fc.string(), fc.constantFrom("ana@x.co", "owner=bo@umbrel.io now", "L1", ""));
const { value } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: "small" }, text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null), special, tie("array"), tie("object")),
  array: fc.oneof(fc.array(tie("value"), { maxLength: 5 }), fc.sparseArray(tie("value"), { maxLength: 4 })),
  object: fc.dictionary(fc.oneof(fc.string(), fc.constantFrom("__proto__", "1", "toJSON")), tie("value"), { maxKeys: 5 }),
}));
const plain = fc.jsonValue();

/** Nested `depth` deep: below jsonChunks' and maskedData's own depth limits. */
function nested(depth: number): unknown {
  let v: unknown = { id: "ana@x.co", n: [1, 2] };
  for (let i = 0; i < depth; i++) v = i % 2 === 0 ? [v, "x"] : { k: v, at: "2027-01-05" };
  return v;
}

describe("jsonChunks writes JSON.stringify(value, null, 2) to the byte", () => {
  it("for any value, special ones included", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect([...jsonChunks(v)].join("")).toBe(`${JSON.stringify(v, null, 2)}\n`);
      }),
      { numRuns: 500 },
    );
  });
  it("for any value, whatever the size from which it opens a container (runs of small items written together)", () => {
    fc.assert(
      fc.property(value, fc.constantFrom(0, 1, 2, 3, 5, 8, 13, 512), (v, openFrom) => {
        expect([...jsonChunks(v, openFrom)].join("")).toBe(`${JSON.stringify(v, null, 2)}\n`);
      }),
      { numRuns: 1000 },
    );
  });
  it("a long array of a million leads' report's shape, in runs of small items and opened large ones", () => {
    const leads = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `L${i}`, clock: "2027-01-05T10:00:00.000Z", firstTouch: i % 3 === 0 ? null : "2027-01-06T10:00:00.000Z", touches: i % 5 }));
    const report = { slas: [{ id: "first_touch", results: [{ breachedLeads: { leads: leads(3_000), leftOut: 0 } }, { breachedLeads: { leads: leads(2), leftOut: 0 }, x: [undefined, () => 1, null] }] }], notes: [] };
    expect([...jsonChunks(report)].join("")).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });
  it("nested deeper than it opens, and in pieces of bounded size for a long array", () => {
    for (const depth of [0, 11, 12, 13, 40]) expect([...jsonChunks(nested(depth))].join("")).toBe(`${JSON.stringify(nested(depth), null, 2)}\n`);
    const long = Array.from({ length: 20_000 }, (_, i) => ({ id: `L${i}`, clock: "2027-01-05T10:00:00.000Z", touches: i % 5 }));
    const chunks = [...jsonChunks({ leads: long })];
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(70_000);
    expect(chunks.join("")).toBe(`${JSON.stringify({ leads: long }, null, 2)}\n`);
  });
});

describe("maskedData gives what a JSON round trip with masked strings gives", () => {
  const roundTrip = (v: unknown) => JSON.parse(JSON.stringify(v), (_k, x: unknown) => (typeof x === "string" ? maskText(x) : x)) as unknown;
  it("for any value JSON can write, special ones included", () => {
    fc.assert(
      fc.property(fc.oneof(value.filter((v) => JSON.stringify(v) !== undefined), plain), (v) => {
        expect(JSON.stringify(maskedData(v, maskText))).toBe(JSON.stringify(roundTrip(v)));
        expect(maskedData(v, maskText)).toStrictEqual(roundTrip(v));
      }),
      { numRuns: 500 },
    );
  });
  it("shares every part in which nothing is masked, and copies the path to a masked string", () => {
    const clean = { slas: [{ id: "first_touch", leads: [{ id: "L1" }, { id: "L2" }] }], goals: [{ id: "g" }] };
    expect(maskedData(clean, maskText)).toBe(clean);
    const leaky = { slas: [{ id: "first_touch", leads: [{ id: "L1" }, { id: "ana@x.co" }] }], goals: [{ id: "g" }] };
    const masked = maskedData(leaky, maskText);
    expect(masked.slas[0]!.leads[1]!.id).toBe("[email hidden]");
    expect(leaky.slas[0]!.leads[1]!.id).toBe("ana@x.co");
    expect(masked.slas[0]!.leads[0]).toBe(leaky.slas[0]!.leads[0]);
    expect(masked.goals).toBe(leaky.goals);
  });
  it("beyond its depth limit, through JSON", () => {
    expect(maskedData(nested(100), maskText)).toStrictEqual(roundTrip(nested(100)));
  });
});

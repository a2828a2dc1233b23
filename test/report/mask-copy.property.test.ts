import fc from "fast-check";
import { isDeepStrictEqual } from "node:util";
import { describe, expect, it } from "vitest";
import { createMasker, EMAIL_MASK, looksLikeEmail, maskText } from "../../src/report/mask.js";

/** What a masker's deep copy is defined as: the value through JSON text, each string masked. */
function throughJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => (typeof v === "string" ? maskText(v) : v));
}

function outcome(f: () => unknown): { value: unknown } | { threw: string } {
  try {
    return { value: f() };
  } catch (error) {
    return { threw: (error as Error).constructor.name };
  }
}

const masker = createMasker([], false);
const withEmails = fc.oneof(fc.string(), fc.constantFrom("ana@x.co", "see bo.li@corp.example now", "L1", "2027-01-05T14:07:00.000Z", "x＠y.z"));

describe("a masker's deep copy against copying through JSON", () => {
  it("gives the same value, or the same error, for anything", () => {
    const anything = fc.anything({
      key: fc.oneof(fc.string(), fc.constantFrom("__proto__", "toJSON", "0", "10", "constructor")),
      values: [withEmails, fc.double(), fc.constantFrom(-0, NaN, Infinity, undefined, null)],
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
      withObjectString: true,
      maxDepth: 6,
    });
    fc.assert(
      fc.property(anything, (value) => {
        // isDeepStrictEqual, not toStrictEqual: a key named "constructor" would be taken for the class.
        const copied = outcome(() => masker.deep(value));
        const viaJson = outcome(() => throughJson(value));
        expect(isDeepStrictEqual(copied, viaJson), JSON.stringify([copied, viaJson])).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it("masks every string of a report-shaped value and leaves the input as it was", () => {
    const report = { id: "L1", owner: "ana@x.co", leads: [{ id: "bo@y.org", at: "2027-01-05T14:07:00.000Z", n: -0, x: undefined, y: NaN }], skip: undefined };
    const before = JSON.stringify(report);
    const shown = masker.deep(report);
    expect(shown).toStrictEqual({ id: "L1", owner: "[email hidden]", leads: [{ id: "[email hidden]", at: "2027-01-05T14:07:00.000Z", n: 0, y: null }] });
    expect(JSON.stringify(report)).toBe(before);
  });

  it("copies past its depth limit through JSON, with the same result", () => {
    let deep: unknown = "ana@x.co";
    for (let i = 0; i < 200; i++) deep = i % 2 === 0 ? [deep] : { a: deep };
    expect(masker.deep(deep)).toStrictEqual(throughJson(deep));
  });

  it("throws on a cycle as JSON does", () => {
    const cycle: Record<string, unknown> = { a: "x" };
    cycle.self = cycle;
    expect(outcome(() => masker.deep(cycle))).toStrictEqual(outcome(() => throughJson(cycle)));
    expect(outcome(() => masker.deep(cycle))).toHaveProperty("threw", "TypeError");
  });
});

describe("maskText, which skips texts without an at sign", () => {
  // The pattern as mask.ts has it, applied to every text as it was before the skip.
  const EMAIL = /[\p{L}\p{M}\p{N}._%+-]+[@\uff20\ufe6b][\p{L}\p{M}\p{N}-]*(?:\.[\p{L}\p{M}\p{N}-]+)*/gu;
  it("hides what the pattern finds in any text, and nothing else", () => {
    const unit = fc.oneof(fc.constantFrom(..."ab.Z9_-+%@＠﹫ /'\"é用"), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 30 }), (parts) => {
        const text = parts.join("");
        expect(maskText(text)).toBe(text.replace(EMAIL, EMAIL_MASK));
        EMAIL.lastIndex = 0;
        expect(looksLikeEmail(text)).toBe(EMAIL.test(text));
        EMAIL.lastIndex = 0;
      }),
      { numRuns: 3000 },
    );
  });

  it("reads a long run of letters once, not once from each of its letters, when the text has an at sign", () => {
    // The pattern alone took 3.3 s for 80,000 letters and an address, growing with the square
    // (a free-text field or a group label of such letters hung eval for minutes).
    const run = "a".repeat(400_000);
    expect(maskText(`${run} ana@x.co ${run}`)).toBe(`${run} ${EMAIL_MASK} ${run}`);
    expect(looksLikeEmail(`${run}@`)).toBe(true);
    expect(looksLikeEmail(`${run} @x`)).toBe(false);
  });
});


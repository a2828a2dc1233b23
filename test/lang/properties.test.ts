import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { withoutRanges } from "../../src/lang/compiled.js";
import { formatSource } from "../../src/lang/format.js";
import { parseFile } from "../../src/lang/parse.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { BASE } from "./fixtures.js";
import { layoutPolicyArb } from "./generators.js";

function formatted(text: string): string {
  const result = formatSource("p.policy", text);
  if (!result.ok) throw new Error(`does not parse:\n${text}\n${JSON.stringify(result.diagnostics.map((d) => d.message))}`);
  return result.text;
}

describe("fmt laws on generated policies", () => {
  it("generated policies parse without syntax errors (the generator is honest)", () => {
    fc.assert(
      fc.property(layoutPolicyArb, (text) => {
        expect(parseFile("p.policy", text).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("fmt is idempotent", () => {
    fc.assert(
      fc.property(layoutPolicyArb, (text) => {
        const once = formatted(text);
        expect(formatted(once)).toBe(once);
      }),
      { numRuns: 300 },
    );
  });

  it("parse(fmt(p)) equals parse(p), ignoring positions", () => {
    fc.assert(
      fc.property(layoutPolicyArb, (text) => {
        const before = withoutRanges(parseFile("p.policy", text).file.blocks);
        const after = withoutRanges(parseFile("p.policy", formatted(text)).file.blocks);
        expect(after).toEqual(before);
      }),
      { numRuns: 300 },
    );
  });

  it("fmt keeps every comment", () => {
    fc.assert(
      fc.property(layoutPolicyArb, (text) => {
        const out = formatted(text);
        const comments = parseFile("p.policy", text).file.comments.map((c) => c.text);
        for (const comment of comments) expect(out).toContain(comment);
        expect(out.split("#").length).toBe(text.split("#").length);
      }),
      { numRuns: 300 },
    );
  });
});

/** Random edits of a valid policy: the kind of text a manager's half-finished change produces. */
const mutatedArb = fc
  .tuple(
    fc.nat(BASE.length),
    fc.nat(40),
    fc.constantFrom("", "{", "}", "(", ")", "[", '"', "#", "->", "and", "not", "in", "%", "@", "$", "09:00-", "2026-13-01", "\u0000", "🙂", "lead x {", "\n"),
  )
  .map(([at, cut, insert]) => BASE.slice(0, at) + insert + BASE.slice(Math.min(BASE.length, at + cut)));

const tokenSoupArb = fc
  .array(
    fc.constantFrom("lead", "sla", "goal", "{", "}", "when", "and", "or", "not", "(", ")", "x", '"t"', "1", "50%", ">=", "in", "[", "]", ",", "->", "\n", "#c\n", "expect", "count", "touches", "within", "business", "hours", "on", "fields", "text", "money", "USD", "calendar", "hours", "mon-fri", "09:00-17:00"),
    { maxLength: 60, size: "max" },
  )
  .map((ts) => ts.join(" "));

describe("no input crashes the checker", () => {
  for (const [name, arb] of [
    ["arbitrary text", fc.string({ maxLength: 200, size: "max" })],
    ["unicode text", fc.string({ unit: "grapheme", maxLength: 100, size: "max" })],
    ["token soup", tokenSoupArb],
    ["edits of a valid policy", mutatedArb],
    ["truncations of a valid policy", fc.nat(BASE.length).map((n) => BASE.slice(0, n))],
  ] as const) {
    it(`${name}: validate never throws and every range lies inside the file`, () => {
      fc.assert(
        fc.property(arb, (text) => {
          const result = analyzePolicySet([{ path: "p.policy", text }]);
          for (const d of result.diagnostics) {
            expect(d.range.start.offset).toBeGreaterThanOrEqual(0);
            expect(d.range.start.offset).toBeLessThanOrEqual(d.range.end.offset);
            expect(d.range.end.offset).toBeLessThanOrEqual(text.length);
            expect(d.range.start.line).toBeGreaterThanOrEqual(1);
          }
          // fmt either formats or refuses with diagnostics; it never throws.
          const formattedResult = formatSource("p.policy", text);
          expect(typeof formattedResult.ok).toBe("boolean");
        }),
        { numRuns: 300 },
      );
    });
  }
});

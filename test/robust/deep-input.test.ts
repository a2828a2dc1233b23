import { describe, expect, it } from "vitest";
import { MAX_CONDITION_DEPTH } from "../../src/lang/nesting.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { formatSource } from "../../src/lang/format.js";
import { buildPlan } from "../../src/engine/plan.js";
import { BASE, lineOf, mutate } from "../lang/fixtures.js";

/** Deep or long input that once overflowed the call stack ("internal error") ends in a diagnostic. */
function codes(text: string): string[] {
  return analyzePolicySet([{ path: "p.policy", text }]).diagnostics.map((d) => d.code);
}

describe("conditions nested beyond the limit", () => {
  const deep = (n: number) => mutate("score >= 60", `${"(".repeat(n)}score >= 60${")".repeat(n)}`);

  it("280 and 3,000 nested brackets give one E0007 at the first bracket past the limit", () => {
    for (const n of [280, 3000]) {
      const text = deep(n);
      const result = analyzePolicySet([{ path: "p.policy", text }]);
      expect(result.diagnostics.map((d) => d.code)).toEqual(["E0007"]);
      const line = lineOf(text, "((((");
      const column = text.split("\n")[line - 1]!.indexOf("(") + 1 + MAX_CONDITION_DEPTH;
      expect(result.diagnostics[0]!.range.start).toMatchObject({ line, column });
    }
  });

  it("3,000 'not's in a row give one E0007", () => {
    expect(codes(mutate("score >= 60", `${"not ".repeat(3000)}score >= 60`))).toEqual(["E0007"]);
  });

  it("brackets and 'not's count together, and up to the limit is fine", () => {
    // BASE already has `score >= 60` inside one bracket: 1 + 2 × 31 + the last `not`s.
    const at = (nots: string) => mutate("score >= 60", `${"not (".repeat(31)}${nots}score >= 60${")".repeat(31)}`);
    expect(1 + 2 * 31 + 1).toBe(MAX_CONDITION_DEPTH);
    expect(codes(at("not "))).toEqual([]);
    expect(codes(at("not not "))).toEqual(["E0007"]);
  });

  it("each condition too deep is reported once, in its own place", () => {
    const text = deep(100).replace("when mql and demo", `when ${"not ".repeat(100)}mql and demo`);
    expect(codes(text).filter((c) => c === "E0007")).toHaveLength(2);
  });
});

describe("long chains of definitions", () => {
  const chain = (n: number) =>
    BASE +
    Array.from({ length: n }, (_, i) => `lead d${i} "d" {\n  when d${i + 1}\n}\n`).join("") +
    `lead d${n} "d" {\n  when demo\n  since created_at\n}\nsla chained "c" {\n  owner sales\n  leads d0 from created_at\n  expect count >= 1\n  per month\n}\n`;

  it("10,000 definitions each using the next are checked and planned without overflowing", () => {
    const result = analyzePolicySet([{ path: "p.policy", text: chain(10_000) }]);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const plan = buildPlan(result.symbols, {});
    // Each definition is evaluated after the one it uses.
    const order = plan.definitions.map((d) => d.id);
    expect(order.indexOf("d10000")).toBeLessThan(order.indexOf("d0"));
    expect(order.indexOf("d1")).toBeLessThan(order.indexOf("d0"));
  });

  it("a cycle through 10,000 definitions is one E0501", () => {
    const text = chain(10_000).replace("lead d10000 \"d\" {\n  when demo", "lead d10000 \"d\" {\n  when d0");
    expect(codes(text).filter((c) => c === "E0501")).toEqual(["E0501"]);
  });

  it("a definition that uses itself names only itself", () => {
    const text = BASE + 'lead selfish "s" {\n  when selfish or demo\n}\n';
    const d = analyzePolicySet([{ path: "p.policy", text }]).diagnostics.find((x) => x.code === "E0501");
    expect(d?.message).toContain("selfish → selfish;");
  });
});

describe("a condition at the nesting limit goes through every stage", () => {
  it("is checked, lowered to IR and compiled to a predicate that answers", () => {
    // BASE has `score >= 60` inside one bracket already: 1 + 63 = the limit.
    const n = MAX_CONDITION_DEPTH - 1;
    const text = mutate("score >= 60", `${"(".repeat(n)}score >= 60${")".repeat(n)}`);
    const result = analyzePolicySet([{ path: "p.policy", text }]);
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const plan = buildPlan(result.symbols, {});
    const mql = plan.definitionById.get("mql")!;
    const values = new Array<unknown>(plan.fields.length).fill(null);
    values[plan.fieldByName.get("score")!.slot] = 75;
    values[plan.fieldByName.get("created_at")!.slot] = Date.parse("2026-06-01T00:00:00Z");
    expect(mql.predicate(values as never, [])).toBe(true);
  });
});

describe("the formatter on deep input", () => {
  it("formats a condition at the nesting limit", () => {
    const n = MAX_CONDITION_DEPTH - 1;
    const text = mutate("score >= 60", `${"(".repeat(n)}score >= 60${")".repeat(n)}`);
    const result = formatSource("p.policy", text);
    expect(result.ok).toBe(true);
    if (result.ok) expect(formatSource("p.policy", result.text)).toEqual(result);
  });
});

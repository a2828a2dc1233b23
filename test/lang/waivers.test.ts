import { describe, expect, it } from "vitest";
import { formatSource } from "../../src/lang/format.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { periodSpan } from "../../src/lang/period-literal.js";
import { codesOf } from "../helpers.js";
import { BASE, columnOf, lineOf } from "./fixtures.js";

const WAIVER = `waiver l7_duplicate "L7 was a duplicate of L3, worked there" {
  sla speed
  leads "L7"
  until 2027-03-31
}
`;

/** BASE with waiver blocks added. */
const withWaivers = (...blocks: string[]) => `${BASE}${blocks.join("")}`;

describe("waiver blocks (SPEC §8.4): parsing", () => {
  it("the SPEC example parses and checks clean", () => {
    expect(codesOf({ "p.policy": withWaivers(WAIVER) })).toEqual([]);
    const set = analyzePolicySet([{ path: "p.policy", text: withWaivers(WAIVER) }]);
    const w = set.symbols.waivers.get("l7_duplicate")!.node;
    expect(w.slas.map((s) => s.name)).toEqual(["speed"]);
    expect(w.leads.map((l) => l.value)).toEqual(["L7"]);
    expect(w.until?.value).toBe("2027-03-31");
    expect(w.title?.value).toBe("L7 was a duplicate of L3, worked there");
  });

  it("several SLAs, several leads, periods, from, a condition", () => {
    const text = withWaivers(
      `waiver a "a" {\n  sla speed, cap\n  leads "L1", "L2"\n  periods 2026-12, 2027-Q1, 2027-W05, 2027-02-03, 2027\n  until 2027-12-31\n}\n`,
      `waiver b "test records" {\n  sla speed\n  when product = "test" and score < 10\n  from 2027-01-01 until 2027-01-31\n}\n`,
    );
    expect(codesOf({ "p.policy": text })).toEqual([]);
    const set = analyzePolicySet([{ path: "p.policy", text }]);
    const a = set.symbols.waivers.get("a")!.node;
    expect(a.periods.map((p) => p.text)).toEqual(["2026-12", "2027-Q1", "2027-W05", "2027-02-03", "2027"]);
    const b = set.symbols.waivers.get("b")!.node;
    expect(b.when?.kind).toBe("And");
    expect(b.from?.value).toBe("2027-01-01");
  });

  it("period literals cover the days a report's period of that name covers", () => {
    expect(periodSpan("2027-01")).toEqual({ first: "2027-01-01", next: "2027-02-01" });
    expect(periodSpan("2027-Q4")).toEqual({ first: "2027-10-01", next: "2028-01-01" });
    expect(periodSpan("2027-W01")).toEqual({ first: "2027-01-04", next: "2027-01-11" });
    expect(periodSpan("2027-02-28")).toEqual({ first: "2027-02-28", next: "2027-03-01" });
    expect(periodSpan("2027")).toEqual({ first: "2027-01-01", next: "2028-01-01" });
    for (const bad of ["2027-13", "2027-W54", "12345", "2027-02-30"]) expect(periodSpan(bad)).toBeUndefined();
  });

  it("an impossible period is E0004 at its place", () => {
    const text = withWaivers(WAIVER.replace("  until", "  periods 2027-13\n  until"));
    expect(codesOf({ "p.policy": text })).toContainEqual(["E0004", lineOf(text, "periods 2027-13"), columnOf(text, "2027-13")]);
  });
});

describe("waiver blocks: checking", () => {
  /** The last line holding `needle`: the waivers come after BASE, whose SLAs use the same words. */
  const lastLineOf = (text: string, needle: string) => {
    const lines = text.split("\n");
    for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.includes(needle)) return i + 1;
    return 0;
  };
  const cases: Array<[string, string, string, string, string?]> = [
    ["unknown SLA, with a suggestion", WAIVER.replace("sla speed", "sla sped"), "E0701", "sped"],
    ["a count SLA", WAIVER.replace("sla speed", "sla volume"), "E0702", "volume", "sla volume"],
    ["a rate SLA", WAIVER.replace("sla speed", "sla quality"), "E0702", "quality", "sla quality"],
    ["until before from", WAIVER.replace("  until", "  from 2027-04-01\n  until"), "E0703", "2027-03-31"],
    ["a period after until", WAIVER.replace("  until", "  periods 2027-05\n  until"), "E0703", "2027-05"],
    ["leads and when both", WAIVER.replace("  until", '  when product = "x"\n  until'), "E0704", 'product = "x"'],
    ["no until", WAIVER.replace("  until 2027-03-31\n", ""), "E0103", "l7_duplicate"],
    ["no leads", WAIVER.replace('  leads "L7"\n', ""), "E0103", "l7_duplicate"],
    ["no sla", WAIVER.replace("  sla speed\n", ""), "E0103", "l7_duplicate"],
    ["no title", WAIVER.replace(' "L7 was a duplicate of L3, worked there"', ""), "E0103", "l7_duplicate"],
    ["an empty title", WAIVER.replace('"L7 was a duplicate of L3, worked there"', '"  "'), "E0103", "l7_duplicate"],
    ["unknown field in the condition", WAIVER.replace('leads "L7"', 'when prodct = "x"'), "E0205", "prodct"],
    ["overlapping waivers", WAIVER + WAIVER.replace("l7_duplicate", "again"), "W0701", '"L7"', 'leads "L7"'],
  ];
  for (const [name, waiver, code, needle, onLine] of cases) {
    it(`${code}: ${name}`, () => {
      const text = withWaivers(waiver);
      const found = codesOf({ "p.policy": text });
      const line = lastLineOf(text, onLine ?? needle);
      expect(found).toContainEqual([code, line, columnOf(text.split("\n")[line - 1]!, needle)]);
      expect(found.filter(([c]) => c !== code)).toEqual([]);
    });
  }

  it("the unknown SLA suggests the near one", () => {
    const set = analyzePolicySet([{ path: "p.policy", text: withWaivers(WAIVER.replace("sla speed", "sla sped")) }]);
    expect(set.diagnostics[0]?.message).toContain("did you mean 'speed'");
  });

  it("waivers of different leads, or at different times, do not overlap", () => {
    const other = WAIVER.replace("l7_duplicate", "l8").replace('"L7"', '"L8"');
    const later = WAIVER.replace("l7_duplicate", "later").replace("  until 2027-03-31", "  from 2027-04-01\n  until 2027-06-30");
    expect(codesOf({ "p.policy": withWaivers(WAIVER, other, later) })).toEqual([]);
  });

  it("a waiver id shares the namespace of the other blocks", () => {
    expect(codesOf({ "p.policy": withWaivers(WAIVER.replace("l7_duplicate", "speed")) }).map(([c]) => c)).toEqual(["E0101"]);
  });
});

describe("waiver blocks: formatting", () => {
  it("prints the canonical layout, keeps clause order and comments, and is idempotent", () => {
    const messy = `waiver   w  "why"{ sla speed,cap # both\n leads "L1","L2"\n  periods 2027-01 ,2027-Q2\nfrom 2027-01-01   until 2027-12-31 }\n`;
    const once = formatSource("p.policy", messy);
    expect(once.ok).toBe(true);
    if (!once.ok) return;
    expect(once.text).toBe(`waiver w "why" {\n  sla speed, cap  # both\n  leads "L1", "L2"\n  periods 2027-01, 2027-Q2\n  from 2027-01-01\n  until 2027-12-31\n}\n`);
    const twice = formatSource("p.policy", once.text);
    expect(twice.ok && twice.text).toBe(once.text);
  });

  it("a condition waiver round-trips", () => {
    const text = `waiver w "tests" {\n  sla speed\n  when product = "test" or email ends with "@example.com"\n  until 2027-03-31\n}\n`;
    const out = formatSource("p.policy", text);
    expect(out.ok && out.text).toBe(text);
  });
});

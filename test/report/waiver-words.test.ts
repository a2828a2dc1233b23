import { describe, expect, it } from "vitest";
import { diffPolicies } from "../../src/lang/diff.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { describePolicy } from "../../src/report/describe/describe.js";
import { phraseText, renderDescriptionMarkdown } from "../../src/report/describe/render.js";
import { BASE } from "../lang/fixtures.js";

const BY_ID = `waiver l7 "L7 was a duplicate of L3" {\n  sla speed\n  leads "L7", "L9"\n  until 2027-03-31\n}\n`;
const BY_CONDITION = `waiver tests "Test records are not leads" {\n  sla speed, cap\n  when product = "test"\n  periods 2027-01, 2027-Q2\n  from 2027-01-01\n  until 2027-06-30\n}\n`;

function analyze(text: string) {
  const analyzed = analyzePolicySet([{ path: "p.policy", text }]);
  expect(analyzed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return analyzed;
}

const sentence = (text: string, id: string) => {
  const a = analyze(text);
  const item = describePolicy(a.files, a.symbols).items.find((i) => i.item === "waiver" && i.id === id)!;
  return phraseText(item.sentence);
};

describe("describe says which leads are excused from what, until when, and why", () => {
  it("a waiver by id", () => {
    expect(sentence(BASE + BY_ID, "l7")).toBe(
      "Leads “L7” and “L9” are excused from speed until 31 Mar 2027 (the waiver then expires and the leads count again): reported as waived, and left out of met and breached. The reason given: “L7 was a duplicate of L3”.",
    );
  });

  it("a waiver by condition, with periods and a start", () => {
    expect(sentence(BASE + BY_CONDITION, "tests")).toMatch(
      /^Leads whose .*product.* “test” are excused from speed and cap for clocks that start in 2027-01 or 2027-Q2, on or after 1 Jan 2027, until 30 Jun 2027 /,
    );
  });

  it("the Markdown description has a section of waivers", () => {
    const a = analyze(BASE + BY_ID);
    const md = renderDescriptionMarkdown(describePolicy(a.files, a.symbols));
    expect(md).toContain("## Waivers: leads excused from SLAs");
    expect(md).toContain("- **L7 was a duplicate of L3** (`l7`): Leads “L7” and “L9” are excused from `speed`");
  });
});

describe("diff lists waivers added, removed and changed", () => {
  const files = (text: string) => analyze(text).files;
  it("added and removed", () => {
    expect(diffPolicies(files(BASE), files(BASE + BY_ID), true).changes).toEqual([{ change: "added", item: "waiver", id: "l7", details: [] }]);
    expect(diffPolicies(files(BASE + BY_ID), files(BASE), true).changes).toEqual([{ change: "removed", item: "waiver", id: "l7", details: [] }]);
  });

  it("changed: leads, SLAs, until, reason, condition and periods, each before → after", () => {
    const after = BY_ID.replace('"L7", "L9"', '"L7"').replace("sla speed", "sla speed, cap").replace("2027-03-31", "2027-04-30").replace("L7 was a duplicate of L3", "Duplicate");
    expect(diffPolicies(files(BASE + BY_ID), files(BASE + after), true).changes[0]!.details).toEqual([
      'reason: "L7 was a duplicate of L3" → "Duplicate"',
      "SLAs: speed → speed, cap",
      'leads: "L7", "L9" → "L7"',
      "until: 2027-03-31 → 2027-04-30",
    ]);
    const narrowed = BY_CONDITION.replace('product = "test"', 'product = "qa"').replace("periods 2027-01, 2027-Q2", "periods 2027-01");
    expect(diffPolicies(files(BASE + BY_CONDITION), files(BASE + narrowed), true).changes[0]!.details).toEqual([
      'leads whose: `product = "test"` → `product = "qa"`',
      "periods: 2027-01, 2027-Q2 → 2027-01",
    ]);
  });
});

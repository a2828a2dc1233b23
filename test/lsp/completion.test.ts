import { describe, expect, it } from "vitest";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { complete, contextAt } from "../../src/lsp/completion.js";

const POLICY = `agreement "A" { timezone "UTC" calendar office }
team sales { approvers @s }
calendar office { hours mon-fri 09:00-17:00 }
fields {
  score number
  at time
  amount money USD
  region text
}
lead hot { when score > 5 since at }
`;
const symbols = analyzePolicySet([{ path: "p.policy", text: POLICY }]).symbols;
const WITH_SLAS = `${POLICY}sla quick "Quick" { owner sales leads hot expect first touch within 1 hours }\nsla volume "Volume" { owner sales leads hot expect count >= 3 }\n`;
const withSlas = analyzePolicySet([{ path: "p.policy", text: WITH_SLAS }]).symbols;
const labels = (before: string) => complete(before, symbols).map((s) => s.label);

describe("completion at the cursor (from the text before it)", () => {
  it("reads the enclosing block, its clause and the word before", () => {
    expect(contextAt("sla s {\n  owner sales\n  by region, ")).toMatchObject({ block: "sla", clause: "by", previous: "," });
    expect(contextAt("sla s {\n  owner sales\n}\n")).toMatchObject({ block: undefined });
    expect(contextAt("lead l { # a { in a comment\n  when ")).toMatchObject({ block: "lead", clause: "when", previous: "when" });
  });

  it.each([
    ["top level: block keywords", "", ["agreement", "team", "calendar", "fields", "lead", "sla", "goal", "waiver"]],
    ["a clause at the start of a line", "sla s {\n  ", ["owner", "leads", "touches", "expect", "target", "minimum", "per", "by", "severity", "calendar"]],
    ["teams after owner", "sla s {\n  owner ", ["sales"]],
    ["teams after a goal's second owner", "goal g {\n  owner sales, ", ["sales"]],
    ["definitions after leads", "sla s {\n  leads ", ["hot"]],
    ["definitions after rate of", "sla s {\n  expect rate of ", ["hot"]],
    ["definitions in a funnel", "goal g {\n  funnel hot -> ", ["hot"]],
    ["calendars after on", "sla s {\n  expect first touch within 5 business hours on ", ["office"]],
    ["calendars and 'by' after an SLA's calendar", "sla s {\n  calendar ", ["office", "by"]],
    ["fields after calendar by", "sla s {\n  calendar by ", ["score", "at", "amount", "region"]],
    ["calendars in a calendar by table", 'sla s {\n  calendar by region { "EMEA": ', ["office"]],
    ["calendars after a calendar by's default", 'sla s {\n  calendar by region { "EMEA": office } default ', ["office"]],
    ["the lead's fields after lead. in a touches filter", "sla s {\n  touches owner = lead.", ["score", "at", "amount", "region"]],
    ["a goal's clauses include quotas", "goal g {\n  ", ["owner", "revenue", "average", "funnel", "by", "quotas"]],
    ["time fields after since", "lead l {\n  since ", ["at"]],
    ["money and number fields after a goal's from", "goal g {\n  revenue 5 USD per month from ", ["score", "amount"]],
    ["fields after by", "sla s {\n  by ", ["score", "at", "amount", "region"]],
    ["periods after per", "sla s {\n  per ", ["day", "week", "month", "quarter", "year"]],
    ["severities", "sla s {\n  severity ", ["hard", "soft", "advisory"]],
    ["field types in a fields block", "fields {\n  x ", ["text", "number", "boolean", "time", "date", "money"]],
  ])("%s", (_name, before, expected) => {
    expect(labels(before)).toEqual(expected);
  });

  it("fields, definitions and operators in a condition; activity columns in a touches filter", () => {
    expect(labels("lead l {\n  when score > 1 and ")).toEqual(expect.arrayContaining(["score", "region", "hot", "not", "is set"]));
    expect(labels("sla s {\n  touches ")).toEqual(expect.arrayContaining(["type", "at", "owner", "lead_id", "in"]));
    expect(complete('agreement "A" {\n  timezone ', symbols).find((s) => s.label === "America/New_York")).toMatchObject({ kind: "zone", insert: '"America/New_York"' });
  });
});

describe("completion with column formats and activity fields (SPEC §8.2)", () => {
  const withActivity = analyzePolicySet([{ path: "p.policy", text: `${POLICY}activity fields {\n  result text from "Call Result"\n}\n` }]).symbols;
  it("offers 'format' after a field's type, and the activity fields block's own fields in a touches filter", () => {
    expect(labels("fields {\n  x time ")).toContain("format");
    expect(complete("sla s {\n  touches ", withActivity).map((s) => s.label)).toEqual(expect.arrayContaining(["type", "at", "result"]));
    expect(labels("sla s {\n  touches ")).not.toContain("result");
  });
});

describe("completion in a waiver block (SPEC §8.4)", () => {
  const waiverLabels = (before: string) => complete(before, withSlas).map((s) => s.label);
  it("offers its clauses at the start of a line", () => {
    expect(waiverLabels('waiver w "why" {\n  ')).toEqual(["sla", "leads", "when", "periods", "from", "until"]);
  });
  it("offers the lead-by-lead SLAs after 'sla' and after a comma, not count or rate ones", () => {
    expect(waiverLabels('waiver w "why" {\n  sla ')).toEqual(["quick"]);
    expect(waiverLabels('waiver w "why" {\n  sla quick, ')).toEqual(["quick"]);
    expect(complete('waiver w "why" {\n  sla ', withSlas)[0]).toMatchObject({ kind: "sla", detail: "Quick" });
  });
  it("offers nothing where a quoted lead id or a date goes", () => {
    expect(waiverLabels('waiver w "why" {\n  leads ')).toEqual([]);
    expect(waiverLabels('waiver w "why" {\n  until ')).toEqual([]);
  });
  it("offers fields and definitions in its condition, as in a lead definition", () => {
    expect(waiverLabels('waiver w "why" {\n  when ')).toEqual(expect.arrayContaining(["score", "region", "hot", "and"]));
  });
});

describe("a waiver's names are occurrences: go to definition and rename reach them", () => {
  it("its id declares, its SLA ids and condition fields refer", async () => {
    const { occurrencesOf } = await import("../../src/lsp/occurrences.js");
    const text = `${WITH_SLAS}waiver w "why" {\n  sla quick\n  when region = "x"\n  until 2027-01-31\n}\n`;
    const found = occurrencesOf(analyzePolicySet([{ path: "p.policy", text }]).files).filter((o) => o.range.start.line >= text.split("\n").indexOf('waiver w "why" {') + 1);
    expect(found.map((o) => [o.namespace, o.name, o.declaration])).toEqual([
      ["id", "w", true],
      ["id", "quick", false],
      ["field", "region", false],
    ]);
  });
});

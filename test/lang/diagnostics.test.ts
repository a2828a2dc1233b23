import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DIAGNOSTIC_CODES } from "../../src/lang/diagnostics.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { codesOf, ROOT } from "../helpers.js";
import { BASE, columnOf, lineOf, mutate } from "./fixtures.js";

interface Case {
  name: string;
  text: string;
  code: string;
  /** Text at which the diagnostic must start (its first occurrence in the mutated policy). */
  at: string;
  /** When `at` appears earlier too: the text of the line it is on. */
  onLine?: string;
}

const cases: Case[] = [
  { name: "stray character", text: mutate("version 1", "version 1 $"), code: "E0001", at: "$" },
  { name: "missing closing brace, at the block left open", text: mutate('  by owner\n}', "  by owner\n"), code: "E0002", at: 'sla speed "Speed"' },
  { name: "missing closing brace at the end of the file", text: BASE.trimEnd().replace(/\}$/, ""), code: "E0002", at: 'goal revenue "Revenue"' },
  { name: "target without %", text: mutate("target 95%", "target 95 percent"), code: "E0002", at: "95 percent" },
  { name: "misspelt 'business' in a duration", text: mutate("5 business hours", "5 bussiness hours"), code: "E0105", at: "bussiness" },
  { name: "unknown top-level word", text: mutate('team sales "Sales" {', 'rule x {}\nteam sales "Sales" {'), code: "E0002", at: "rule" },
  { name: "unterminated string", text: mutate('severity soft', 'severity soft\n  calendar "office'), code: "E0003", at: '"office' },
  { name: "impossible date", text: mutate("effective 2026-01-01", "effective 2026-02-30"), code: "E0004", at: "2026-02-30" },
  { name: "impossible time", text: mutate("hours fri 09:00-15:00", "hours fri 09:00-25:00"), code: "E0004", at: "25:00" },
  { name: "unknown escape", text: mutate('"@gmail.com"', '"@gmail\\q.com"'), code: "E0004", at: '"@gmail' },
  { name: "duplicate id across kinds", text: mutate('sla cap "Cap"', 'sla mql "Cap"'), code: "E0101", at: 'mql "Cap"' },
  { name: "duplicate field", text: mutate("  demo          boolean", "  demo          boolean\n  score text"), code: "E0101", at: "score text" },
  { name: "clause twice", text: mutate("  per month", "  per month\n  per quarter"), code: "E0102", at: "per quarter" },
  { name: "missing owner", text: mutate("  owner marketing\n  leads mql\n  expect count", "  leads mql\n  expect count"), code: "E0103", at: "volume" },
  { name: "team without approvers", text: mutate("  approvers @acme/sales\n", ""), code: "E0103", at: "sales \"Sales\"" },
  { name: "money without currency", text: mutate("amount        money USD", "amount        money"), code: "E0103", at: "money" },
  { name: "second agreement", text: BASE + 'agreement "Again" {\n  timezone "UTC"\n}\n', code: "E0104", at: 'agreement "Again"' },
  { name: "unknown clause", text: mutate("  since mql_at", "  sinse mql_at"), code: "E0105", at: "sinse" },
  { name: "unknown period", text: mutate("per month", "per mounth"), code: "E0105", at: "mounth" },
  { name: "unknown severity", text: mutate("severity soft", "severity sofft"), code: "E0105", at: "sofft" },
  { name: "unknown type", text: mutate("demo          boolean", "demo          bool"), code: "E0105", at: "bool" },
  { name: "unknown unit", text: mutate("16 days", "16 dayz"), code: "E0105", at: "dayz" },
  { name: "target on an aggregate SLA", text: mutate("  expect count >= 75", "  expect count >= 75\n  target 90%"), code: "E0106", at: "90%" },
  { name: "minimum on a count SLA", text: mutate("  expect count >= 75", "  expect count >= 75\n  minimum 5 leads"), code: "E0106", at: "5 leads" },
  { name: "rate on first funnel stage", text: mutate("funnel mql -> ready 40%", "funnel mql 10% -> ready 40%"), code: "E0106", at: "10%" },
  { name: "format on a text field", text: mutate("  product       text", '  product       text format "M/d/yyyy"'), code: "E0106", at: 'format "M/d/yyyy"' },
  { name: "epoch on a number field", text: mutate('score         number from "Score"', 'score         number from "Score" format epoch ms'), code: "E0106", at: "format epoch" },
  { name: "format given twice", text: mutate("  created_at    time", '  created_at    time format epoch s format epoch ms'), code: "E0102", at: "format epoch ms" },
  { name: "unknown epoch unit", text: mutate("  created_at    time", "  created_at    time format epoch msec"), code: "E0105", at: "format epoch msec" },
  { name: "time pattern without a day", text: mutate("  created_at    time", '  created_at    time format "M/yyyy h:mm a"'), code: "E0107", at: '"M/yyyy h:mm a"' },
  { name: "12-hour clock without AM/PM", text: mutate("  created_at    time", '  created_at    time format "M/d/yyyy h:mm"'), code: "E0107", at: 'h:mm"' },
  { name: "unknown pattern letter", text: mutate("  created_at    time", '  created_at    time format "yyyy-MM-ddTHH:mm"'), code: "E0107", at: 'THH:mm"' },
  { name: "pattern quote never closed", text: mutate("  created_at    time", `  created_at    time format "yyyy-MM-dd'THH:mm"`), code: "E0107", at: `'THH:mm"` },
  { name: "pattern token twice", text: mutate("  created_at    time", '  created_at    time format "M/d/yyyy yyyy"'), code: "E0107", at: 'yyyy"' },
  { name: "pattern month twice", text: mutate("  created_at    time", '  created_at    time format "M/d/yyyy MMM"'), code: "E0107", at: 'MMM"' },
  { name: "pattern with both hour clocks", text: mutate("  created_at    time", '  created_at    time format "M/d/yyyy H:mm h a"'), code: "E0107", at: 'h a"' },
  { name: "number pattern that is not one", text: mutate('score         number from "Score"', 'score         number from "Score" format "1,234,56"'), code: "E0107", at: '"1,234,56"' },
  { name: "activity field retyped", text: mutate("fields {", "activity fields {\n  at number from \"Date\"\n}\n\nfields {"), code: "E0306", at: "number from \"Date\"" },
  { name: "activity field declared twice", text: mutate("fields {", "activity fields {\n  result text\n  result number\n}\n\nfields {"), code: "E0101", at: "result number" },
  { name: "unknown field in by", text: mutate("by product", "by prodct"), code: "E0201", at: "prodct" },
  { name: "unknown team", text: mutate("owner sales, marketing", "owner sales, marketting"), code: "E0202", at: "marketting" },
  { name: "unknown lead definition", text: mutate("leads ready from created_at", "leads redy from created_at"), code: "E0203", at: "redy" },
  { name: "unknown calendar", text: mutate("calendar office\n}", "calendar ofice\n}"), code: "E0204", at: "ofice" },
  { name: "unknown name in a condition", text: mutate("score >= 60", "scor >= 60"), code: "E0205", at: "scor >=" },
  { name: "lead field in a lead definition", text: mutate("score >= 60", "score >= lead.score"), code: "E0711", at: "lead.score" },
  { name: "lead field on the left in a touch filter", text: mutate('touches type in ["call", "email"]', "touches lead.owner = owner"), code: "E0711", at: "lead.owner =" },
  { name: "a dotted name other than lead", text: mutate('touches type in ["call", "email"]', "touches owner = leed.owner"), code: "E0711", at: "leed.owner" },
  { name: "unknown lead field in a touch filter", text: mutate('touches type in ["call", "email"]', "touches owner = lead.ownr"), code: "E0201", at: "ownr" },
  { name: "calendar by: a value twice", text: mutate("  target 95%\n  by owner", '  target 95%\n  by owner\n  calendar by product { "a": office, "a": office } default office'), code: "E0712", at: '"a": office }' },
  { name: "quotas: a group twice", text: mutate("  funnel mql -> ready 40%", '  funnel mql -> ready 40%\n  by owner\n  quotas { "ana": 5 USD, "ana": 6 USD }'), code: "E0712", at: '"ana": 6' },
  { name: "calendar by without a default", text: mutate("  target 95%\n  by owner", '  target 95%\n  by owner\n  calendar by product { "a": office }'), code: "E0713", at: "calendar by product" },
  { name: "calendar by an unknown field", text: mutate("  target 95%\n  by owner", '  target 95%\n  by owner\n  calendar by prodct { "a": office } default office'), code: "E0201", at: "prodct" },
  { name: "calendar by: unknown calendar", text: mutate("  target 95%\n  by owner", '  target 95%\n  by owner\n  calendar by product { "a": ofice } default office'), code: "E0204", at: "ofice" },
  { name: "calendar by a number field", text: mutate("  target 95%\n  by owner", '  target 95%\n  by owner\n  calendar by score { "1": office } default office'), code: "E0306", at: "score {" },
  { name: "calendar by: a value the field cannot hold", text: mutate("  target 95%\n  by owner", '  target 95%\n  by owner\n  calendar by stage { "sqll": office } default office'), code: "E0303", at: '"sqll"' },
  { name: "quotas without by", text: mutate("  funnel mql -> ready 40%", '  funnel mql -> ready 40%\n  quotas { "ana": 5 USD }'), code: "E0106", at: "quotas {" },
  { name: "quota in another currency", text: mutate("  funnel mql -> ready 40%", '  funnel mql -> ready 40%\n  by owner\n  quotas { "ana": 5 EUR }'), code: "E0305", at: "5 EUR" },
  { name: "calendar by in the agreement", text: mutate("  calendar office\n}", '  calendar by product { "a": office } default office\n}'), code: "E0106", at: "calendar by product" },
  { name: "unknown activity field", text: mutate('touches type in', 'touches kind in'), code: "E0206", at: "kind" },
  { name: "text compared with a number", text: mutate("score >= 60", 'score >= "high"'), code: "E0301", at: "score >=" },
  { name: "time compared with a boolean", text: mutate("created_at >= 2026-01-01", "created_at = true"), code: "E0301", at: "created_at = true" },
  { name: "ordering text", text: mutate('stage in ["mql", "sql"]', 'product > "a"'), code: "E0302", at: 'product > "a"' },
  { name: "contains on a number", text: mutate('email ends with "@gmail.com"', 'score contains "9"'), code: "E0302", at: 'score contains' },
  { name: "value not among one of", text: mutate('stage in ["mql", "sql"]', 'stage in ["mql", "sqll"]'), code: "E0303", at: '"sqll"' },
  { name: "text field as a condition", text: mutate("and demo and", "and product and"), code: "E0304", at: "product and" },
  { name: "currency mismatch", text: mutate("average deal 25_000 USD", "average deal 25_000 EUR"), code: "E0305", at: "25_000 EUR" },
  { name: "since on a text field", text: mutate("  since mql_at", "  since product"), code: "E0306", at: "product", onLine: "since product" },
  { name: "percentage over 100", text: mutate("target 95%", "target 120%"), code: "E0401", at: "120%" },
  { name: "funnel rate of zero", text: mutate("-> ready 40%", "-> ready 0%"), code: "E0402", at: "0%", onLine: "funnel" },
  { name: "minimum of no leads", text: mutate("target 95%", "target 95%\n  minimum 0 leads"), code: "E0403", at: "0 leads" },
  { name: "fractional count", text: mutate("count >= 75", "count >= 7.5"), code: "E0403", at: "7.5" },
  { name: "cycle", text: mutate('when stage in ["mql", "sql"] or', "when ready or stage in [\"mql\"] or"), code: "E0501", at: "mql and demo" },
  { name: "clock with no time", text: mutate("  since mql_at\n", ""), code: "E0502", at: "mql", onLine: "leads mql" },
  { name: "inverted hours", text: mutate("hours fri 09:00-15:00", "hours fri 15:00-09:00"), code: "E0601", at: "15:00-09:00" },
  { name: "overlapping hours", text: mutate("hours fri 09:00-15:00", "hours thu 16:00-18:00"), code: "E0602", at: "16:00-18:00" },
  { name: "unknown time zone", text: mutate('timezone "America/New_York"\n  calendar', 'timezone "America/New_Yrok"\n  calendar'), code: "E0603", at: '"America/New_Yrok"' },
  { name: "business duration with no calendar", text: mutate("  calendar office\n}", "}"), code: "E0604", at: "5 business hours" },
  { name: "business duration past the calendar's reach", text: mutate("5 business hours", "20000 business hours"), code: "E0606", at: "20000 business hours" },
  { name: "unknown day", text: mutate("hours fri 09:00-15:00", "hours fry 09:00-15:00"), code: "E0605", at: "fry" },
  { name: "unused definition", text: mutate("  leads mql\n  expect rate", "  leads ready\n  expect rate").replace("funnel mql -> ready 40%", "funnel ready").replace("leads mql\n  expect count", "leads ready\n  expect count").replace("when mql and", "when"), code: "W0101", at: "mql \"MQL\"" },
  { name: "unused field", text: mutate("  amount        money USD", "  amount        money USD\n  region        text"), code: "W0102", at: "region" },
  { name: "holiday twice", text: mutate("holidays 2026-12-25", "holidays 2026-12-25, 2026-12-25"), code: "W0104", at: "2026-12-25, 2026-12-25", onLine: "holidays" },
  { name: "unused calendar", text: BASE + "calendar spare {\n  hours mon 09:00-10:00\n}\n", code: "W0105", at: "spare" },
  // Waivers: more cases, with their exact places, in test/lang/waivers.test.ts.
  { name: "waiver of an unknown SLA", text: BASE + 'waiver w "x" {\n  sla sped\n  leads "L1"\n  until 2027-01-31\n}\n', code: "E0701", at: "sped" },
  { name: "waiver of a count SLA", text: BASE + 'waiver w "x" {\n  sla volume, speed\n  leads "L1"\n  until 2027-01-31\n}\n', code: "E0702", at: "volume, speed" },
  { name: "waiver ends before it starts", text: BASE + 'waiver w "x" {\n  sla speed\n  leads "L1"\n  from 2027-02-01 until 2027-01-31\n}\n', code: "E0703", at: "2027-01-31" },
  { name: "waiver by id and condition", text: BASE + 'waiver w "x" {\n  sla speed\n  leads "L1"\n  when demo\n  until 2027-01-31\n}\n', code: "E0704", at: "demo", onLine: "  when demo" },
  { name: "overlapping waivers", text: BASE + 'waiver w "x" {\n  sla speed\n  leads "L1", "L2"\n  until 2027-01-31\n}\nwaiver v "y" {\n  sla speed\n  leads "L9", "L2"\n  until 2027-01-31\n}\n', code: "W0701", at: '"L2"', onLine: 'leads "L9", "L2"' },
];

function expectedPosition(c: Case): [number, number] {
  if (c.onLine) {
    const line = lineOf(c.text, c.onLine);
    const text = c.text.split("\n")[line - 1] ?? "";
    const column = c.code === "W0104" ? text.lastIndexOf("2026-12-25") + 1 : text.indexOf(c.at) + 1;
    return [line, column];
  }
  return [lineOf(c.text, c.at), columnOf(c.text, c.at)];
}

describe("diagnostics: each mistake gives its code at its place", () => {
  it("the base fixture is clean", () => {
    expect(codesOf({ "base.policy": BASE })).toEqual([]);
  });

  it("a field named id (the lead id's column, SPEC §8.2) is used by every row, never W0102", () => {
    expect(codesOf({ "base.policy": mutate("  amount        money USD", '  amount        money USD\n  id            text from "Lead ID"') })).toEqual([]);
    expect(codesOf({ "base.policy": mutate("  amount        money USD", "  amount        money USD\n  lead_id       text") }).map(([c]) => c)).toEqual(["W0102"]);
  });

  for (const c of cases) {
    it(`${c.code}: ${c.name}`, () => {
      const found = codesOf({ "p.policy": c.text });
      const [line, column] = expectedPosition(c);
      expect(found).toContainEqual([c.code, line, column]);
    });
  }

  it("every documented code is exercised here or in the snapshot tests", () => {
    const exercised = new Set(cases.map((c) => c.code));
    // E0005/E0006 are about reading files (CLI tests); W0103, W0106 and W0107 need a snapshot
    // (eval; W0107 in test/engine/zero-and-cut.test.ts). E0007 (deep nesting) is in test/robust/deep-input.test.ts.
    // W0702 and W0703 (a waiver's lead not in the snapshot, a waiver expired) are in test/engine/waivers.test.ts.
    // W0801 and W0802 need a git history (test/engine/versions.test.ts, test/cli/versions.test.ts).
    for (const code of ["E0005", "E0006", "E0007", "W0103", "W0106", "W0107", "W0702", "W0703", "W0801", "W0802"]) exercised.add(code);
    expect([...Object.keys(DIAGNOSTIC_CODES)].filter((c) => !exercised.has(c))).toEqual([]);
  });

  it("every code is documented in docs/diagnostics.md", () => {
    const doc = readFileSync(path.join(ROOT, "docs/diagnostics.md"), "utf8");
    for (const code of Object.keys(DIAGNOSTIC_CODES)) expect(doc).toContain(`### ${code}`);
  });
});

describe("diagnostics in a policy set of several files", () => {
  it("reports each problem in its own file and all of them in one run", () => {
    const result = analyzePolicySet([
      { path: "policies/a.policy", text: mutate("by product", "by prodct") },
      { path: "policies/b.policy", text: 'lead extra "x" {\n  when scor > 1\n}\nsla s "s" {\n  owner nobody\n}\n' },
    ]);
    const where = result.diagnostics.map((d) => `${d.file}:${d.range.start.line}:${d.code}`);
    expect(where).toContain(`policies/a.policy:${lineOf(BASE, "by product")}:E0201`);
    expect(where).toContain("policies/b.policy:2:E0205");
    expect(where).toContain("policies/b.policy:5:E0202");
    expect(where).toContain("policies/b.policy:4:E0103");
  });

  it("a duplicate id names where the first one is", () => {
    const result = analyzePolicySet([
      { path: "policies/a.policy", text: BASE },
      { path: "policies/b.policy", text: 'lead mql "again" {\n  when demo\n}\n' },
    ]);
    const dup = result.diagnostics.find((d) => d.code === "E0101");
    expect(dup?.file).toBe("policies/b.policy");
    expect(dup?.range.start).toMatchObject({ line: 1, column: 6 });
    expect(dup?.message).toContain(`policies/a.policy:${lineOf(BASE, 'lead mql "MQL"')}:1`);
  });

  it("one mistake, one diagnostic: no stray word, no 'needs expect', no second error on the same span", () => {
    const mistakes: Array<[string, string, string]> = [
      ["5 business hours", "5 bussiness hours", "E0105"],
      ["5 business hours", "5 bussines hours", "E0105"],
      ["target 95%", "target 95 percent", "E0002"],
      ["target 95%", "target 95", "E0002"],
      ["  by owner\n}", "  by owner\n", "E0002"],
      // A syntax error inside a clause: no junk after it on its line, and the clause is not "missing".
      ["first touch within 5 business hours", "first touch in 5 business hours", "E0002"],
      ["first touch within 5 business hours", "first touch within five business hours", "E0002"],
      ["score >= 60", "score => 60", "E0002"],
      ["target 95%", "target ninety", "E0002"],
      ["5 business hours", "5 businesshours", "E0105"],
    ];
    for (const [from, to, code] of mistakes) {
      expect(codesOf({ "p.policy": mutate(from, to) }).map(([c]) => c), to).toEqual([code]);
    }
    const result = analyzePolicySet([{ path: "p.policy", text: mutate("5 business hours", "5 bussiness hours") }]);
    expect(result.diagnostics[0]?.message).toBe("unknown word 'bussiness' in a duration (did you mean 'business'?)");
  });

  it("a word before the unit that is nothing like 'business' is still one diagnostic", () => {
    const found = analyzePolicySet([{ path: "p.policy", text: mutate("5 business hours", "5 working hours") }]).diagnostics;
    expect(found.map((d) => [d.code, d.message])).toEqual([["E0105", "unknown word 'working' in a duration: a duration is like '5 hours' or '5 business hours'"]]);
  });

  it("one missing brace does not hide a later mistake", () => {
    const text = mutate('  by owner\n}', "  by owner\n").replace("count >= 75", "count >= 75\n  per yeer");
    const codes = codesOf({ "p.policy": text }).map(([code]) => code);
    expect(codes).toContain("E0002");
    expect(codes).toContain("E0105");
  });

  it("suggests the closest id", () => {
    const result = analyzePolicySet([{ path: "p.policy", text: mutate("leads ready from created_at", "leads redy from created_at") }]);
    expect(result.diagnostics[0]?.message).toMatch(/did you mean 'ready'\?/);
  });

  it("every range lies inside its file and starts before it ends", () => {
    for (const c of cases) {
      const result = analyzePolicySet([{ path: "p.policy", text: c.text }]);
      for (const d of result.diagnostics) {
        expect(d.range.start.offset).toBeLessThanOrEqual(d.range.end.offset);
        expect(d.range.end.offset).toBeLessThanOrEqual(c.text.length);
      }
    }
  });
});

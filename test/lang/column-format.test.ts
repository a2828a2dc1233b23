import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/engine/plan.js";
import { compilePolicy } from "../../src/lang/compiled.js";
import { numberPatternProblem, readNumberPattern, splitPattern, timePatternProblem, timePatternProblems } from "../../src/lang/column-format.js";
import { formatSource } from "../../src/lang/format.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { describePolicy } from "../../src/report/describe/describe.js";
import { leadRecordSchemaFromPlan } from "../../src/snapshot/lead-schema.js";

const POLICY = `agreement "A" {
  timezone "America/New_York"
}

fields {
  id         text from "Lead ID"
  created_at time from "Created Date" format "M/d/yyyy h:mm a"
  closed_at  time from "Close Date" format epoch ms
  amount     money USD from "Amount" format "1,234.56"
  employees  number from "Employees" format "1.234,56"
  format     text
}

activity fields {
  at     time from "Date" format "dd.MM.yyyy HH:mm"
  result text from "Call Result"
}
`;

const analyze = (text: string) => analyzePolicySet([{ path: "p.policy", text }]);

describe("the format clause and the activity fields block, as written", () => {
  it("parse without errors (a field may still be named 'format') and print back unchanged", () => {
    const analyzed = analyze(POLICY);
    expect(analyzed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    expect(formatSource("p.policy", POLICY)).toEqual({ ok: true, text: POLICY });
    const compiled = compilePolicy(analyzed.files);
    expect(compiled.fields.map((f) => [f.name.name, f.format?.kind ?? null])).toEqual([
      ["id", null],
      ["created_at", "Pattern"],
      ["closed_at", "Epoch"],
      ["amount", "Pattern"],
      ["employees", "Pattern"],
      ["format", null],
    ]);
    expect(compiled.activityFields.map((f) => f.name.name)).toEqual(["at", "result"]);
  });

  it("describe says how each column is written", () => {
    const analyzed = analyze(POLICY);
    const sentences = describePolicy(analyzed.files, analyzed.symbols).items.map((i) => JSON.stringify(i.sentence));
    expect(sentences.find((s) => s.includes("created_at"))).toContain("M/d/yyyy h:mm a");
    expect(sentences.find((s) => s.includes("closed_at"))).toContain("milliseconds since 1970");
    expect(sentences.find((s) => s.includes("result"))).toContain("Activity field");
  });

  it("the lead schema keys the id by its column and describes each format", () => {
    const plan = buildPlan(analyze(POLICY).symbols);
    const schema = leadRecordSchemaFromPlan(plan) as { required: string[]; properties: Record<string, { description: string; pattern?: string }> };
    expect(schema.required).toEqual(["Lead ID"]);
    expect(schema.properties["id"]).toBeUndefined();
    expect(schema.properties["Created Date"]!.description).toContain('written in the format "M/d/yyyy h:mm a"');
    expect(schema.properties["Created Date"]!.pattern).toBeUndefined();
    expect(schema.properties["Close Date"]!.description).toContain("epoch milliseconds");
    expect(schema.properties["Amount"]!.description).toContain('"1,234.56"');
    expect(plan.activityFields.find((f) => f.name === "at")).toMatchObject({ column: "Date", format: { kind: "time", pattern: "dd.MM.yyyy HH:mm" } });
  });
});

describe("patterns", () => {
  it("are cut into tokens and literal text as luxon cuts them", () => {
    expect(splitPattern("M/d/yyyy h:mm a")).toEqual([
      { kind: "token", token: "M" },
      { kind: "literal", text: "/" },
      { kind: "token", token: "d" },
      { kind: "literal", text: "/" },
      { kind: "token", token: "yyyy" },
      { kind: "literal", text: " " },
      { kind: "token", token: "h" },
      { kind: "literal", text: ":" },
      { kind: "token", token: "mm" },
      { kind: "literal", text: " " },
      { kind: "token", token: "a" },
    ]);
    expect(splitPattern("yyyy-MM-dd'T'HH 'o''clock'")).toContainEqual({ kind: "literal", text: "T" });
    expect(splitPattern("HH 'o''clock'").at(-1)).toEqual({ kind: "literal", text: " oclock" });
  });

  it("a time pattern must give a whole date; the 12-hour clock needs AM/PM", () => {
    for (const ok of ["M/d/yyyy h:mm a", "yyyy-MM-dd HH:mm", "d MMM yyyy", "EEE, d MMM yyyy HH:mm:ss ZZZ", "X", "yyyy-MM-dd'T'HH:mm:ss.SSSZZ"]) {
      expect(timePatternProblem(ok), ok).toBeUndefined();
    }
    expect(timePatternProblem("M/yyyy")).toContain("whole date");
    expect(timePatternProblem("M/d/yyyy h:mm")).toContain("'a'");
    expect(timePatternProblem("M/d/yyyy HH:mm a")).toContain("12-hour");
    expect(timePatternProblem("yyyy-MM-ddTHH:mm")).toContain("'T'");
    expect(timePatternProblem("D")).toContain("locale");
    expect(timePatternProblem("yyyy-MM-ddTHH:mm")).toContain("single quotes");
  });

  it("a quote left open, a thing given twice or two ways, and mixes luxon cannot read are each one problem, at their place", () => {
    const at = (pattern: string) => timePatternProblems(pattern).map((p) => pattern.slice(p.at, p.at + p.length));
    // What follows an open quote is literal text: that is the one problem, with the likely fix.
    expect(at("yyyy-MM-dd'T")).toEqual(["'T"]);
    expect(timePatternProblem("yyyy-MM-dd'THH:mm")).toContain(`"yyyy-MM-dd'T'HH:mm"?`);
    expect(timePatternProblem("yyyy-MM-dd'T")).toContain("never closed");
    // Each pattern has one problem, at this token:
    const oneProblemAt: Array<[pattern: string, token: string]> = [
      // the same thing twice, by one letter or two: at the later token;
      ["yyyy-MM-dd HH:mm yyyy", "yyyy"],
      ["M/d/yyyy MMM", "MMM"],
      ["L/d/yyyy M", "M"],
      ["M/d/yyyy HH:mm HH", "HH"],
      ["M/d/yyyy h:mm a a", "a"],
      ["yyyy-MM-dd HH:mm z ZZ", "ZZ"],
      // both clocks (not also 'h' without 'a');
      ["M/d/yyyy H:mm h", "h"],
      // mixes luxon refuses whatever the value;
      ["yyyy o M d", "o"],
      ["X yyyy", "yyyy"],
      // a week date with any calendar part, the year or a day of the year too (luxon throws on
      // these, which ended the run as an internal error): at the week's first token.
      ["kkkk-WW-d", "kkkk"],
      ["kkkk-WW yyyy", "kkkk"],
      ["kkkk-WW-c ooo", "kkkk"],
      ["yyyy-MM-dd WW", "WW"],
    ];
    for (const [pattern, token] of oneProblemAt) expect(at(pattern), pattern).toEqual([token]);
    expect(timePatternProblems("yyyy-MM-dd HH:mm yyyy")[0]!.at).toBe(17);
    expect(timePatternProblem("M/d/yyyy H:mm h")).toContain("'h' with 'a'");
    expect(timePatternProblem("kkkk-WW yyyy")).toContain("'yyyy' (the year) cannot be read together");
    // Two mistakes, two problems: a year twice, and no month or day.
    expect(timePatternProblems("yyyy yyyy").map((p) => p.message)).toEqual([expect.stringContaining("a second time"), expect.stringContaining("whole date")]);
    // 'u' is luxon's fraction of a second, never a year.
    expect(timePatternProblem("M/d/u")).toContain("whole date");
    for (const ok of ["M/d/yyyy h:mm a", "EEE, d MMM yyyy HH:mm:ss ZZZ", "yyyy-MM-dd'T'HH:mm:ss.SSSZZ", "kkkk-'W'WW", "kkkk-'W'WW-c", "yyyy-ooo"]) {
      expect(timePatternProblems(ok), ok).toEqual([]);
    }
  });

  it("the checker gives one E0107 per mistake, at the token it is about (the whole pattern for no whole date)", () => {
    const text = POLICY.replace('"dd.MM.yyyy HH:mm"', '"dd.MM.yyyy yyyy H:mm h"').replace('"M/d/yyyy h:mm a"', '"M/yyyy"');
    const found = analyze(text).diagnostics.filter((d) => d.code === "E0107");
    const quoted = (d: (typeof found)[number]) => text.split("\n")[d.range.start.line - 1]!.slice(d.range.start.column - 1, d.range.end.column - 1);
    expect(found.map(quoted)).toEqual(['"M/yyyy"', "yyyy", "h"]);
    expect(found.map((d) => d.message)).toEqual([
      expect.stringContaining("whole date"),
      expect.stringContaining("gives the year a second time"),
      expect.stringContaining("'H' and 'h' both give the hour"),
    ]);
  });

  it("a number pattern shows its thousands separator and decimal mark", () => {
    expect(readNumberPattern("1,234.56")).toEqual({ group: ",", decimal: "." });
    expect(readNumberPattern("1.234,56")).toEqual({ group: ".", decimal: "," });
    expect(readNumberPattern("1 234,56")).toEqual({ group: " ", decimal: "," });
    expect(readNumberPattern("1234.56")).toEqual({ group: "", decimal: "." });
    expect(readNumberPattern("1.234")).toEqual({ group: ".", decimal: "," });
    for (const bad of ["1,234,56", "12.34", "$1,234.56", "1,,234", ""]) expect(numberPatternProblem(bad), bad).toBeDefined();
  });
});

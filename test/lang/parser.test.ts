import { describe, expect, it } from "vitest";
import type * as A from "../../src/lang/ast.js";
import { withoutRanges } from "../../src/lang/compiled.js";
import { parseFile } from "../../src/lang/parse.js";
import { PolicyParser } from "../../src/lang/parser.js";
import { makePolicyLexer } from "../../src/lang/tokens.js";

function parseClean(text: string): A.Block[] {
  const result = parseFile("t.policy", text);
  expect(result.diagnostics).toEqual([]);
  return result.file.blocks;
}
function only<K extends A.Block["kind"]>(text: string, kind: K): Extract<A.Block, { kind: K }> {
  const blocks = parseClean(text);
  expect(blocks).toHaveLength(1);
  expect(blocks[0]!.kind).toBe(kind);
  return blocks[0] as Extract<A.Block, { kind: K }>;
}

describe("the grammar", () => {
  // Commands build the lexer and parser without chevrotain's checks, for start-up time: here
  // they are built with them, so a mistake in the token or grammar definitions fails the tests.
  it("passes chevrotain's checks of the token definitions and the grammar", () => {
    // Either throws on a definition error (chevrotain's default).
    expect(makePolicyLexer(true).lexerDefinitionErrors).toEqual([]);
    expect(() => new PolicyParser(true)).not.toThrow();
  });
});

describe("parser and AST, construct by construct", () => {
  it("agreement: version, effective date, zone, default calendar", () => {
    const a = only('agreement "Acme" {\n  version 3\n  effective 2026-12-01\n  timezone "America/New_York"\n  calendar us_office\n}', "Agreement");
    expect(withoutRanges(a)).toEqual({
      kind: "Agreement",
      title: { kind: "String", value: "Acme" },
      version: { kind: "Number", value: 3, text: "3" },
      effective: { kind: "Date", value: "2026-12-01" },
      timezone: { kind: "String", value: "America/New_York" },
      calendar: { kind: "Ident", name: "us_office" },
    });
    expect(a.range.start).toEqual({ line: 1, column: 1, offset: 0 });
    expect(a.calendar?.range).toEqual({ start: { line: 5, column: 12, offset: 95 }, end: { line: 5, column: 21, offset: 104 } });
  });

  it("team: user and org/team handles", () => {
    const t = only('team marketing "Marketing" { approvers @acme/marketing-leads, @dana }', "Team");
    expect(t.approvers.map((h) => h.value)).toEqual(["acme/marketing-leads", "dana"]);
    expect(t.approvers[1]!.range.start.column).toBe(63);
  });

  it("calendar: day ranges, several intervals a day, holidays; times normalised", () => {
    const c = only("calendar c {\n  hours mon-thu, sat 9:00-12:00, 13:00-18:00\n  holidays 2026-11-26, 2026-12-25\n}", "Calendar");
    const h = c.hours[0]!;
    expect(h.days.map((d) => [d.from.name, d.to?.name])).toEqual([["mon", "thu"], ["sat", undefined]]);
    expect(h.intervals.map((i) => [i.start.minutes, i.end.minutes, i.start.text])).toEqual([[540, 720, "09:00"], [780, 1080, "13:00"]]);
    expect(c.holidays.map((d) => d.value)).toEqual(["2026-11-26", "2026-12-25"]);
  });

  it("fields: every type and modifier; soft keywords as field names", () => {
    const f = only(
      'fields {\n  email text pii\n  stage text one of ["a", "b"] from "Stage"\n  amount money EUR\n  owner text\n  date date\n  n number\n  b boolean\n  t time\n}',
      "Fields",
    );
    expect(f.fields.map((x) => [x.name.name, x.type, x.currency?.name, x.oneOf?.map((s) => s.value), x.column?.value, x.pii])).toEqual([
      ["email", "text", undefined, undefined, undefined, true],
      ["stage", "text", undefined, ["a", "b"], "Stage", false],
      ["amount", "money", "EUR", undefined, undefined, false],
      ["owner", "text", undefined, undefined, undefined, false],
      ["date", "date", undefined, undefined, undefined, false],
      ["n", "number", undefined, undefined, undefined, false],
      ["b", "boolean", undefined, undefined, undefined, false],
      ["t", "time", undefined, undefined, undefined, false],
    ]);
  });

  it("expressions: not binds tighter than and, and than or; parentheses kept", () => {
    const l = only("lead x { when not a or b and (c or d) since t }", "Lead");
    expect(l.when?.kind).toBe("Or");
    const or = l.when as A.OrExpr;
    expect(or.operands[0]?.kind).toBe("Not");
    expect(or.operands[1]?.kind).toBe("And");
    expect((or.operands[1] as A.AndExpr).operands[1]?.kind).toBe("Paren");
  });

  it("expressions: every predicate form and literal", () => {
    const l = only(
      'lead x { when s in ["a", 1] and s not in [] and s contains "x" and s starts with "y" and s ends with "z" and s is set and s is not set and n >= 1_000 and m < 10 USD and d = 2026-01-01 and t > 2026-03-08T02:30:00-05:00 and b = true and p != 12.5% }',
      "Lead",
    );
    const kinds = (l.when as A.AndExpr).operands.map((o) => (o.kind === "Compare" ? `${o.op}:${o.right.kind}` : `${o.kind}${"negated" in o && o.negated ? "!" : ""}`));
    expect(kinds).toEqual(["In", "In!", "TextMatch", "TextMatch", "TextMatch", "IsSet", "IsSet!", ">=:Number", "<:Money", "=:Date", ">:DateTime", "=:Boolean", "!=:Percent"]);
    const n = (l.when as A.AndExpr).operands[7] as A.CompareExpr;
    expect(n.right).toMatchObject({ kind: "Number", value: 1000, text: "1_000" });
  });

  it("strings: escapes", () => {
    const l = only('lead x { when s = "a \\"q\\" \\\\ \\n \\u{e9}" }', "Lead");
    expect(((l.when as A.CompareExpr).right as A.StringLit).value).toBe('a "q" \\ \n é');
  });

  it("sla: all clauses and the four expectation forms", () => {
    const blocks = parseClean(`
sla a { owner marketing leads mql from became_mql_at expect count >= 75 per month by product, owner severity soft }
sla b { owner marketing leads mql expect rate of sales_ready >= 40% per quarter }
sla c { owner sales leads r touches type in ["call"] expect first touch within 5 business hours on other target 95% calendar us }
sla d { owner sales leads r expect touches within 16 days <= 4 target 100% }`);
    const [a, b, c, d] = blocks as A.SlaBlock[];
    expect(withoutRanges(a!.expect)).toEqual({ kind: "CountExpectation", op: ">=", value: { kind: "Number", value: 75, text: "75" } });
    expect(a!.by.map((x) => x.name)).toEqual(["product", "owner"]);
    expect(a!.clock?.name).toBe("became_mql_at");
    expect(a!.clauses.map((m) => m.keyword)).toEqual(["owner", "leads", "expect", "per", "by", "severity"]);
    expect(b!.expect).toMatchObject({ kind: "RateExpectation", definition: { name: "sales_ready" }, value: { value: 40 } });
    expect(c!.expect).toMatchObject({ kind: "FirstTouchExpectation", within: { unit: "hours", business: true, calendar: { name: "other" } } });
    expect(c!.target?.value).toBe(95);
    expect(c!.calendar?.name).toBe("us");
    expect(d!.expect).toMatchObject({ kind: "TouchesExpectation", within: { amount: { value: 16 }, unit: "days", business: false }, op: "<=", value: { value: 4 } });
  });

  it("goal: revenue, average deal, funnel with given and measured rates, owners, by", () => {
    const g = only("goal q { owner sales, marketing revenue 1_500_000 USD per quarter from deal_amount average deal 25_000 USD funnel mql -> sales_ready 40% -> won by owner }", "Goal");
    expect(g.owners.map((o) => o.name)).toEqual(["sales", "marketing"]);
    expect(g.revenue).toMatchObject({ amount: { amount: 1_500_000, currency: "USD" }, per: { name: "quarter" }, from: { name: "deal_amount" } });
    expect(g.averageDeal).toMatchObject({ amount: 25_000, currency: "USD" });
    expect(g.funnel.map((s) => [s.definition.name, s.rate?.value])).toEqual([["mql", undefined], ["sales_ready", 40], ["won", undefined]]);
    expect(g.by.map((b) => b.name)).toEqual(["owner"]);
  });

  it("comments are collected with their positions, not parsed", () => {
    const result = parseFile("t.policy", "# head\nteam s { # after brace\n  approvers @s # end\n}\n");
    expect(result.diagnostics).toEqual([]);
    expect(result.file.comments.map((c) => [c.text, c.range.start.line, c.range.start.column])).toEqual([
      ["# head", 1, 1],
      ["# after brace", 2, 10],
      ["# end", 3, 16],
    ]);
  });

  it("CRLF line endings and a byte-order mark parse like LF", () => {
    const lf = parseFile("t.policy", "team s {\n  approvers @s\n}\n");
    const crlf = parseFile("t.policy", "\uFEFFteam s {\r\n  approvers @s\r\n}\r\n");
    expect(crlf.diagnostics).toEqual([]);
    expect(withoutRanges(crlf.file.blocks)).toEqual(withoutRanges(lf.file.blocks));
    expect(crlf.file.blocks[0]!.range.end.line).toBe(3);
  });

  it("lexer and parser errors both become diagnostics with ranges", () => {
    const result = parseFile("t.policy", "team s {\n  approvers @s ;\n}\nlead x { when a = }\n");
    expect(result.diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.column])).toEqual([
      ["E0001", 2, 16],
      ["E0002", 4, 19],
    ]);
  });
});

describe("syntax errors name the construct in words", () => {
  it("never a grammar rule's own name (waiverLeadsClause), for the waiver clauses and the older ones", () => {
    const broken = [
      'waiver w "x" {\n  sla first_touch\n  leads until 2027-03-31\n}',
      'waiver w "x" {\n  sla a\n  periods until 2027-03-31\n}',
      "calendar c {\n  holidays\n}",
      'team t "x" {\n  approvers\n}',
      'sla s "x" {\n  by\n}',
    ];
    for (const text of broken) {
      const diagnostics = parseFile("t.policy", text).diagnostics;
      expect(diagnostics.map((d) => d.code), text).toEqual(["E0002"]);
      expect(diagnostics[0]!.message, text).not.toMatch(/[a-z](Clause|Block)\b/);
    }
    expect(parseFile("t.policy", 'waiver w "x" {\n  sla a\n  leads until 2027-03-31\n}').diagnostics[0]!.message).toBe(
      "expected a quoted text in 'leads' but found 'until'",
    );
  });

  it("a misspelt block keyword suggests the blocks there are, waiver and activity fields too", () => {
    const [d, more] = parseFile("t.policy", 'waivr w "x" {\n}').diagnostics;
    expect(more).toBeUndefined();
    expect(d!.code).toBe("E0002");
    expect(d!.message).toContain("did you mean 'waiver'");
    expect(d!.message).toContain("waiver");
    expect(d!.message).toContain("activity fields");
  });
});

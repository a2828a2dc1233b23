import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { beforeAll, describe, expect, it } from "vitest";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { Kw } from "../../src/lang/tokens.js";
import {
  BLOCK_KEYWORDS,
  CLAUSES,
  DURATION_UNITS,
  EPOCH_UNITS,
  EPOCH_WORD,
  FIELD_TYPES,
  GOAL_CLAUSE_RULES,
  PERIODS,
  SEVERITIES,
  SLA_CLAUSE_RULES,
  WAIVER_CLAUSE_RULES,
  WEEKDAYS,
} from "../../src/lang/vocabulary.js";
import { ROOT } from "../helpers.js";

/**
 * The TextMate grammar tokenized by the same engine VS Code uses (vscode-textmate over
 * vscode-oniguruma). Golden scope snapshots of the example agreement: rewrite them with
 * UPDATE_GOLDEN=1 after an intended grammar change, and review the diff.
 */
const GRAMMAR = path.join(ROOT, "editors/smarketing-policy.tmLanguage.json");
const SNAPSHOTS = path.join(ROOT, "test/editors/scopes");
const SCOPE = "source.smarketing-policy";

let grammar: textmate.IGrammar;

beforeAll(async () => {
  const wasm = readFileSync(createRequire(import.meta.url).resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (p) => new oniguruma.OnigScanner(p), createOnigString: (s) => new oniguruma.OnigString(s) }),
    loadGrammar: async (scopeName) => (scopeName === SCOPE ? textmate.parseRawGrammar(readFileSync(GRAMMAR, "utf8"), GRAMMAR) : null),
  });
  const loaded = await registry.loadGrammar(SCOPE);
  if (!loaded) throw new Error("grammar did not load");
  grammar = loaded;
});

interface Token {
  text: string;
  scope: string;
}

/** Each line's tokens with their innermost scope (the one a theme colours by). */
function tokenize(text: string): Token[][] {
  let stack = textmate.INITIAL;
  return text.split("\n").map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    return result.tokens
      .map((t) => ({ text: line.slice(t.startIndex, t.endIndex), scope: t.scopes[t.scopes.length - 1]!.replace(/\.smarketing-policy$/, "") }))
      .filter((t) => t.text.trim() !== "");
  });
}

function scopeOf(text: string, needle: string): string[] {
  return tokenize(text).flat().filter((t) => t.text === needle).map((t) => t.scope);
}

describe("the TextMate grammar (editors/smarketing-policy.tmLanguage.json)", () => {
  const examples = readdirSync(path.join(ROOT, "policies")).filter((f) => f.endsWith(".policy")).sort();

  for (const file of examples) {
    it(`golden scopes of policies/${file}`, () => {
      const text = readFileSync(path.join(ROOT, "policies", file), "utf8");
      const snapshot = tokenize(text)
        .map((tokens, i) => (tokens.length === 0 ? "" : `${i + 1}: ${tokens.map((t) => `${JSON.stringify(t.text)}=${t.scope}`).join(" ")}`))
        .filter(Boolean)
        .join("\n");
      const golden = path.join(SNAPSHOTS, `${file}.scopes`);
      if (process.env["UPDATE_GOLDEN"]) writeFileSync(golden, `${snapshot}\n`);
      expect(`${snapshot}\n`).toBe(readFileSync(golden, "utf8"));
      expect(snapshot).not.toContain("invalid.illegal");
    });
  }

  it("gives keywords, strings, numbers, durations, comments and handles their intended scopes", () => {
    const text = readFileSync(path.join(ROOT, "policies/slas.policy"), "utf8") + readFileSync(path.join(ROOT, "policies/agreement.policy"), "utf8");
    expect(scopeOf(text, "sla")).toEqual(Array(5).fill("storage.type.block"));
    expect(scopeOf(text, "first_touch")).toEqual(["entity.name.type"]);
    expect(scopeOf(text, "expect")).toEqual(Array(5).fill("keyword.control.clause"));
    expect(scopeOf(text, "Acme smarketing SLA")).toEqual(["string.quoted.double"]);
    expect(scopeOf(text, "75")).toEqual(["constant.numeric"]);
    expect(scopeOf(text, "95%")).toEqual(["constant.numeric.percent"]);
    expect(scopeOf(text, "2026-12-01")).toEqual(["constant.numeric.date"]);
    expect(scopeOf(text, "09:00")).toEqual(["constant.numeric.time", "constant.numeric.time"]);
    const duration = tokenize("sla x {\n  expect first touch within 5 business hours\n}")[1]!;
    expect(duration.slice(-3)).toEqual([
      { text: "5", scope: "constant.numeric.duration" },
      { text: "business", scope: "keyword.other.business" },
      { text: "hours", scope: "keyword.other.unit" },
    ]);
    expect(scopeOf(text, "# which activities count")).toEqual(["comment.line.number-sign"]);
    expect(scopeOf(text, "@acme/marketing-leads")).toEqual(["entity.name.tag.handle"]);
    expect(scopeOf(text, "<=")).toEqual(["keyword.operator.comparison"]);
    expect(scopeOf(text, "soft")).toEqual(["constant.language.severity"]);
  });

  it("an escape inside a string and a currency after an amount have their own scopes", () => {
    const tokens = tokenize('goal g {\n  revenue 1_500_000 USD per quarter from deal_amount\n}\nlead l { when x = "a\\"b" }').flat();
    expect(tokens).toEqual(expect.arrayContaining([{ text: "1_500_000", scope: "constant.numeric.money" }, { text: "USD", scope: "support.constant.currency" }, { text: '\\"', scope: "constant.character.escape" }]));
  });
});

describe("the TextMate grammar colours waiver blocks (SPEC §8.4)", () => {
  const text = `waiver l7 "L7 was a duplicate" {\n  sla first_touch\n  leads "L7"\n  periods 2027-01, 2027-Q1\n  until 2027-03-31\n}\n`;
  it("the block word, its clauses, lead ids, periods and dates", () => {
    expect(scopeOf(text, "waiver")).toEqual(["storage.type.block"]);
    expect(scopeOf(text, "l7")).toEqual(["entity.name.type"]);
    for (const clause of ["sla", "leads", "periods", "until"]) expect(scopeOf(text, clause)).toEqual(["keyword.control.clause"]);
    expect(scopeOf(text, "2027-01")).toEqual(["constant.numeric.date"]);
    expect(scopeOf(text, "2027-Q1")).toEqual(["constant.numeric.date"]);
    expect(scopeOf(text, "2027-03-31")).toEqual(["constant.numeric.date"]);
    expect(tokenize(text).flat().some((t) => t.scope.includes("invalid"))).toBe(false);
  });
});

describe("the TextMate grammar highlights every keyword of the language", () => {
  const FIXTURE = path.join(ROOT, "test/editors/fixtures/every-keyword.policy");
  const text = readFileSync(FIXTURE, "utf8");
  const tokens = () => tokenize(text).flat();
  /** Scopes a keyword may have: a block, clause, operator, type, unit or named constant; never a plain name. */
  const HIGHLIGHTED = /^(storage\.type\.block|keyword\.|support\.type|constant\.language\.)/;
  // Every word the language reserves or reads as a keyword: the vocabulary's lists and the lexer's.
  const words = [
    ...new Set(
      [
        ...BLOCK_KEYWORDS,
        ...Object.values(CLAUSES).flat(),
        ...Object.values(SLA_CLAUSE_RULES),
        ...Object.values(GOAL_CLAUSE_RULES),
        ...Object.values(WAIVER_CLAUSE_RULES),
        ...WEEKDAYS,
        ...PERIODS,
        ...SEVERITIES,
        ...FIELD_TYPES,
        ...DURATION_UNITS,
        EPOCH_WORD,
        ...EPOCH_UNITS,
        ...Object.keys(Kw),
      ].flatMap((w) => w.split(" ")),
    ),
  ].sort();

  it("the fixture is a valid policy that uses every one of them", () => {
    const analyzed = analyzePolicySet([{ path: "every-keyword.policy", text }]);
    expect(analyzed.diagnostics).toEqual([]);
    const written = new Set(text.replace(/#.*$/gm, "").split(/[^A-Za-z_]+/));
    expect(words.filter((w) => !written.has(w))).toEqual([]);
  });

  it("each is highlighted where it is used, and nothing is marked illegal", () => {
    const all = tokens();
    const highlighted = new Set(all.filter((t) => HIGHLIGHTED.test(t.scope)).flatMap((t) => t.text.split(/\s+/)));
    expect(words.filter((w) => !highlighted.has(w))).toEqual([]);
    expect(all.filter((t) => t.scope.startsWith("invalid"))).toEqual([]);
  });

  it("a table's braces (calendar by, quotas) do not end the block; lead.FIELD and a money field's currency have their own scopes", () => {
    const all = tokens();
    expect(scopeOf(text, "default")).toEqual(["keyword.control.clause"]);
    expect(scopeOf(text, "quotas")).toEqual(["keyword.control.clause"]);
    expect(all.filter((t) => t.text === "{" || t.text === "}").map((t) => t.scope)).toEqual(expect.arrayContaining(["punctuation.section.table.begin", "punctuation.section.table.end"]));
    // Every block's closing brace closes a block: none is left over to the top level.
    expect(all.filter((t) => t.scope === "punctuation.section.block.end")).toHaveLength(text.match(/^\}$/gm)!.length);
    const reference = tokenize("sla x {\n  touches owner = lead.owner\n}")[1]!;
    expect(reference.slice(-3)).toEqual([
      { text: "lead", scope: "variable.language.lead" },
      { text: ".", scope: "punctuation.accessor" },
      { text: "owner", scope: "variable.other.property" },
    ]);
    expect(tokenize("fields {\n  amount money USD\n}")[1]).toEqual([
      { text: "amount", scope: "variable.other" },
      { text: "money", scope: "support.type" },
      { text: "USD", scope: "support.constant.currency" },
    ]);
    expect(tokenize("activity fields {\n}")[0]).toEqual([{ text: "activity fields", scope: "storage.type.block" }, { text: "{", scope: "punctuation.section.block.begin" }]);
  });
});

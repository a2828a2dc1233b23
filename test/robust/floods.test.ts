import { describe, expect, it } from "vitest";
import { diagnostic, type Diagnostic } from "../../src/lang/diagnostics.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { LineIndex } from "../../src/lang/range.js";
import { MAX_ECHOED_COLUMNS, MAX_TEXT_DIAGNOSTICS_PER_FILE, renderDiagnosticsText } from "../../src/report/diagnostics-text.js";
import { BASE } from "../lang/fixtures.js";

function render(diagnostics: Diagnostic[], sources: Record<string, string>): string {
  return renderDiagnosticsText(diagnostics, { color: false, sources: new Map(Object.entries(sources)) });
}

describe("diagnostics as text do not flood", () => {
  it("prints at most the cap per file, then how many more", () => {
    const text = "x\n".repeat(20_000);
    const lines = new LineIndex(text);
    const many = Array.from({ length: 20_000 }, (_, i) => {
      const start = lines.positionAt(i * 2);
      return diagnostic("E0001", "unexpected character 'x'", "big.policy", { start, end: { ...start, column: 2, offset: start.offset + 1 } });
    });
    const out = render(many, { "big.policy": text });
    expect(out.match(/error\[E0001\]/g)).toHaveLength(MAX_TEXT_DIAGNOSTICS_PER_FILE);
    expect(out).toContain(`big.policy: ${20_000 - MAX_TEXT_DIAGNOSTICS_PER_FILE} more problems not shown (--format json lists every one)`);
  });

  it("counts the cap per file: a second file's problems are shown too", () => {
    const start = { line: 1, column: 1, offset: 0 };
    const d = (file: string) => diagnostic("E0001", "unexpected character 'x'", file, { start, end: start });
    const out = render([...Array.from({ length: 60 }, () => d("a.policy")), d("b.policy")], {});
    expect(out).toContain("b.policy:1:1");
    expect(out).toContain("a.policy: 10 more problems not shown");
  });

  it("cuts a long source line to a window around the span, with the caret under it", () => {
    const line = `${"a ".repeat(10_000)}$ ${"b ".repeat(10_000)}`;
    const text = `${BASE}${line}\n`;
    const result = analyzePolicySet([{ path: "p.policy", text }]);
    const stray = result.diagnostics.find((d) => d.code === "E0001")!;
    const out = render([stray], { "p.policy": text });
    const [, , quoted, caret] = out.split("\n");
    expect(quoted!.length).toBeLessThan(MAX_ECHOED_COLUMNS + 20);
    expect(quoted).toMatch(/…$/);
    const caretAt = caret!.indexOf("^");
    expect(quoted![caretAt]).toBe("$");
  });

  it("a 100 KB line of '\"§ ' gives a bounded report, and each message stays short", () => {
    const text = `${BASE}${'"§ '.repeat(33_000)}\n`;
    const result = analyzePolicySet([{ path: "p.policy", text }]);
    expect(result.diagnostics.length).toBeGreaterThan(1000);
    for (const d of result.diagnostics) expect(d.message.length).toBeLessThan(700);
    const out = render(result.diagnostics, { "p.policy": text });
    expect(out.length).toBeLessThan(100_000);
  });

  it("a 30,000-character name is cut in its message, keeping the words around it", () => {
    const text = `${BASE}lead x "x" {\n  when ${"y".repeat(30_000)}\n}\n`;
    const unknown = analyzePolicySet([{ path: "p.policy", text }]).diagnostics.find((d) => d.code === "E0205");
    expect(unknown?.message).toMatch(/^unknown field or lead definition 'y{39}…y'$/);
  });
});

describe("the line index", () => {
  it("finds the same positions as counting from the start, for every kind of line break", () => {
    const text = "ab\ncd\r\nef\rgh\n\nij";
    const lines = new LineIndex(text);
    const byCounting = (offset: number) => {
      let line = 1;
      let start = 0;
      for (let i = 0; i < offset; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
          line++;
          start = i + 1;
        }
      }
      return { line, column: offset - start + 1, offset };
    };
    for (let offset = 0; offset <= text.length; offset++) expect(lines.positionAt(offset)).toEqual(byCounting(offset));
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => lines.lineText(n))).toEqual(["ab", "cd", "ef", "gh", "", "ij", undefined]);
  });
});

import fc from "fast-check";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { html, markdownCell, markdownCode, markdownText, visible, xml } from "../../src/report/escape.js";

const md = new MarkdownIt({ html: true, linkify: true });

/** The text a reader sees: rendered, tags dropped, entities and zero-width spaces undone. */
function seen(rendered: string): string {
  return rendered
    .replace(/<[^>]+>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, "&")
    .replace(/\u200b/g, "")
    .trim();
}

// Printable text with every character Markdown gives a meaning to, and a few from other scripts.
const hostileText = fc.string({ unit: fc.constantFrom(..."ab1 _*`[]()<>!#|\\~&@:/.-+=$\"'éж🙂".split(/(?:)/u)), maxLength: 40 });

describe("escapers (report/escape.ts)", () => {
  it("visible: escape sequences and line breaks are shown as Control Pictures, one character each", () => {
    expect(visible("a\u001b[2Jb\nc\td\u007f")).toBe("a␛[2Jb␊c␉d␡");
    expect(visible("x\u009b31m\u202ey")).toBe("x\ufffd31m\ufffdy");
    expect(visible("jörg 🙂")).toBe("jörg 🙂");
  });

  it("markdownText: any value renders as one paragraph of exactly its own text, with no markup", () => {
    fc.assert(
      fc.property(hostileText, (value) => {
        const tokens = md.parseInline(markdownText(value), {})[0]!.children!;
        expect(tokens.every((t) => t.type === "text" || t.type === "softbreak")).toBe(true);
        expect(seen(md.renderInline(markdownText(value))).replace(/\s+/g, " ")).toBe(value.trim().replace(/\s+/g, " "));
      }),
      { numRuns: 500 },
    );
  });

  it("markdownText at the start of a line, after a line break, opens no block", () => {
    for (const value of ["# x", "- x", "+ x", "1. x", "> x", "===", "---", "    code", "<!-- x", "</details>", "| a | b |"]) {
      const tokens = md.parse(`${markdownText(value)}\n`, {});
      expect(tokens.map((t) => t.type)).toEqual(["paragraph_open", "inline", "paragraph_close"]);
    }
  });

  it("markdownCell + markdownText: a value with pipes and backslashes stays in its cell", () => {
    fc.assert(
      fc.property(hostileText, (value) => {
        const table = `| a | b |\n| --- | --- |\n| ${markdownCell(markdownText(value))} | end |\n`;
        const tokens = md.parse(table, {});
        expect(tokens.filter((t) => t.type === "td_open")).toHaveLength(2);
        const cell = tokens.filter((t) => t.type === "inline").at(-2)!;
        expect(cell.children!.every((t) => t.type === "text")).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("markdownCode: backticks in the value never end the code span", () => {
    for (const value of ["a`b", "``", "`x`", "a\n\nb", " x "]) {
      const tokens = md.parseInline(markdownCode(value), {})[0]!.children!;
      expect(tokens.map((t) => t.type)).toEqual(["code_inline"]);
    }
  });

  it("html and xml escape markup and quotes; xml drops nothing a parser needs", () => {
    expect(html(`<a href="x">'&'</a>\u001b`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;␛");
    expect(xml(`<x a="1">'&'\u0000\u001b\uffff`)).toBe("&lt;x a=&quot;1&quot;&gt;&apos;&amp;&apos;␀␛\ufffd");
    expect(xml("🙂 ok\n")).toBe("🙂 ok\n");
  });
});

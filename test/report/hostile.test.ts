import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { XMLValidator } from "fast-xml-parser";
import MarkdownIt from "markdown-it";
import type Token from "markdown-it/lib/token.mjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers.js";
import { policyString, writeHostileRepo } from "./hostile-fixture.js";

// Values an attacker or a careless exporter can put in a CRM field or a policy title.
const FAKE_END = "Connect\n\n## ✅ All SLAs met\n\n<!--";
const MENTIONS = "@everyone [click](https://evil.example) </details> <b>x</b> www.evil.example";
const TERMINAL = "Deal desk \u001b]8;;https://evil.example\u001b\\click\u001b]8;;\u001b\\ \u001b[2J\u009b31m\u202e";

/** CommonMark plus GitHub's tables, raw HTML and autolinks: what a PR comment or job summary becomes. */
const markdown = new MarkdownIt({ html: true, linkify: true });

function tokensOf(text: string): Token[] {
  return markdown.parse(text, {}).flatMap((t) => [t, ...(t.children ?? [])]);
}

/** The structure that must not change, whatever the values: our headings, no links, no mentions, balanced details. */
function assertMarkdownStructure(text: string, headings: RegExp) {
  const tokens = tokensOf(text);
  const headingTexts = tokens.flatMap((t, i) => (t.type === "heading_open" ? [tokens[i + 1]!.content] : []));
  for (const h of headingTexts) expect(h).toMatch(headings);
  expect(headingTexts.join("\n")).not.toContain("All SLAs met");
  expect(tokens.filter((t) => t.type === "link_open")).toEqual([]);
  const htmlParts = tokens.filter((t) => t.type === "html_block" || t.type === "html_inline").map((t) => t.content);
  expect(htmlParts.join("")).not.toContain("<!--");
  expect(htmlParts.join("")).not.toMatch(/<b>x/);
  const opened = htmlParts.join("").match(/<details>/g)?.length ?? 0;
  expect(htmlParts.join("").match(/<\/details>/g)?.length ?? 0).toBe(opened);
  // A mention is an @ directly before a name, in rendered text (GitHub links it after rendering).
  const rendered = markdown.render(text);
  expect(rendered).not.toMatch(/@[\p{L}\p{N}]/u);
  expect(rendered).not.toContain("\u001b");
}

describe("values from data and policy text are escaped for where they land", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const cli = (...args: string[]) => runCli(args, { cwd: dir });

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    const fixture = {
      title: TERMINAL,
      touchType: `email ${TERMINAL}`,
      leads: [
        { id: "L1", owner: "ana", product: FAKE_END, notes: TERMINAL, ready_at: "2026-11-02T10:00:00Z" },
        { id: "L2", owner: "ben", product: MENTIONS, notes: "x", ready_at: "2026-11-02T10:00:00Z" },
        { id: "L3", owner: "cy", product: TERMINAL, notes: "y", ready_at: "2026-11-02T10:00:00Z" },
      ],
    };
    await writeHostileRepo(dir, fixture, (text) =>
      text.replace(/lead ready "[^\n]*" \{/, `lead ready ${policyString(`${FAKE_END} ${MENTIONS}`)} {`).replace('not (notes = "x")', 'not (notes = "y")'),
    );
  });
  afterAll(async () => cleanup());

  describe("Markdown, rendered by a CommonMark renderer", () => {
    it("eval --format markdown: no fake heading, link, mention, HTML comment or closed details from a value", async () => {
      const result = await cli("eval", "--snapshot", "snapshot", "--format", "markdown");
      assertMarkdownStructure(result.stdout, /^(✅|❌|⚠️|⏳|➖) Deal desk|^Needs attention$|^Goals$|^Input$/);
      // The values are still there to read.
      expect(markdown.render(result.stdout)).toContain("## ✅ All SLAs met");
    });

    it("diff --format markdown: a hostile title in the changed policy", async () => {
      const result = await cli("diff", "--base", "HEAD~1", "--head", "HEAD", "--snapshot", "snapshot", "--show-leads", "--format", "markdown");
      expect(result.code).toBe(0);
      assertMarkdownStructure(result.stdout, /^Policy changes|^Impact on/);
    });
  });

  describe("terminal: escape sequences and line breaks are shown, not obeyed", () => {
    const noRawControls = (text: string) => {
      expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      expect(text.split("\n")).not.toContain("## ✅ All SLAs met");
    };

    it("eval (text)", async () => {
      const result = await cli("eval", "--snapshot", "snapshot");
      noRawControls(result.stdout + result.stderr);
      expect(result.stdout).toContain("␛]8;;https://evil.example");
    });

    it("explain, test, diff (text)", async () => {
      for (const args of [
        ["explain", "--snapshot", "snapshot", "--lead", "L1"],
        ["explain", "--snapshot", "snapshot", "--lead", `L1${TERMINAL}`],
        ["test", "policies"],
        ["diff", "--base", "HEAD~1", "--head", "HEAD", "--snapshot", "snapshot", "--show-leads"],
      ]) {
        const result = await cli(...args);
        noRawControls(result.stdout + result.stderr);
      }
    });

    it("usage errors quoting a command-line value", async () => {
      const result = await cli("eval", "--snapshot", "snapshot", "--format", "\u001b[2Jx");
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("␛[2Jx");
      noRawControls(result.stderr);
    });

    it("validate: a policy line with escape sequences in a diagnostic", async () => {
      await mkdir(path.join(dir, "bad"), { recursive: true });
      await writeFile(path.join(dir, "bad", "a.policy"), `agreement "Deal \u001b[2J desk" {\n  version one \u001b]8;;https://evil.example\u001b\\\n}\n`);
      const result = await cli("validate", "bad");
      expect(result.code).toBe(2);
      noRawControls(result.stdout + result.stderr);
    });
  });

  describe("HTML and XML", () => {
    it("eval --format html escapes every value", async () => {
      const result = await cli("eval", "--snapshot", "snapshot", "--format", "html");
      expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
      expect(result.stdout).not.toContain("<!--");
      expect(result.stdout).not.toContain("<b>x</b>");
      expect(result.stdout).toContain("&lt;/details&gt;");
      expect(result.stdout.match(/<details/g)?.length).toBe(result.stdout.match(/<\/details>/g)?.length);
    });

    it.each([
      ["eval", "--snapshot", "snapshot", "--format", "junit"],
      ["test", "policies", "--format", "junit"],
    ])("%s … --format junit is well-formed XML", async (...args) => {
      const result = await cli(...args);
      expect(XMLValidator.validate(result.stdout)).toBe(true);
      // Characters XML 1.0 cannot hold even escaped (the validator does not check them).
      expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/);
      expect(result.stdout).not.toContain("<!--");
    });
  });
});

describe("the agreement table of the PR comment", () => {
  it("a team title with a pipe, a line break and a heading stays in its cell", async () => {
    const { agreementMarkdown } = await import("../../src/github/agreement.js");
    const text = agreementMarkdown({
      applies: true,
      passed: false,
      changedPolicyFiles: ["policies/slas.policy"],
      teams: [{ team: "sales", title: `Sales | x\n\n${FAKE_END}`, approvers: ["@acme/sales"], signedBy: [], signed: false, problems: [] }],
      notes: [],
    });
    const tokens = tokensOf(text);
    expect(tokens.filter((t) => t.type === "td_open")).toHaveLength(3);
    expect(tokens.filter((t) => t.type === "heading_open")).toEqual([]);
    expect(tokens.filter((t) => t.type === "html_block" || t.type === "html_inline")).toEqual([]);
  });
});

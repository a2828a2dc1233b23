import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { describePolicy } from "../../src/report/describe/describe.js";
import { phraseText, renderDescriptionJson, renderDescriptionMarkdown, renderDescriptionText } from "../../src/report/describe/render.js";
import { layoutPolicyArb, validPolicyArb } from "../lang/generators.js";

function describeText(text: string) {
  const analyzed = analyzePolicySet([{ path: "p.policy", text }]);
  return { analyzed, description: describePolicy(analyzed.files, analyzed.symbols) };
}

/** Every id a policy declares: blocks' ids and fields' names. */
function declaredIds(text: string): string[] {
  const { analyzed } = describeText(text);
  return analyzed.files.flatMap((f) => f.blocks.flatMap((b) => (b.kind === "Fields" || b.kind === "ActivityFields" ? b.fields.map((x) => x.name.name) : b.kind === "Agreement" ? [] : [b.id.name])));
}

describe("describe", () => {
  it("every generated valid policy describes without error and mentions every id it declares", () => {
    fc.assert(
      fc.property(validPolicyArb, ({ text, ids }) => {
        const { analyzed, description } = describeText(text);
        expect(analyzed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
        const markdown = renderDescriptionMarkdown(description);
        const plain = renderDescriptionText(description);
        for (const id of ids) {
          expect(markdown).toContain(`\`${id}\``);
          expect(plain).toContain(id);
        }
        // Text is wrapped for a terminal: no line past 100 columns unless it is one long word.
        for (const line of plain.split("\n")) expect(line.length <= 100 || !line.trim().includes(" ")).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it("any parsed policy, valid or not, describes without throwing and names what it declares", () => {
    fc.assert(
      fc.property(layoutPolicyArb, (text) => {
        const { description } = describeText(text);
        const markdown = renderDescriptionMarkdown(description);
        JSON.parse(renderDescriptionJson(description));
        for (const id of declaredIds(text)) expect(markdown).toContain(`\`${id}\``);
      }),
      { numRuns: 300 },
    );
  });

  it("works the goal backwards with the engine's rounding: 1.5M / 25k / 25% / 40%", () => {
    const { description } = describeText(`goal g { owner s revenue 1_500_000 USD per quarter from amount average deal 25_000 USD funnel a -> b 40% -> c 25% }`);
    const text = phraseText(description.items.find((i) => i.id === "g")!.sentence);
    expect(text).toContain("60 c leads (1,500,000 ÷ 25,000)");
    expect(text).toContain("240 b leads (60 ÷ 25%)");
    expect(text).toContain("600 a leads (240 ÷ 40%)");
  });

  it("escapes what comes from the policy: nothing in a title or value becomes Markdown, HTML or a terminal escape", () => {
    const hostile = `agreement "[click](http://x) <img src=x> *b* | x" { timezone "UTC" }
team t "Sales <b>" { approvers @dana }
fields { s text }
lead l "a\\u{1b}[31mred" { when s = "\`code\` <script>" since s }`;
    const { description } = describeText(hostile);
    const md = renderDescriptionMarkdown(description);
    expect(md).not.toMatch(/(?<!\\)(<img|<b>|<script>|\]\(http)/);
    expect(md).toContain("\\[click\\]");
    expect(md).toContain("`@dana`");
    const text = renderDescriptionText(description);
    expect(text).not.toContain("\u001b");
    expect(text).toContain("␛[31m");
  });
});

describe("before and after, with the changed words marked", () => {
  it("bolds each run of words only one side has, and leaves the rest alone", async () => {
    const { markChangedWords } = await import("../../src/report/describe/word-diff.js");
    expect(markChangedWords("for at least 95% of those leads, each month", "for at least 90% of those leads, each week")).toEqual({
      before: "for at least **95%** of those leads, each **month**",
      after: "for at least **90%** of those leads, each **week**",
    });
    expect(markChangedWords("open Friday 9:00–15:00", "open Friday 9:00–15:00 and Saturday 10:00–12:00")).toEqual({
      before: "open Friday 9:00–15:00",
      after: "open Friday 9:00–15:00 **and Saturday 10:00–12:00**",
    });
    const same = "a `mql` lead";
    expect(markChangedWords(same, same)).toEqual({ before: same, after: same });
  });

  it("leaves very long sentences unmarked rather than spend quadratic time on them", async () => {
    const { markChangedWords } = await import("../../src/report/describe/word-diff.js");
    const long = (n: number) => Array.from({ length: 1000 }, (_, i) => `w${i * n}`).join(" ");
    expect(markChangedWords(long(1), long(2))).toEqual({ before: long(1), after: long(2) });
  });
});

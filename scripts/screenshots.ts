/**
 * The README's screenshots: the example agreement highlighted by the TextMate grammar (through
 * shiki, as VS Code would colour it) with the hover the language server gives, and `describe`'s
 * output. Rendered to HTML and captured in headless Chromium. Run: npx tsx scripts/screenshots.ts
 */
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createHighlighter } from "shiki";
import { launchChromium } from "../test/browser.js";
import { analyzePolicySet } from "../src/lang/policy-set.js";
import { describePolicy } from "../src/report/describe/describe.js";
import { phraseText, renderDescriptionText } from "../src/report/describe/render.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const OUT = path.join(ROOT, "docs/images");
const escape = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

const files = ["agreement", "leads", "slas", "goals"].map((name) => ({ path: `policies/${name}.policy`, text: readFileSync(path.join(ROOT, "policies", `${name}.policy`), "utf8") }));
const analyzed = analyzePolicySet(files);
const description = describePolicy(analyzed.files, analyzed.symbols);
const hover = description.items.find((i) => i.id === "first_touch")!;

const grammar = JSON.parse(readFileSync(path.join(ROOT, "editors/smarketing-policy.tmLanguage.json"), "utf8")) as { name: string };
const highlighter = await createHighlighter({ themes: ["github-light"], langs: [grammar as never] });
const slas = files.find((f) => f.path.endsWith("slas.policy"))!.text;
// slas.policy from the block before the SLA the hover is about to that SLA's end.
const lines = slas.split("\n");
const from = lines.findIndex((l) => l.startsWith("# Quality"));
const to = lines.findIndex((l, i) => i > lines.findIndex((x) => x.startsWith("sla first_touch")) && l === "}");
const shown = lines.slice(from, to + 1).join("\n");
const code = highlighter.codeToHtml(shown, { lang: grammar.name, theme: "github-light" });

const editor = `<!doctype html><meta charset="utf-8"><style>
  body { margin: 0; font: 13px/1.45 "DejaVu Sans", sans-serif; background: #f3f3f3; }
  .window { width: 1060px; border: 1px solid #ccc; background: #fff; }
  .tab { background: #ececec; padding: 6px 14px; border-bottom: 1px solid #ddd; font-size: 12px; }
  .tab b { background: #fff; padding: 6px 14px; border: 1px solid #ddd; border-bottom: 0; }
  pre.shiki { margin: 0; padding: 12px 16px; font: 13px/1.5 "DejaVu Sans Mono", monospace; }
  .hover { position: absolute; width: 640px; background: #f8f8f8; border: 1px solid #c8c8c8;
           box-shadow: 0 2px 8px rgba(0,0,0,.18); padding: 10px 12px; font-size: 12.5px; }
  .hover h4 { margin: 0 0 6px; font-size: 13px; }
</style>
<div class="window"><div class="tab"><b>slas.policy</b></div>${code}</div>
<div class="hover"><h4>${escape(hover.title ?? hover.id)} (${hover.id})</h4>${escape(phraseText(hover.sentence))}</div>`;

const describeHtml = `<!doctype html><meta charset="utf-8"><style>
  body { margin: 0; background: #1e1e1e; }
  pre { margin: 0; padding: 14px 18px; width: 1100px; white-space: pre-wrap; color: #ddd; font: 12.5px/1.5 "DejaVu Sans Mono", monospace; }
  .prompt { color: #8fd18f; }
</style><pre><span class="prompt">$ smarketing-policy describe --format text</span>
${escape(renderDescriptionText(description).split("\n").slice(0, 30).join("\n"))}
…</pre>`;

mkdirSync(OUT, { recursive: true });
const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: 1140, height: 120 }, deviceScaleFactor: 1 });
  await page.setContent(editor);
  // VS Code opens a hover above the word when there is room: put it there, at the SLA's id.
  await page.evaluate(`(() => {
    const id = [...document.querySelectorAll("pre.shiki span")].find((s) => s.children.length === 0 && s.textContent.trim() === "first_touch").getBoundingClientRect();
    const box = document.querySelector(".hover");
    box.style.left = id.left + "px";
    box.style.top = id.top - box.getBoundingClientRect().height - 4 + "px";
  })()`);
  await page.screenshot({ path: path.join(OUT, "editor.png"), fullPage: true });
  await page.setContent(describeHtml);
  await page.screenshot({ path: path.join(OUT, "describe.png"), fullPage: true });
} finally {
  await browser.close();
}
process.stdout.write(`wrote ${path.relative(ROOT, OUT)}/editor.png and describe.png\n`);

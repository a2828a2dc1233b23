import type { Description, DescribedItem } from "./describe.js";
import { assertNever } from "../../lang/never.js";
import { plainText, type Inline, type Phrase } from "./phrase.js";
import { markdownText, visible } from "../escape.js";

// The escapers are the report's own (../escape.ts): one place decides what a value may become.
// markdownText is re-exported for the language server's hovers.
export { markdownText };

function markdownInline(piece: Inline): string {
  switch (piece.kind) {
    case "words":
      return markdownText(piece.text);
    case "value":
      return `“${markdownText(piece.text)}”`;
    case "id":
      return `\`${piece.name}\``;
    case "handle":
      return `\`@${piece.name.replace(/`/g, "")}\``;
    default:
      return assertNever(piece);
  }
}

export function phraseMarkdown(phrase: Phrase): string {
  return phrase.map(markdownInline).join("");
}

export function phraseText(phrase: Phrase): string {
  return visible(plainText(phrase));
}

interface Format {
  phrase: (p: Phrase) => string;
  heading: (level: 1 | 2 | 3, text: string) => string[];
  title: (text: string) => string;
  escape: (text: string) => string;
  code: (id: string) => string;
  bullet: string;
}

const MARKDOWN: Format = {
  phrase: phraseMarkdown,
  heading: (level, text) => [`${"#".repeat(level)} ${text}`, ""],
  title: (text) => `**${markdownText(text)}**`,
  escape: markdownText,
  code: (id) => `\`${id}\``,
  bullet: "- ",
};

const TEXT: Format = {
  phrase: phraseText,
  heading: (level, text) => (level === 1 ? [text, "=".repeat(Math.min(80, text.length)), ""] : level === 2 ? [text.toUpperCase(), ""] : [text, ""]),
  title: (text) => visible(text),
  escape: visible,
  code: (id) => id,
  bullet: "  - ",
};

function entry(item: DescribedItem, f: Format): string {
  // An SLA's or goal's sentence starts with its owner, so its title and id lead the entry.
  // A waiver's sentence starts with its leads: its title (the reason) and id lead it too.
  const named = item.item === "sla" || item.item === "goal" || item.item === "waiver";
  const head = !named ? "" : item.title !== null ? `${f.title(item.title)} (${f.code(item.id)}): ` : `${f.code(item.id)}: `;
  return `${f.bullet}${head}${f.phrase(item.sentence)}`;
}

function section(out: string[], f: Format, level: 2 | 3, heading: string, items: readonly DescribedItem[]): void {
  if (items.length === 0) return;
  out.push(...f.heading(level, heading), ...items.map((i) => entry(i, f)), "");
}

function render(d: Description, f: Format): string {
  const out: string[] = [];
  const of = (kind: DescribedItem["item"]) => d.items.filter((i) => i.item === kind);
  const agreement = of("agreement")[0];
  out.push(...f.heading(1, d.title !== null ? f.escape(d.title) : "The agreement"));
  if (agreement) out.push(f.phrase(agreement.sentence), "");
  const teams = of("team");
  const commitments = [...of("sla"), ...of("goal")];
  if (teams.length > 0) out.push(...f.heading(2, "The parties"));
  for (const team of teams) {
    out.push(...f.heading(3, team.title !== null ? `${f.escape(team.title)} (${f.code(team.id)})` : f.code(team.id)));
    out.push(f.phrase(team.sentence), "");
    const own = commitments.filter((c) => c.parties.includes(team.id));
    for (const c of own) out.push(entry(c, f));
    if (own.length > 0) out.push("");
  }
  const known = new Set(teams.map((t) => t.id));
  section(out, f, 2, "Commitments no party owns", commitments.filter((c) => !c.parties.some((p) => known.has(p))));
  section(out, f, 2, "Waivers: leads excused from SLAs", of("waiver"));
  section(out, f, 2, "Lead stages", of("lead"));
  section(out, f, 2, "Calendars", of("calendar"));
  section(out, f, 2, "The data each lead carries", of("field"));
  while (out[out.length - 1] === "") out.pop();
  return `${out.join("\n")}\n`;
}

export function renderDescriptionMarkdown(d: Description): string {
  return render(d, MARKDOWN);
}

const WIDTH = 100;

/** Wraps a line at word boundaries; a bullet's continuation lines hang under its text. */
function wrap(line: string): string {
  if (line.length <= WIDTH) return line;
  const lead = /^\s*/.exec(line)![0];
  const indent = " ".repeat(/^\s*(?:- )?/.exec(line)![0].length);
  const out: string[] = [];
  let current = lead;
  for (const word of line.slice(lead.length).split(" ")) {
    if (current.trim() !== "" && current.length + 1 + word.length > WIDTH) {
      out.push(current);
      current = indent + word;
    } else current = current.trim() === "" ? current + word : `${current} ${word}`;
  }
  out.push(current);
  return out.join("\n");
}

export function renderDescriptionText(d: Description): string {
  return render(d, TEXT).split("\n").map(wrap).join("\n");
}

/** One entry per item, with its sentence as plain text and as Markdown, for other tools. */
export function renderDescriptionJson(d: Description): string {
  const items = d.items.map((i) => ({ ...i, sentence: phraseText(i.sentence), markdown: phraseMarkdown(i.sentence) }));
  return `${JSON.stringify({ title: d.title, items }, null, 2)}\n`;
}

import type { Impact, SlaImpact } from "../engine/impact.js";
import { plural } from "../engine/plural.js";
import type { PolicyChange, PolicyDiff } from "../lang/diff.js";
import type { Description } from "./describe/describe.js";
import { plainText, type Phrase } from "./describe/phrase.js";
import { phraseMarkdown, phraseText } from "./describe/render.js";
import { markChangedWords } from "./describe/word-diff.js";
import { markdownCode, markdownText, visible } from "./escape.js";
import { formatNumber, formatTime, formatValue, STATUS_EMOJI, STATUS_WORDS } from "./format-values.js";

export interface DiffReport {
  base: string;
  head: string;
  diff: PolicyDiff;
  impact?: { snapshot: string; asOf: string; zone: string; impact: Impact } | undefined;
  showLeads: boolean;
  /** Both versions in sentences (describe), so a change reads as what it means before and after. */
  meaning?: { before: Description; after: Description } | undefined;
}

const SIGN = { added: "+", removed: "-", changed: "~" } as const;
const ITEM_WORDS = { agreement: "agreement", team: "team", calendar: "calendar", field: "field", lead: "lead definition", sla: "SLA", goal: "goal", waiver: "waiver" } as const;
const MAX_IDS = 20;

/** How a value from the policy or the data is written: escaped for the terminal or for Markdown. */
interface Escape {
  text: (s: string) => string;
  code: (s: string) => string;
}
const TEXT: Escape = { text: visible, code: visible };
const MARKDOWN: Escape = { text: markdownText, code: markdownCode };

function ids(list: string[], esc: Escape): string {
  const shown = list.slice(0, MAX_IDS).map(esc.text).join(", ");
  return list.length > MAX_IDS ? `${shown} … (+${list.length - MAX_IDS})` : shown;
}

function summaryLine(r: DiffReport): string {
  if (r.diff.onlyFormatting) return "Only formatting changed: the agreement means the same.";
  if (r.diff.same) return "No change to the policy.";
  const counts = { added: 0, removed: 0, changed: 0 };
  for (const c of r.diff.changes) counts[c.change]++;
  return `${plural(r.diff.changes.length, "change")}: ${counts.changed} changed, ${counts.added} added, ${counts.removed} removed.`;
}

/** Why a definition grew while the SLA's figure did not move: the new leads have no clock. */
function withoutClockLine(s: SlaImpact, moved: boolean, code: (x: string) => string): string {
  const n = s.enteredWithoutClock;
  const who = `${formatNumber(n)} ${code(s.population)} ${n === 1 ? "lead newly reaches it with" : "leads newly reach it with"} no ${code(s.clock)}`;
  return `${code(s.id)}: ${who}, so ${n === 1 ? "it counts" : "they count"} in no period${moved ? "" : " and the figure does not move"}`;
}

function impactLines(r: DiffReport, md: boolean): string[] {
  if (!r.impact) return [];
  const { impact } = r.impact;
  const out: string[] = [];
  const esc = md ? MARKDOWN : TEXT;
  const code = esc.code;
  for (const d of impact.definitions) {
    if (d.entered.length === 0 && d.left.length === 0 && d.before === d.after) continue;
    let line = `${code(d.id)}: ${d.before ?? "–"} → ${d.after ?? "–"} leads (${d.entered.length} enter, ${d.left.length} leave)`;
    if (r.showLeads && d.entered.length) line += `; entering: ${ids(d.entered, esc)}`;
    if (r.showLeads && d.left.length) line += `; leaving: ${ids(d.left, esc)}`;
    out.push(line);
  }
  for (const s of impact.slas) {
    const show = (x: typeof s.before) => (x ? `${md ? `${STATUS_EMOJI[x.status]} ` : ""}${STATUS_WORDS[x.status]} ${formatValue(x.value, s.unit)}` : "(none)");
    const moved = s.before?.status !== s.after?.status || s.before?.value !== s.after?.value;
    if (moved) out.push(`${code(s.id)}: ${show(s.before)} → ${show(s.after)}`);
    if (s.enteredWithoutClock > 0) out.push(withoutClockLine(s, moved, code));
  }
  for (const g of impact.goals) {
    for (const st of g.stages) {
      if (st.requiredBefore === st.requiredAfter) continue;
      const f = (n: number | null) => (n === null ? "–" : formatNumber(n));
      out.push(`${code(g.id)} needs ${f(st.requiredBefore)} → ${f(st.requiredAfter)} ${st.definition} per period`);
    }
  }
  return out.length > 0 ? out : ["no lead is reclassified and no SLA or goal figure changes"];
}

/** The item's describe sentence in each version that has it. */
function meaningOf(r: DiffReport, c: PolicyChange): { before: Phrase | undefined; after: Phrase | undefined } {
  if (!r.meaning) return { before: undefined, after: undefined };
  const sentence = (d: Description) => d.items.find((i) => i.item === c.item && i.id === c.id)?.sentence;
  return {
    before: c.change === "added" ? undefined : sentence(r.meaning.before),
    after: c.change === "removed" ? undefined : sentence(r.meaning.after),
  };
}

/** "Before: …" and "Now: …", the block's describe sentence in each version that has it. */
function meaningLines(r: DiffReport, c: PolicyChange): string[] {
  const meaning = meaningOf(r, c);
  let before = meaning.before && phraseMarkdown(meaning.before);
  let after = meaning.after && phraseMarkdown(meaning.after);
  if (before !== undefined && after !== undefined) ({ before, after } = markChangedWords(before, after));
  return [...(before ? [`  - **Before:** ${before}`] : []), ...(after ? [`  - **${c.change === "added" ? "Now" : "After"}:** ${after}`] : [])];
}

export function renderDiffText(r: DiffReport): string {
  const out = [`Policy changes ${visible(r.base)} → ${visible(r.head)}`, summaryLine(r)];
  for (const c of r.diff.changes) {
    out.push(`  ${SIGN[c.change]} ${ITEM_WORDS[c.item]} ${visible(c.id)}${c.change === "changed" ? "" : ` ${c.change}`}`);
    // An added or removed item has no details to compare: its sentence gives every setting.
    const meaning = c.change === "changed" ? undefined : meaningOf(r, c)[c.change === "added" ? "after" : "before"];
    if (meaning) out.push(`      ${c.change === "added" ? "Now" : "Was"}: ${phraseText(meaning)}`);
    for (const d of c.details) out.push(`      ${visible(d)}`);
  }
  if (r.impact) {
    out.push("", `Impact on ${visible(r.impact.snapshot)} (as of ${formatTime(r.impact.asOf, r.impact.zone)})`);
    for (const l of impactLines(r, false)) out.push(`  ${l}`);
  }
  return `${out.join("\n")}\n`;
}

/**
 * A detail quotes policy text (titles, conditions) with its conditions in backticks: each piece
 * is escaped, as code or as text, so a title cannot end the comment or mention anyone.
 */
function detailMarkdown(detail: string): string {
  return detail
    .split(/`([^`]*)`/)
    .map((piece, i) => (i % 2 === 1 ? markdownCode(piece) : markdownText(piece)))
    .join("");
}

export function renderDiffMarkdown(r: DiffReport): string {
  const out = [`### Policy changes (${markdownText(r.base)} → ${markdownText(r.head)})`, "", summaryLine(r)];
  if (r.diff.changes.length > 0) out.push("");
  for (const c of r.diff.changes) {
    const verb = c.change === "changed" ? "changed" : c.change;
    out.push(`- **${ITEM_WORDS[c.item]} ${markdownCode(c.id)}** ${verb}`);
    out.push(...meaningLines(r, c));
    for (const d of c.details) out.push(`  - ${detailMarkdown(d)}`);
  }
  if (r.impact) {
    out.push("", `### Impact on ${markdownCode(r.impact.snapshot)} (as of ${formatTime(r.impact.asOf, r.impact.zone)})`, "");
    for (const l of impactLines(r, true)) out.push(`- ${l}`);
  }
  return `${out.join("\n")}\n`;
}

export function renderDiffJson(r: DiffReport): string {
  const changes = r.diff.changes.map((c) => {
    const m = meaningOf(r, c);
    return { ...c, meaning: { before: m.before ? plainText(m.before) : null, after: m.after ? plainText(m.after) : null } };
  });
  const impact = r.impact ? { snapshot: r.impact.snapshot, asOf: r.impact.asOf, impact: r.impact.impact } : null;
  return `${JSON.stringify({ base: r.base, head: r.head, ...r.diff, changes, impact }, null, 2)}\n`;
}

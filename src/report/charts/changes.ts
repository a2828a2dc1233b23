import { plural } from "../../engine/plural.js";
import type { BaselineComparison, SlaChange } from "../baseline.js";
import { describeCell, whereOf } from "../format-values.js";
import { esc, formatCount } from "./markup.js";
import { badge, foldedList } from "./parts.js";

/**
 * "Since the previous report": SLAs whose status changed (first), each SLA's value then and now
 * with the change in words and an arrow (never colour alone), and the results newly breached.
 */

const NEW_BREACHES_SHOWN = 10;

/** "▲ up 3.2 points", "▼ down 12 leads", "= no change". */
export function trendWords(change: SlaChange): string {
  if (change.before === null) return "new SLA";
  if (change.now === null) return "no longer in the agreement";
  const { value: a } = change.before;
  const { value: b } = change.now;
  if (a === null || b === null) return a === b ? "no value either time" : b === null ? "no value now" : "no value before";
  const delta = b - a;
  if (Math.abs(delta) < 1e-9) return "= no change";
  const size = change.unit === "ratio" ? `${formatCount(Math.abs(delta) * 100)} points` : plural(Math.abs(delta), "lead");
  return `${delta > 0 ? "▲ up" : "▼ down"} ${size}`;
}

const value = (v: { value: number | null } | null, unit: SlaChange["unit"]) =>
  v === null || v.value === null ? "–" : unit === "ratio" ? `${formatCount(v.value * 100)}%` : formatCount(v.value);

/** One line per SLA, wrapping on a phone: "Title: ✖ breached → ✔ met · 68.8% → 78% · ▲ up 9.2 points". */
function changeItem(c: SlaChange): string {
  const changed = c.before?.status !== c.now?.status;
  const badgeOf = (s: SlaChange["before"]) => (s === null ? "–" : badge(s.status));
  const status = changed ? `${badgeOf(c.before)} → ${badgeOf(c.now)} <strong>changed</strong>` : `${badgeOf(c.now)} as before`;
  const figure = (s: SlaChange["before"], when: string) => `<span${s === null || s.value === null ? "" : ` data-${when}="${s.value}"`}>${esc(value(s, c.unit))}</span>`;
  return `<li data-sla="${esc(c.id)}"><strong>${esc(c.title)}</strong>: ${status} · ${figure(c.before, "before")} → ${figure(c.now, "now")} · ${esc(trendWords(c))}</li>`;
}

export function changesSection(cmp: BaselineComparison): string {
  const changed = cmp.slas.filter((c) => c.before?.status !== c.now?.status);
  const items = [...changed, ...cmp.slas.filter((c) => !changed.includes(c))].map(changeItem).join("");
  const since = cmp.previousAsOf.slice(0, 10);
  const summary = `Since the report as of ${since}: ${plural(changed.length, "SLA")} changed status, ${plural(cmp.newBreaches.length, "result")} newly breached, ${plural(cmp.recovered, "result")} no longer breached.`;
  const breaches = cmp.newBreaches.map((b) => `${badge(b.cell.status)} ${esc(b.sla.title ?? b.sla.id)} · ${esc(whereOf(b.cell, b.sla.by))}: ${esc(describeCell(b.sla, b.cell))}`);
  const pii = cmp.unmatchedGroups.length ? `<p class="meta">${esc(cmp.unmatchedGroups.join(", "))}: grouped by a personal field, whose groups are pseudonyms in each report; compared as a whole only.</p>` : "";
  return `<section aria-labelledby="h-changes"><h2 id="h-changes">Since the previous report</h2>
<p>${esc(summary)}</p>
<p class="meta">Each SLA then (${esc(since)}) and now, changed statuses first:</p>
<ul class="changes">${items}</ul>
${breaches.length ? `<h3>Newly breached</h3>${foldedList("attention", breaches, NEW_BREACHES_SHOWN, "result")}` : ""}${pii}
</section>`;
}

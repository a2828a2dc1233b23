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

/** "▲ up 3.2 points", "▼ down 12 leads", "= unchanged". */
export function trendWords(change: SlaChange): string {
  if (change.before === null) return "new SLA";
  if (change.now === null) return "no longer in the agreement";
  const { value: a } = change.before;
  const { value: b } = change.now;
  if (a === null || b === null) return a === b ? "no value either time" : b === null ? "no value now" : "no value before";
  const delta = b - a;
  if (Math.abs(delta) < 1e-9) return "= unchanged";
  const size = change.unit === "ratio" ? `${formatCount(Math.abs(delta) * 100)} points` : plural(Math.abs(delta), "lead");
  return `${delta > 0 ? "▲ up" : "▼ down"} ${size}`;
}

const value = (v: { value: number | null } | null, unit: SlaChange["unit"]) =>
  v === null || v.value === null ? "–" : unit === "ratio" ? `${formatCount(v.value * 100)}%` : formatCount(v.value);

function changeRow(c: SlaChange): string {
  const status = (s: SlaChange["before"]) => (s === null ? "–" : badge(s.status));
  const changed = c.before?.status !== c.now?.status;
  const dv = (s: SlaChange["before"]) => (s === null || s.value === null ? "" : ` data-value="${s.value}"`);
  return `<tr data-sla="${esc(c.id)}"${changed ? ` class="changed"` : ""}><th scope="row">${esc(c.title)}</th><td>${status(c.before)}</td><td>${status(c.now)}${changed ? " <strong>changed</strong>" : ""}</td><td${dv(c.before)}>${esc(value(c.before, c.unit))}</td><td${dv(c.now)}>${esc(value(c.now, c.unit))}</td><td>${esc(trendWords(c))}</td></tr>`;
}

export function changesSection(cmp: BaselineComparison): string {
  const changed = cmp.slas.filter((c) => c.before?.status !== c.now?.status);
  const rows = [...changed, ...cmp.slas.filter((c) => !changed.includes(c))].map(changeRow).join("");
  const since = cmp.previousAsOf.slice(0, 10);
  const summary = `Since the report as of ${since}: ${plural(changed.length, "SLA")} changed status, ${plural(cmp.newBreaches.length, "result")} newly breached, ${plural(cmp.recovered, "result")} no longer breached.`;
  const breaches = cmp.newBreaches.map((b) => `${badge(b.cell.status)} ${esc(b.sla.title ?? b.sla.id)} · ${esc(whereOf(b.cell, b.sla.by))}: ${esc(describeCell(b.sla, b.cell))}`);
  const pii = cmp.unmatchedGroups.length ? `<p class="meta">${esc(cmp.unmatchedGroups.join(", "))}: grouped by a personal field, whose groups are pseudonyms in each report; compared as a whole only.</p>` : "";
  return `<section aria-labelledby="h-changes"><h2 id="h-changes">Since the previous report</h2>
<p>${esc(summary)}</p>
<div class="table-scroll" role="region" tabindex="0" aria-label="Each SLA then and now"><table class="changes"><caption>Each SLA then (${esc(since)}) and now; changed statuses first</caption><thead><tr><th scope="col">SLA</th><th scope="col">status then</th><th scope="col">status now</th><th scope="col">value then</th><th scope="col">value now</th><th scope="col">trend</th></tr></thead><tbody>${rows}</tbody></table></div>
${breaches.length ? `<h3>Newly breached</h3>${foldedList("attention", breaches, NEW_BREACHES_SHOWN, "result")}` : ""}${pii}
</section>`;
}

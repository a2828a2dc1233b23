import type { EvaluationResult, JudgedLead, SlaResult } from "../engine/result.js";
import { isLeadLevel } from "../lang/sla-kind.js";
import { attentionCells, explainCommand, formatNumber, formatTime, whereOf, type ReportCommand } from "./format-values.js";

/**
 * The dashboard's "Leads to act on": per lead-level SLA, one table of the breached and open
 * leads of its results that need attention (worst result first), so that a manager goes from
 * "2 of 5 missed" to the two leads. Kept apart from the charts (html.ts), which change on
 * their own. `esc` is the dashboard's HTML escaper, for every value that lands in the page.
 */
export function leadsSection(result: EvaluationResult, esc: (s: string) => string, command?: ReportCommand): string {
  const zone = result.policy.timezone;
  const tables = result.slas.filter((s) => isLeadLevel(s.kind)).map((sla) => leadTable(sla, zone, esc, command)).filter((t) => t !== "");
  if (tables.length === 0) return "";
  return `<section aria-labelledby="h-leads"><h2 id="h-leads">Leads to act on</h2>
<p class="meta">Missed and open leads of the results that need attention; times in ${esc(zone)}. Every judged lead is in the CSV report (<code>eval --format csv</code>); <code>smarketing-policy explain --lead ID</code> shows why.</p>
${tables.join("\n")}</section>`;
}

function leadTable(sla: SlaResult, zone: string, esc: (s: string) => string, command: ReportCommand | undefined): string {
  const rows: string[] = [];
  let leftOut = 0;
  const row = (where: string, outcome: string, lead: JudgedLead) =>
    `<tr><th scope="row"><code>${esc(lead.id)}</code></th><td>${esc(outcome)}</td><td>${esc(where)}</td><td>${esc(formatTime(lead.clock, zone))}</td><td>${esc(formatTime(lead.deadline, zone))}</td><td>${esc(lead.firstTouch === null ? "none yet" : formatTime(lead.firstTouch, zone))}</td><td>${esc(formatNumber(lead.touches))}</td>${command ? `<td><code class="explain">${esc(explainCommand(command, lead.id))}</code></td>` : ""}</tr>`;
  for (const cell of attentionCells(sla)) {
    const where = whereOf(cell, sla.by);
    for (const lead of cell.breachedLeads.leads) rows.push(row(where, "missed", lead));
    for (const lead of cell.pendingLeads.leads) rows.push(row(where, "open", lead));
    leftOut += cell.breachedLeads.leftOut + cell.pendingLeads.leftOut;
  }
  if (rows.length === 0) return "";
  const more = leftOut > 0 ? `<p class="meta">… and ${esc(formatNumber(leftOut))} more leads not listed here (<code>--leads N</code> lists more; the CSV report has every one).</p>` : "";
  // In the dashboard's scrolling region, as its own tables are: long ids never widen the page on a phone.
  const caption = `${sla.title ?? sla.id}: missed and open leads`;
  return `<div class="table-scroll" role="region" tabindex="0" aria-label="${esc(caption)}"><table class="leads"><caption>${esc(caption)}</caption><thead><tr>${["lead", "outcome", "result", "clock", "due", "first touch", "touches", ...(command ? ["why (paste in a shell)"] : [])].map((h) => `<th scope="col">${h}</th>`).join("")}</tr></thead><tbody>${rows.join("")}</tbody></table></div>${more}`;
}

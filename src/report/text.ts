import pc from "picocolors";
import type { EvaluationResult, SlaResult, Status } from "../engine/result.js";
import { plural } from "../engine/plural.js";
import {
  attentionCells,
  attentionSlas,
  describeCell,
  describeLead,
  explainCommand,
  formatTime,
  headlineValue,
  leadsNotShown,
  prorationWords,
  worstLead,
  formatMoney,
  formatNumber,
  formatPercent,
  formatTarget,
  formatValue,
  noClockSentence,
  waiverLines,
  STATUS_WORDS,
  cellTarget,
  targetChanged,
  versionsInForce,
  versionWords,
  whereOf,
} from "./format-values.js";
import { isLeadLevel } from "../lang/sla-kind.js";
import { visible } from "./escape.js";
import { rejectedRows, restOfRows, unmatchedRows } from "./not-used.js";

const MAX_REJECTS_SHOWN = 20;
const REASONS_SHOWN = 5;

function table(rows: string[][], indent = "    "): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => `${indent}${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}`.trimEnd()).join("\n");
}

/** The text report: for a person in a terminal. What is breached, by whom and by how much comes first. */
export function renderText(result: EvaluationResult, options: { color: boolean; command?: { snapshot: string; policies: string } }): string {
  const c = pc.createColors(options.color);
  const paint = (status: Status, text: string) =>
    status === "breached" ? c.red(text) : status === "at_risk" ? c.yellow(text) : status === "met" ? c.green(text) : c.dim(text);
  const out: string[] = [];
  const p = result.policy;
  // Every value from the data or the policy text goes through visible(): a title or a CRM value
  // holding escape sequences or line breaks is shown, never obeyed, by the terminal.
  out.push(c.bold(`${visible(p.title)}${p.version !== null ? ` · version ${p.version}` : ""} · as of ${formatTime(result.asOf, p.timezone)}`));
  const inputs = result.input.files.map((f) => `${visible(f.file)}: ${formatNumber(f.read)} read, ${formatNumber(f.used)} used, ${formatNumber(f.rejected)} rejected${f.unmatched > 0 ? `, ${formatNumber(f.unmatched)} unmatched` : ""}`);
  out.push(c.dim(inputs.join("; ")));
  if (result.versions) out.push(`Versions in force: ${versionsInForce(result.versions)}`);
  out.push("");

  const s = result.summary;
  const counts = (Object.keys(s.slas) as Status[]).filter((k) => s.slas[k] > 0).map((k) => `${s.slas[k]} ${STATUS_WORDS[k]}`);
  // The headline agrees with the exit code: rejected input fails the run before any SLA does.
  if (s.input === "rejected") out.push(`${c.bold("Status:")} ${c.red("REJECTED INPUT")} — the run fails (exit 2); the SLAs on the rows read: ${STATUS_WORDS[s.status]}, ${plural(result.slas.length, "SLA")}: ${counts.join(", ")}`);
  else out.push(`${c.bold("Status:")} ${paint(s.status, STATUS_WORDS[s.status].toUpperCase())} — ${plural(result.slas.length, "SLA")}: ${counts.join(", ")}`);
  if (s.failing.length > 0) out.push(c.red(`Fails the run: ${s.failing.join(", ")}`));
  for (const note of result.notes) out.push(c.yellow(`Note: ${visible(note)}`));

  const needing = attentionSlas(result.slas);
  if (needing.length > 0) {
    out.push("", c.bold("Needs attention"));
    for (const sla of needing) out.push(...attentionLines(sla, result.policy.timezone, paint, c.dim));
  }

  out.push("", c.bold("SLAs"));
  // Long SLA ids widen the column rather than push their line's status out of line.
  const idWidth = Math.max(14, ...result.slas.map((s) => s.id.length));
  for (const sla of result.slas) out.push(slaSection(sla, paint, idWidth));

  if (result.goals.length > 0) {
    out.push("", c.bold("Goals"));
    for (const goal of result.goals) {
      out.push(`  ${c.bold(goal.id)} (${goal.owners.join(", ")}) ${paint(goal.status, STATUS_WORDS[goal.status])} — ${visible(goal.title ?? "")}`);
      const deal = goal.averageDeal;
      out.push(
        `    revenue ${formatMoney(goal.revenue, goal.currency)} per ${goal.per}; average deal ${deal.value === null ? "unknown" : formatMoney(deal.value, goal.currency)} (${deal.source}${deal.leads ? `, from ${deal.leads} deals` : ""})`,
      );
      const rows = [["stage", "rate", "required", "this " + goal.per]];
      for (const st of goal.stages) {
        const rate = st.rate === null ? "" : `${formatPercent(st.rate)} (${st.rateSource}${st.rateLeads ? `, ${st.rateLeads} leads` : ""})`;
        rows.push([st.definition, rate, st.required === null ? "?" : formatNumber(st.required), formatNumber(st.actual)]);
      }
      out.push(table(rows));
      const recent = goal.results.slice(-Math.max(1, goal.by.length > 0 ? 6 : 3));
      for (const cell of recent) {
        const stages = cell.stages.map((st) => `${st.definition} ${formatNumber(st.actual)}/${st.required === null ? "?" : formatNumber(st.required)}`).join(", ");
        const judgedBy = cell.judgedBy ? ` · ${versionWords(cell.judgedBy)}` : "";
        out.push(`    ${visible(whereOf(cell, goal.by))}: ${paint(cell.status, STATUS_WORDS[cell.status])} — ${stages}; revenue ${formatMoney(cell.revenue.actual, goal.currency)} of ${formatMoney(cell.revenue.required, goal.currency)}${cell.revenue.pace !== null ? ` (pace ${formatMoney(cell.revenue.pace, goal.currency)})` : ""}${cell.prorated ? `; targets prorated: ${prorationWords(cell.prorated)}` : ""}${judgedBy}`);
      }
    }
  }

  out.push("", `${c.bold("Definitions:")} ${Object.entries(result.definitions).map(([id, n]) => `${id} ${formatNumber(n)}`).join(" · ")}`);

  const rejects = result.input.rejects;
  const rejected = rejectedRows(result.input);
  if (rejected > 0) {
    out.push("", c.bold(`Rejected rows (${rejected})`));
    for (const r of rejects.slice(0, MAX_REJECTS_SHOWN)) out.push(`  ${visible(r.file)}:${r.line}: ${visible(r.reason)}`);
    if (rejected > MAX_REJECTS_SHOWN) {
      out.push(c.dim(`  ${visible(restOfRows(result.input, rejected - Math.min(MAX_REJECTS_SHOWN, rejects.length)))}`));
      // Past one screen, what a manager fixes is the reason, not the row: the most common first.
      out.push("  by reason:");
      for (const r of result.input.rejectReasons.slice(0, REASONS_SHOWN)) out.push(`    ${formatNumber(r.count).padStart(9)}  ${visible(r.reason)}`);
    }
  }
  const unmatched = result.input.unmatchedActivities;
  const unmatchedCount = unmatchedRows(result.input);
  if (unmatchedCount > 0) {
    out.push("", c.bold(`Unmatched activities (${unmatchedCount})`));
    for (const r of unmatched.slice(0, MAX_REJECTS_SHOWN)) out.push(`  ${visible(r.file)}:${r.line}: ${visible(r.reason)}`);
    if (unmatchedCount > MAX_REJECTS_SHOWN) out.push(c.dim(`  ${visible(restOfRows(result.input, unmatchedCount - Math.min(MAX_REJECTS_SHOWN, unmatched.length)))}`));
  }
  const worst = worstLead(result.slas);
  if (worst && options.command) {
    out.push("", `${c.bold("Worst lead:")} ${visible(worst.lead.id)} (${worst.sla.id}) — see why with:`);
    out.push(visible(`  ${explainCommand(options.command, worst.lead.id)}`));
  }
  return `${out.join("\n")}\n`;
}

/** Results shown per SLA under "Needs attention", and leads shown per result. */
const ATTENTION_RESULTS = 8;
const LEADS_SHOWN = 3;

/** One SLA under "Needs attention": its worst results, each with the first of its missed and open leads. */
function attentionLines(sla: SlaResult, zone: string, paint: (s: Status, t: string) => string, dim: (t: string) => string): string[] {
  const lines = [`  ${paint(sla.status, sla.status === "breached" ? "✗" : "!")} ${sla.id} (${sla.owner}, ${sla.severity}) ${paint(sla.status, STATUS_WORDS[sla.status])} — ${visible(sla.title ?? sla.expectation)}`];
  const cells = attentionCells(sla);
  for (const cell of cells.slice(0, ATTENTION_RESULTS)) {
    const mark = cell.status === "at_risk" ? paint("at_risk", "(at risk) ") : "";
    const judgedBy = cell.judgedBy ? ` · ${versionWords(cell.judgedBy)}` : "";
    lines.push(`      ${mark}${visible(whereOf(cell, sla.by))}: ${describeCell(sla, cell)}${judgedBy}`);
    for (const [word, list] of [["missed", cell.breachedLeads], ["open", cell.pendingLeads]] as const) {
      for (const lead of list.leads.slice(0, LEADS_SHOWN)) lines.push(`          ${word} ${visible(describeLead(lead, sla, zone))}`);
      const more = leadsNotShown(list, LEADS_SHOWN);
      if (more > 0) lines.push(dim(`          … and ${formatNumber(more)} more ${word} (every lead: --format csv)`));
    }
  }
  if (cells.length > ATTENTION_RESULTS) {
    lines.push(dim(`      … and ${plural(cells.length - ATTENTION_RESULTS, "more result")} needing attention (all in --format json)`));
  }
  return lines;
}

const STATUS_WIDTH = Math.max(...Object.values(STATUS_WORDS).map((w) => w.length));

function slaSection(sla: SlaResult, paint: (s: Status, t: string) => string, idWidth: number): string {
  const lines: string[] = [];
  const value = visible(headlineValue(sla));
  lines.push(`  ${sla.id.padEnd(idWidth)} ${paint(sla.status, STATUS_WORDS[sla.status].padEnd(STATUS_WIDTH))} ${value} (target ${targetChanged(sla) ? "now " : ""}${formatTarget(sla.target)}) — ${visible(sla.expectation)}`);
  const leadLevel = isLeadLevel(sla.kind);
  // With --versions each result says the version that judged it, and that version's target.
  const versioned = sla.results.some((cell) => cell.judgedBy);
  const rows = [[...(leadLevel ? ["period", "group", "status", "met %", "met", "missed", "open"] : ["period", "group", "status", sla.kind === "count" ? "leads" : "rate", "pace"]), ...(versioned ? ["target", "version"] : [])]];
  const shown = sla.results.slice(-12);
  for (const cell of shown) {
    const judgedBy = cell.judgedBy ? [formatTarget({ ...cellTarget(sla, cell), value: cell.prorated?.target ?? cellTarget(sla, cell).value }), versionWords(cell.judgedBy)] : [];
    rows.push([
      ...(leadLevel
        ? [cell.period, visible(cell.group), STATUS_WORDS[cell.status], formatValue(cell.value, "ratio"), String(cell.met), String(cell.breached), String(cell.pending)]
        : [cell.period, visible(cell.group), STATUS_WORDS[cell.status], formatValue(cell.value, sla.target.unit), cell.pace === null ? "" : formatNumber(Math.round(cell.pace))]),
      ...judgedBy,
    ]);
  }
  if (shown.length > 0) lines.push(table(rows, "      "));
  if (sla.results.length > shown.length) lines.push(`      … ${sla.results.length - shown.length} earlier results in --format json`);
  if (sla.totals.noClock > 0) lines.push(`      ${noClockSentence(sla.totals.noClock, sla.clock)}`);
  // Waived leads are out of met and missed: the lines say which, under which waiver (SPEC §8.4).
  for (const w of waiverLines(sla)) lines.push(`      ${visible(w)}`);
  return lines.join("\n");
}

import type { EvaluationResult, GoalResult, SlaCell, SlaResult } from "../engine/result.js";
import { plural } from "../engine/plural.js";
import { formatTime, headlineValue, attentionCells, attentionSlas, describeLead, leadsNotShown, describeCell, noClockSentence, formatMoney, formatNumber, formatPercent, formatTarget, formatValue, STATUS_EMOJI, STATUS_WORDS, waiverLines, whereOf, worstLead, explainCommand, type ReportCommand, cellTarget, targetChanged, versionsInForce, versionWords } from "./format-values.js";
import { markdownCell, markdownCode, markdownHtml, markdownText as md } from "./escape.js";
import { isLeadLevel } from "../lang/sla-kind.js";
import { rejectedRows, restOfRows, unmatchedRows } from "./not-used.js";

// Every value from the data or the policy text goes through md() (or markdownCode/markdownHtml):
// a CRM value cannot add a heading, a link, a mention, an HTML comment or close a <details>.
function row(cells: string[]): string {
  return `| ${cells.map(markdownCell).join(" | ")} |`;
}

/** A grouped goal's newest results shown in Markdown (a PR comment has a size limit); the JSON has all. */
const GOAL_RESULTS_SHOWN = 30;

/**
 * A grouped goal's results, each group against its own target (quotas per rep give each group
 * its own revenue): what the text report lists, folded, so a reviewer sees who is behind.
 */
function goalGroups(goal: GoalResult): string {
  const fraction = (actual: number, required: number | null) => `${formatNumber(actual)} of ${required === null ? "?" : formatNumber(required)}`;
  const head = ["period", "group", "status", ...goal.stages.map((st) => st.definition), "revenue"];
  const lines = [row(head), row(head.map(() => "---"))];
  const shown = goal.results.slice(-GOAL_RESULTS_SHOWN);
  for (const c of shown) {
    const revenue = `${formatMoney(c.revenue.actual, goal.currency)} of ${formatMoney(c.revenue.required, goal.currency)}`;
    lines.push(row([c.period, md(c.group), `${STATUS_EMOJI[c.status]} ${STATUS_WORDS[c.status]}`, ...c.stages.map((st) => fraction(st.actual, st.required)), revenue]));
  }
  const earlier = goal.results.length - shown.length;
  const rest = earlier > 0 ? `\n\n… and ${plural(earlier, "earlier result")} in the JSON report` : "";
  return `<details><summary><b>${markdownHtml(goal.id)}</b> by ${markdownHtml(goal.by.join(", "))}: ${plural(goal.results.length, "result")}</summary>\n\n${lines.join("\n")}${rest}\n\n</details>`;
}

function slaDetails(sla: SlaResult): string {
  const leadLevel = isLeadLevel(sla.kind);
  // With --versions each result says the version that judged it, and that version's target.
  const versioned = sla.results.some((c) => c.judgedBy);
  const head = [...(leadLevel ? ["period", "group", "status", "met %", "met", "missed", "open"] : ["period", "group", "status", sla.kind === "count" ? "leads" : "rate", "pace"]), ...(versioned ? ["target", "version"] : [])];
  const lines = [row(head), row(head.map(() => "---"))];
  for (const c of sla.results) {
    const target = cellTarget(sla, c);
    const judgedBy = c.judgedBy ? [formatTarget({ ...target, value: c.prorated?.target ?? target.value }), versionWords(c.judgedBy)] : [];
    lines.push(
      row([
        ...(leadLevel
          ? [c.period, md(c.group), `${STATUS_EMOJI[c.status]} ${STATUS_WORDS[c.status]}`, formatValue(c.value, "ratio"), String(c.met), String(c.breached), String(c.pending)]
          : [c.period, md(c.group), `${STATUS_EMOJI[c.status]} ${STATUS_WORDS[c.status]}`, formatValue(c.value, sla.target.unit), c.pace === null ? "" : formatNumber(Math.round(c.pace))]),
        ...judgedBy,
      ]),
    );
  }
  const waivers = waiverLines(sla).map((w) => `\n\n${md(w)}`).join("");
  const noClock = (sla.totals.noClock > 0 ? `\n\n${noClockSentence(sla.totals.noClock, sla.clock)}` : "") + waivers;
  return `<details><summary><b>${markdownHtml(sla.id)}</b>: ${plural(sla.results.length, "result")}</summary>\n\n${lines.join("\n")}${noClock}\n\n</details>\n`;
}

const ATTENTION_SHOWN = 30;
const LEADS_SHOWN = 5;

/** A result needing attention, with its first missed and open leads: breaches first, at risk marked. */
function attentionItem(sla: SlaResult, c: SlaCell, zone: string): string {
  const mark = c.status === "at_risk" ? "*(at risk)* " : "";
  const judgedBy = c.judgedBy ? ` · ${versionWords(c.judgedBy)}` : "";
  const lines = [`- ${STATUS_EMOJI[c.status]} ${mark}${markdownCode(sla.id)} ${md(whereOf(c, sla.by))}: ${describeCell(sla, c)}${judgedBy}`];
  for (const [word, list] of [["missed", c.breachedLeads], ["open", c.pendingLeads]] as const) {
    for (const lead of list.leads.slice(0, LEADS_SHOWN)) lines.push(`  - ${word} ${md(describeLead(lead, sla, zone))}`);
    const more = leadsNotShown(list, LEADS_SHOWN);
    if (more > 0) lines.push(`  - … and ${formatNumber(more)} more ${word} (every lead: the CSV report)`);
  }
  return lines.join("\n");
}

/** Markdown for a pull-request comment or a job summary: tables, status emoji, collapsible detail. */
export function renderMarkdown(result: EvaluationResult, options: { command?: ReportCommand | undefined } = {}): string {
  const out: string[] = [];
  const s = result.summary;
  const p = result.policy;
  // The headline agrees with the exit code: rejected input fails the run before any SLA does.
  out.push(s.input === "rejected" ? `## 🚫 ${md(p.title)}: rejected input (SLAs: ${STATUS_WORDS[s.status]})` : `## ${STATUS_EMOJI[s.status]} ${md(p.title)}: ${STATUS_WORDS[s.status]}`);
  out.push(`As of **${formatTime(result.asOf, p.timezone)}** · policy version ${p.version ?? "–"} · \`${p.hash.slice(0, 19)}…\``);
  if (result.versions) out.push(`\n**Versions in force:** ${md(versionsInForce(result.versions))}`);
  if (s.failing.length > 0) out.push(`\n**Fails the run:** ${s.failing.map((id) => `\`${id}\``).join(", ")}`);
  for (const note of result.notes) out.push(`\n> ${md(note)}`);

  out.push("", row(["", "SLA", "owner", "severity", "value", "target", "status"]), row(["---", "---", "---", "---", "---:", "---", "---"]));
  for (const sla of result.slas) {
    out.push(
      row([STATUS_EMOJI[sla.status], `**${md(sla.id)}** ${md(sla.title ?? sla.expectation)}`, md(sla.owner), sla.severity, md(headlineValue(sla)), `${targetChanged(sla) ? "now " : ""}${formatTarget(sla.target)}`, STATUS_WORDS[sla.status]]),
    );
  }
  // One list across SLAs: every breach first (each SLA's worst first), then every result at risk.
  const pairs = attentionSlas(result.slas).flatMap((sla) => attentionCells(sla).map((c) => ({ sla, c })));
  const attention = [...pairs.filter((p) => p.c.status === "breached"), ...pairs.filter((p) => p.c.status !== "breached")].map(({ sla, c }) =>
    attentionItem(sla, c, result.policy.timezone),
  );
  if (attention.length > 0) {
    out.push("", "### Needs attention", ...attention.slice(0, ATTENTION_SHOWN));
    if (attention.length > ATTENTION_SHOWN) out.push(`- … and ${attention.length - ATTENTION_SHOWN} more results needing attention in the JSON report`);
  }
  const worst = worstLead(result.slas);
  if (worst && options.command) {
    // One step from the worst miss to why: the explain command, ready to paste.
    out.push("", `**Worst lead:** ${markdownCode(worst.lead.id)} (${markdownCode(worst.sla.id)}); see why with ${markdownCode(explainCommand(options.command, worst.lead.id))}`);
  }
  out.push("", ...result.slas.map(slaDetails));

  if (result.goals.length > 0) {
    out.push("", "### Goals");
    for (const goal of result.goals) {
      out.push("", `**${md(goal.id)}** ${md(goal.title ?? "")} (${md(goal.owners.join(", "))}): ${STATUS_EMOJI[goal.status]} ${STATUS_WORDS[goal.status]} · ${formatMoney(goal.revenue, goal.currency)} per ${goal.per}`);
      out.push("", row(["stage", "rate", "required", `this ${goal.per}`]), row(["---", "---", "---:", "---:"]));
      for (const st of goal.stages) {
        out.push(row([md(st.definition), st.rate === null ? "" : `${formatPercent(st.rate)} (${st.rateSource})`, st.required === null ? "?" : formatNumber(st.required), formatNumber(st.actual)]));
      }
      if (goal.by.length > 0) out.push("", goalGroups(goal));
    }
  }

  out.push("", "### Input", row(["file", "read", "used", "rejected", "unmatched"]), row(["---", "---:", "---:", "---:", "---:"]));
  for (const f of result.input.files) out.push(row([markdownCode(f.file), formatNumber(f.read), formatNumber(f.used), formatNumber(f.rejected), formatNumber(f.unmatched)]));
  const rejects = result.input.rejects;
  const rejected = rejectedRows(result.input);
  if (rejected > 0) {
    out.push("", `<details><summary>Rejected rows (${rejected})</summary>\n`);
    for (const r of rejects.slice(0, 100)) out.push(`- ${markdownCode(`${r.file}:${r.line}`)} ${md(r.reason)}`);
    if (rejected > 100) {
      out.push(`- ${md(restOfRows(result.input, rejected - Math.min(100, rejects.length)))}`);
      out.push("", "By reason:", "");
      for (const r of result.input.rejectReasons.slice(0, 10)) out.push(`- ${formatNumber(r.count)} × ${md(r.reason)}`);
    }
    out.push("\n</details>");
  }
  const unmatched = result.input.unmatchedActivities;
  const unmatchedCount = unmatchedRows(result.input);
  if (unmatchedCount > 0) {
    out.push("", `<details><summary>Unmatched activities (${unmatchedCount})</summary>\n`);
    for (const r of unmatched.slice(0, 100)) out.push(`- ${markdownCode(`${r.file}:${r.line}`)} ${md(r.reason)}`);
    if (unmatchedCount > 100) out.push(`- ${md(restOfRows(result.input, unmatchedCount - Math.min(100, unmatched.length)))}`);
    out.push("\n</details>");
  }
  out.push("", `Definitions: ${Object.entries(result.definitions).map(([id, n]) => `${id} ${formatNumber(n)}`).join(" · ")}`);
  return `${out.join("\n")}\n`;
}

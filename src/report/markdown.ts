import type { EvaluationResult, SlaCell, SlaResult } from "../engine/result.js";
import { plural } from "../engine/plural.js";
import { formatTime, headlineValue, attentionCells, attentionSlas, describeLead, leadsNotShown, describeCell, noClockSentence, formatMoney, formatNumber, formatPercent, formatTarget, formatValue, STATUS_EMOJI, STATUS_WORDS, whereOf } from "./format-values.js";
import { isLeadLevel } from "../lang/sla-kind.js";

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function row(cells: string[]): string {
  return `| ${cells.map(cell).join(" | ")} |`;
}

function slaDetails(sla: SlaResult): string {
  const leadLevel = isLeadLevel(sla.kind);
  const head = leadLevel ? ["period", "group", "status", "met %", "met", "missed", "open"] : ["period", "group", "status", sla.kind === "count" ? "leads" : "rate", "pace"];
  const lines = [row(head), row(head.map(() => "---"))];
  for (const c of sla.results) {
    lines.push(
      row(
        leadLevel
          ? [c.period, c.group, `${STATUS_EMOJI[c.status]} ${STATUS_WORDS[c.status]}`, formatValue(c.value, "ratio"), String(c.met), String(c.breached), String(c.pending)]
          : [c.period, c.group, `${STATUS_EMOJI[c.status]} ${STATUS_WORDS[c.status]}`, formatValue(c.value, sla.target.unit), c.pace === null ? "" : formatNumber(Math.round(c.pace))],
      ),
    );
  }
  const noClock = sla.totals.noClock > 0 ? `\n\n${noClockSentence(sla.totals.noClock, sla.clock)}` : "";
  return `<details><summary><b>${sla.id}</b>: ${plural(sla.results.length, "result")}</summary>\n\n${lines.join("\n")}${noClock}\n\n</details>\n`;
}

const ATTENTION_SHOWN = 30;
const LEADS_SHOWN = 5;

/** A result needing attention, with its first missed and open leads: breaches first, at risk marked. */
function attentionItem(sla: SlaResult, c: SlaCell, zone: string): string {
  const mark = c.status === "at_risk" ? "*(at risk)* " : "";
  const lines = [`- ${STATUS_EMOJI[c.status]} ${mark}\`${sla.id}\` ${whereOf(c, sla.by)}: ${describeCell(sla, c)}`];
  for (const [word, list] of [["missed", c.breachedLeads], ["open", c.pendingLeads]] as const) {
    for (const lead of list.leads.slice(0, LEADS_SHOWN)) lines.push(`  - ${word} ${cell(describeLead(lead, sla, zone))}`);
    const more = leadsNotShown(list, LEADS_SHOWN);
    if (more > 0) lines.push(`  - … and ${formatNumber(more)} more ${word} (every lead: the CSV report)`);
  }
  return lines.join("\n");
}

/** Markdown for a pull-request comment or a job summary: tables, status emoji, collapsible detail. */
export function renderMarkdown(result: EvaluationResult): string {
  const out: string[] = [];
  const s = result.summary;
  const p = result.policy;
  // The headline agrees with the exit code: rejected input fails the run before any SLA does.
  out.push(s.input === "rejected" ? `## 🚫 ${p.title}: rejected input (SLAs: ${STATUS_WORDS[s.status]})` : `## ${STATUS_EMOJI[s.status]} ${p.title}: ${STATUS_WORDS[s.status]}`);
  out.push(`As of **${formatTime(result.asOf, p.timezone)}** · policy version ${p.version ?? "–"} · \`${p.hash.slice(0, 19)}…\``);
  if (s.failing.length > 0) out.push(`\n**Fails the run:** ${s.failing.map((id) => `\`${id}\``).join(", ")}`);
  for (const note of result.notes) out.push(`\n> ${note}`);

  out.push("", row(["", "SLA", "owner", "severity", "value", "target", "status"]), row(["---", "---", "---", "---", "---:", "---", "---"]));
  for (const sla of result.slas) {
    out.push(
      row([STATUS_EMOJI[sla.status], `**${sla.id}** ${sla.title ?? sla.expectation}`, sla.owner, sla.severity, headlineValue(sla), formatTarget(sla.target), STATUS_WORDS[sla.status]]),
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
  out.push("", ...result.slas.map(slaDetails));

  if (result.goals.length > 0) {
    out.push("", "### Goals");
    for (const goal of result.goals) {
      out.push("", `**${goal.id}** ${goal.title ?? ""} (${goal.owners.join(", ")}): ${STATUS_EMOJI[goal.status]} ${STATUS_WORDS[goal.status]} · ${formatMoney(goal.revenue, goal.currency)} per ${goal.per}`);
      out.push("", row(["stage", "rate", "required", `this ${goal.per}`]), row(["---", "---", "---:", "---:"]));
      for (const st of goal.stages) {
        out.push(row([st.definition, st.rate === null ? "" : `${formatPercent(st.rate)} (${st.rateSource})`, st.required === null ? "?" : formatNumber(st.required), formatNumber(st.actual)]));
      }
    }
  }

  out.push("", "### Input", row(["file", "read", "used", "rejected"]), row(["---", "---:", "---:", "---:"]));
  for (const f of result.input.files) out.push(row([`\`${f.file}\``, formatNumber(f.read), formatNumber(f.used), formatNumber(f.rejected)]));
  const rejects = result.input.rejects;
  if (rejects.length > 0) {
    out.push("", `<details><summary>Rejected rows (${rejects.length})</summary>\n`);
    for (const r of rejects.slice(0, 100)) out.push(`- \`${r.file}:${r.line}\` ${cell(r.reason)}`);
    if (rejects.length > 100) out.push(`- … ${rejects.length - 100} more in the JSON report`);
    out.push("\n</details>");
  }
  out.push("", `Definitions: ${Object.entries(result.definitions).map(([id, n]) => `${id} ${formatNumber(n)}`).join(" · ")}`);
  return `${out.join("\n")}\n`;
}

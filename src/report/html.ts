import { STATUS_ORDER, type EvaluationResult, type GoalCell, type GoalResult, type SlaCell, type SlaResult } from "../engine/result.js";
import { plural } from "../engine/plural.js";
import type { BaselineComparison } from "./baseline.js";
import { barChart, MAX_SERIES, type BarSeries, type VersionBand } from "./charts/bars.js";
import { changesSection } from "./charts/changes.js";
import { heatmap, shortfall } from "./charts/heatmap.js";
import { hbarChart } from "./charts/hbars.js";
import { funnelChart } from "./charts/funnel.js";
import { esc, formatIn, targetText } from "./charts/markup.js";
import { badge, foldedList, table } from "./charts/parts.js";
import { DEFS, STYLE } from "./charts/style.js";
import { isLeadLevel } from "../lang/sla-kind.js";
import { leadsSection } from "./html-leads.js";
import { type ReportCommand, describeCell, formatMoney, formatNumber, formatPercent, formatTime, formatValue, STATUS_WORDS, waiverLines, whereOf, cellTarget, targetChanged, versionsInForce, versionWords } from "./format-values.js";

/**
 * The compliance dashboard: one self-contained HTML file (styles, charts and one line of script
 * inline; nothing fetched when it is opened) for a CMO to open from a CI artifact. Charts are
 * static SVG and HTML drawn here (scales and number formats from d3-scale and d3-format, see
 * src/report/charts/): they print sharply, follow the reader's colour scheme, and each carries a
 * text alternative and is followed by the table of its numbers.
 */

/** Beyond this many bars (groups × periods), grouped bars turn into a barcode: a heatmap instead. */
const MAX_BARS = 96;
const ATTENTION_SHOWN = 6;
const PACE_SHOWN = 12;
const OWNERS_SHOWN = 15;

const leadLevel = (sla: SlaResult) => isLeadLevel(sla.kind);

function measure(sla: SlaResult): string {
  return leadLevel(sla) ? "share of leads that met it" : sla.kind === "count" ? "leads" : "rate";
}

/** A sentence for screen readers and for anyone who wants the gist without reading bars. */
function slaAlt(sla: SlaResult, periods: readonly string[], groups: readonly string[]): string {
  const judged = sla.results.filter((c) => c.value !== null);
  const breached = sla.results.filter((c) => c.status === "breached").length;
  const worst = [...judged].sort((a, b) => shortfall(b.value ?? 0, cellTarget(sla, b)) - shortfall(a.value ?? 0, cellTarget(sla, a)))[0];
  const shape = `${plural(periods.length, sla.per ?? "period")}${sla.by.length ? ` × ${plural(groups.length, sla.by.join(" / "))}` : ""}`;
  const worstText = worst && breached ? `; furthest from target: ${whereOf(worst, sla.by)} at ${formatIn(sla.target.unit, worst.value ?? 0)}` : "";
  return `${sla.title ?? sla.id}: ${measure(sla)}, ${shape}, target ${targetText(sla.target)}. ${plural(breached, "result")} of ${sla.results.length} breached${worstText}.`;
}

/**
 * The chart's time axis: one category per period, or with `eval --versions git` per period and
 * version, so that a period split by a new version shows both parts ("2027-01 · v2"), and the
 * runs of categories each version judged (shaded bands on bar charts).
 */
function timeAxis(sla: SlaResult): { periods: string[]; keyOf: (c: SlaCell) => string; bands: VersionBand[] } {
  if (!sla.results.some((c) => c.judgedBy)) return { periods: [...new Set(sla.results.map((c) => c.period))], keyOf: (c) => c.period, bands: [] };
  const versionsOf = new Map<string, Set<string>>();
  for (const c of sla.results) versionsOf.set(c.period, (versionsOf.get(c.period) ?? new Set()).add(c.judgedBy?.commit ?? ""));
  const keyOf = (c: SlaCell) => ((versionsOf.get(c.period)?.size ?? 0) > 1 ? `${c.period} · v${c.judgedBy?.version ?? "?"}` : c.period);
  const periods: string[] = [];
  const seen = new Set<string>();
  const bands: VersionBand[] = [];
  for (const c of sla.results) {
    const key = keyOf(c);
    if (seen.has(key)) continue;
    seen.add(key);
    periods.push(key);
    const last = bands.at(-1);
    const label = c.judgedBy ? versionWords(c.judgedBy) : "";
    if (last && last.label === label) last.to = periods.length - 1;
    else bands.push({ from: periods.length - 1, to: periods.length - 1, label, target: cellTarget(sla, c).value });
  }
  return { periods, keyOf, bands };
}

function slaChart(sla: SlaResult): string {
  const { periods, keyOf, bands } = timeAxis(sla);
  const groups = [...new Set(sla.results.map((c) => c.group))];
  const cellAt = new Map(sla.results.map((c) => [`${keyOf(c)}\u0000${c.group}`, c]));
  const at = (p: string, g: string): SlaCell | undefined => cellAt.get(`${p}\u0000${g}`);
  const alt = slaAlt(sla, periods, groups);
  const tip = (c: SlaCell | undefined, p: string, g: string) => `${whereOf({ period: p, group: g }, sla.by)}: ${c ? `${formatValue(c.value, sla.target.unit)}, ${STATUS_WORDS[c.status]}` : "no result"}`;
  if (groups.length > MAX_SERIES || groups.length * periods.length > MAX_BARS) {
    const rows = groups.map((g) => ({ group: g, cells: periods.map((p) => ({ value: at(p, g)?.value ?? null, status: at(p, g)?.status ?? "no_data", tip: tip(at(p, g), p, g) })) }));
    return heatmap({ id: `sla-${sla.id}`, alt, groupLabel: sla.by.join(" / ") || "group", periods, rows, target: sla.target });
  }
  const series: BarSeries[] = groups.map((g) => ({
    name: g === "all" ? sla.id : g,
    bars: periods.map((p) => ({ value: at(p, g)?.value ?? null, breached: at(p, g)?.status === "breached", tip: tip(at(p, g), p, g) })),
  }));
  return barChart({ id: `sla-${sla.id}`, alt, categories: periods, series, target: { value: sla.target.value, label: `target ${targetText(sla.target)}` }, unit: sla.target.unit, bands });
}

/** Breached and at-risk results, worst first (breached before at risk, then by shortfall). */
function attention(sla: SlaResult): SlaCell[] {
  const rank = (c: SlaCell) => (c.status === "breached" ? 0 : 1);
  return sla.results
    .filter((c) => c.status === "breached" || c.status === "at_risk")
    .sort((a, b) => rank(a) - rank(b) || shortfall(b.value ?? 0, cellTarget(sla, b)) - shortfall(a.value ?? 0, cellTarget(sla, a)));
}

function slaSection(sla: SlaResult): string {
  const rows = sla.results.map((c) => ({
    key: { period: c.period, group: c.group },
    cells: [
      { text: whereOf(c, sla.by) },
      { text: STATUS_WORDS[c.status] },
      { text: formatValue(c.value, sla.target.unit), value: c.value },
      ...(leadLevel(sla)
        ? [{ text: formatNumber(c.met), value: c.met }, { text: formatNumber(c.breached), value: c.breached }, { text: formatNumber(c.pending), value: c.pending }]
        : [{ text: formatNumber(c.leads), value: c.leads }, { text: c.pace === null ? "" : formatNumber(Math.round(c.pace)) }]),
      ...(c.judgedBy ? [{ text: targetText({ ...cellTarget(sla, c), value: c.prorated?.target ?? cellTarget(sla, c).value }) }, { text: versionWords(c.judgedBy) }] : []),
    ],
  }));
  const versioned = sla.results.some((c) => c.judgedBy);
  const head = ["result", "status", sla.kind === "count" ? "leads" : "value", ...(leadLevel(sla) ? ["met", "missed", "open"] : ["in population", "pace"]), ...(versioned ? ["target", "version"] : [])];
  const items = attention(sla).map((c) => `${badge(c.status)} ${esc(whereOf(c, sla.by))}: ${esc(describeCell(sla, c))}${c.judgedBy ? ` · ${esc(versionWords(c.judgedBy))}` : ""}`);
  return `<section class="sla" aria-labelledby="h-${esc(sla.id)}">
<h3 id="h-${esc(sla.id)}">${badge(sla.status)} ${esc(sla.title ?? sla.id)}</h3>
<p class="meta">${esc(sla.owner)} · ${esc(sla.severity)} · <code>${esc(sla.expectation)}</code> · overall ${esc(formatValue(sla.value, sla.target.unit))} (target ${targetChanged(sla) ? "now " : ""}${esc(targetText(sla.target))})${sla.totals.noClock ? ` · ${esc(plural(sla.totals.noClock, "lead"))} without ${esc(sla.clock)} not judged` : ""}</p>${waiverLines(sla).map((w) => `\n<p class="meta waiver">${esc(w)}</p>`).join("")}
${foldedList("attention", items, ATTENTION_SHOWN, "result")}
${slaChart(sla)}
${table(`${sla.id} by period and group`, head, rows)}
</section>`;
}

function funnelSection(goal: GoalResult): string {
  const alt = `${goal.title ?? goal.id}: leads required and leads so far this ${goal.per}, per funnel stage: ${goal.stages.map((s) => `${s.definition} ${formatNumber(s.actual)} of ${s.required === null ? "unknown" : formatNumber(s.required)}`).join(", ")}.`;
  const chart = funnelChart({ id: `goal-${goal.id}`, alt, stages: goal.stages.map((s) => ({ name: s.definition, required: s.required, actual: s.actual })) });
  const legend = `<p class="legend"><span><i class="swatch required"></i>required this ${esc(goal.per)}</span><span><i class="swatch actual"></i>actual so far</span></p>`;
  // Worst first: by status, then by the share of the revenue required that the pace (or the actual) reaches.
  const reach = (r: GoalCell) => (r.revenue.pace ?? r.revenue.actual) / Math.max(1, r.revenue.required);
  const current = goal.results
    .filter((r) => r.period === goal.results.at(-1)?.period)
    .sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || reach(a) - reach(b));
  const pace = current.map((r) => `${badge(r.status)} ${esc(`${whereOf(r, goal.by)}: revenue ${formatMoney(r.revenue.actual, goal.currency)}${r.revenue.pace !== null ? ` (pace ${formatMoney(r.revenue.pace, goal.currency)})` : ""} of ${formatMoney(r.revenue.required, goal.currency)}`)}`);
  const rows = goal.stages.map((s) => ({
    key: { stage: s.definition },
    cells: [{ text: s.definition }, { text: s.rate === null ? "" : `${formatPercent(s.rate)} (${s.rateSource})`, value: s.rate }, { text: s.required === null ? "?" : formatNumber(s.required), value: s.required }, { text: formatNumber(s.actual), value: s.actual }],
  }));
  return `<section class="goal" aria-labelledby="h-goal-${esc(goal.id)}">
<h3 id="h-goal-${esc(goal.id)}">${badge(goal.status)} ${esc(goal.title ?? goal.id)}</h3>
<p class="meta">${esc(goal.owners.join(", "))} · ${esc(formatMoney(goal.revenue, goal.currency))} per ${esc(goal.per)} · average deal ${goal.averageDeal.value === null ? "unknown" : esc(formatMoney(goal.averageDeal.value, goal.currency))} (${esc(goal.averageDeal.source)})</p>
${chart}${legend}
${foldedList("pace", pace, PACE_SHOWN, "group")}
${table(`${goal.id} funnel`, ["stage", "rate", "required", "actual"], rows)}
</section>`;
}

/** Breached results per owning team, and missed leads per group of lead-level SLAs (e.g. per rep), most first. */
function breachesByOwner(result: EvaluationResult): string {
  const byTeam = new Map<string, number>();
  const byGroup = new Map<string, number>();
  for (const sla of result.slas) {
    byTeam.set(sla.owner, (byTeam.get(sla.owner) ?? 0) + sla.results.filter((c) => c.status === "breached").length);
    if (leadLevel(sla) && sla.by.length > 0) for (const c of sla.results) byGroup.set(c.group, (byGroup.get(c.group) ?? 0) + c.breached);
  }
  const sorted = (m: Map<string, number>) => [...m].map(([label, value]) => ({ label, value })).sort((a, b) => b.value - a.value || a.label.localeCompare(b.label));
  const teams = sorted(byTeam);
  const groups = sorted(byGroup);
  const teamChart = hbarChart({ id: "breaches-team", alt: `Breached results by owning team: ${teams.map((t) => `${t.label} ${t.value}`).join(", ")}.`, rows: teams, noun: "breached results", rowsNoun: "teams", shown: OWNERS_SHOWN });
  const groupChart = groups.length
    ? `<h3>Leads that missed a lead-level SLA, by owner</h3>${hbarChart({ id: "breaches-owner", alt: `Leads that missed a lead-level SLA, by owner, most first: ${groups.slice(0, 5).map((g) => `${g.label} ${g.value}`).join(", ")}${groups.length > 5 ? `, and ${groups.length - 5} more` : ""}.`, rows: groups, noun: "missed leads", rowsNoun: "owners", shown: OWNERS_SHOWN })}` +
      table("Missed leads by owner", ["owner", "missed leads"], groups.map((g) => ({ key: { group: g.label }, cells: [{ text: g.label }, { text: formatNumber(g.value), value: g.value }] })))
    : "";
  return `<section aria-labelledby="h-breaches"><h2 id="h-breaches">Breaches by owner</h2><h3>Breached results by owning team</h3>${teamChart}${table("Breached results by team", ["team", "breached results"], teams.map((t) => ({ key: { team: t.label }, cells: [{ text: t.label }, { text: formatNumber(t.value), value: t.value }] })))}${groupChart}</section>`;
}

export interface HtmlOptions {
  /** What changed since an earlier report (`eval --baseline`). */
  baseline?: BaselineComparison;
  /** The snapshot and policies of this run, for the `explain` command shown beside each lead. */
  command?: ReportCommand;
}

export function renderHtml(result: EvaluationResult, options: HtmlOptions = {}): string {
  const p = result.policy;
  const s = result.summary;
  const cards = result.slas
    .map((sla) => `<li><div>${badge(sla.status)}</div><div class="value">${esc(formatValue(sla.value, sla.target.unit))}</div><div>${esc(sla.title ?? sla.id)}</div><div class="meta">target ${esc(targetText(sla.target))} · ${esc(sla.owner)} · ${esc(sla.severity)}</div></li>`)
    .join("");
  const inputs = table("Rows read, used, rejected and unmatched", ["file", "read", "used", "rejected", "unmatched"], result.input.files.map((f) => ({ cells: [{ text: f.file }, { text: formatNumber(f.read), value: f.read }, { text: formatNumber(f.used), value: f.used }, { text: formatNumber(f.rejected), value: f.rejected }, { text: formatNumber(f.unmatched), value: f.unmatched }] })));
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(p.title)}: ${esc(STATUS_WORDS[s.status])} as of ${esc(result.asOf.slice(0, 10))}</title>
<style>${STYLE}</style>
</head>
<body>
${DEFS}
<main>
<header>
<h1>${esc(p.title)}</h1>
<p class="meta">Policy version ${esc(String(p.version ?? "–"))}${p.effective ? `, in force from ${esc(p.effective)}` : ""} · snapshot as of <time datetime="${esc(result.asOf)}">${esc(formatTime(result.asOf, p.timezone))}</time> · times in ${esc(p.timezone)} · <code title="${esc(p.hash)}">${esc(p.hash.slice(0, 19))}…</code></p>
${result.versions ? `<p class="meta versions">Versions in force: ${esc(versionsInForce(result.versions))} (bar charts shade each version's periods; heatmaps and tables name the version per result)</p>` : ""}
<p class="overall">Overall: ${badge(s.status)}${s.failing.length ? ` — fails the run: ${esc(s.failing.join(", "))}` : ""}</p>
</header>
${result.notes.length ? `<div class="notes" role="note">${result.notes.map((n) => `<p>${esc(n)}</p>`).join("")}</div>` : ""}
<section aria-labelledby="h-summary"><h2 id="h-summary">SLAs at a glance</h2><ul class="cards">${cards}</ul></section>
${options.baseline ? changesSection(options.baseline) : ""}
<section aria-labelledby="h-slas"><h2 id="h-slas">Compliance over time</h2>${result.slas.map(slaSection).join("\n")}</section>
${result.goals.length ? `<section aria-labelledby="h-goals"><h2 id="h-goals">Funnel and goals</h2>${result.goals.map(funnelSection).join("\n")}</section>` : ""}
${breachesByOwner(result)}
${leadsSection(result, esc, options.command)}
<section aria-labelledby="h-input"><h2 id="h-input">Data</h2>${inputs}<p class="meta">${esc(Object.entries(result.definitions).map(([id, n]) => `${id}: ${formatNumber(n)}`).join(" · "))}</p></section>
<footer>Made by smarketing-policy. Leads are named by id; personal fields are not shown.</footer>
</main>
<script>window.addEventListener("beforeprint",function(){document.querySelectorAll("details").forEach(function(d){d.open=true})});</script>
</body>
</html>
`;
}

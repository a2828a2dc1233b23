import type { EvaluationResult, GoalResult, SlaResult, Status } from "../engine/result.js";
import { plural } from "../engine/plural.js";
import { describeCell, formatMoney, formatNumber, formatPercent, formatTarget, formatValue, STATUS_WORDS, whereOf } from "./format-values.js";
import { isLeadLevel } from "../lang/sla-kind.js";

/**
 * The compliance dashboard: one self-contained HTML file (styles, charts and a few lines of
 * script inline; nothing fetched when it is opened) for a CMO to open from a CI artifact.
 * Charts are plain SVG: they print sharply, scale, and carry their own text alternative; every
 * chart is followed by the table of its numbers.
 */

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const ICON: Record<Status, string> = { met: "✔", breached: "✖", at_risk: "▲", in_progress: "◷", no_data: "–" };
const SERIES = ["var(--s1)", "var(--s2)", "var(--s3)", "var(--s4)", "var(--s5)", "var(--s6)"];

function badge(status: Status): string {
  return `<span class="badge ${status}">${ICON[status]} ${STATUS_WORDS[status]}</span>`;
}

function table(caption: string, head: string[], rows: string[][]): string {
  return `<details class="numbers"><summary>Show the numbers</summary><table><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join("")}</tr>`)
    .join("")}</tbody></table></details>`;
}

interface Series {
  name: string;
  values: Array<number | null>;
}

/** Bars per period (one per series), with a dashed target line. */
function barChart(id: string, title: string, periods: string[], series: Series[], target: number | null, unit: "leads" | "ratio"): string {
  const W = 720;
  const H = 260;
  const pad = { l: 56, r: 16, t: 16, b: 48 };
  const values = series.flatMap((s) => s.values).filter((v): v is number => v !== null);
  const max = unit === "ratio" ? 1 : Math.max(1, target ?? 0, ...values) * 1.1;
  const x0 = pad.l;
  const plotW = W - pad.l - pad.r;
  const plotH = H - pad.t - pad.b;
  const y = (v: number) => pad.t + plotH - (v / max) * plotH;
  const groupW = plotW / Math.max(1, periods.length);
  const barW = Math.max(2, (groupW * 0.8) / Math.max(1, series.length));
  const fmt = (v: number) => (unit === "ratio" ? formatPercent(v) : formatNumber(Math.round(v)));
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  let points = 0;
  const bars = series
    .map((s, si) =>
      s.values
        .map((v, pi) => {
          if (v === null) return "";
          points++;
          const bx = x0 + pi * groupW + groupW * 0.1 + si * barW;
          return `<rect class="point" x="${bx.toFixed(1)}" y="${y(v).toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(pad.t + plotH - y(v)).toFixed(1)}" fill="${SERIES[si % SERIES.length]}"><title>${esc(`${s.name} ${periods[pi]}: ${fmt(v)}`)}</title></rect>`;
        })
        .join(""),
    )
    .join("");
  const targetLine =
    target === null
      ? ""
      : `<line class="target" x1="${x0}" x2="${W - pad.r}" y1="${y(target).toFixed(1)}" y2="${y(target).toFixed(1)}"/><text class="target-label" x="${W - pad.r}" y="${(y(target) - 4).toFixed(1)}" text-anchor="end">target ${esc(fmt(target))}</text>`;
  const axis = ticks.map((t) => `<line class="grid" x1="${x0}" x2="${W - pad.r}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/><text class="tick" x="${x0 - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${esc(fmt(t))}</text>`).join("");
  const labels = periods.map((p, i) => `<text class="tick" x="${(x0 + i * groupW + groupW / 2).toFixed(1)}" y="${H - pad.b + 16}" text-anchor="middle">${esc(p)}</text>`).join("");
  const legend =
    series.length > 1
      ? `<p class="legend">${series.map((s, i) => `<span><i style="background:${SERIES[i % SERIES.length]}"></i>${esc(s.name)}</span>`).join("")}</p>`
      : "";
  const desc = `${series.length} series over ${periods.length} periods${target === null ? "" : `, target ${fmt(target)}`}`;
  return `<figure><svg id="${esc(id)}" class="chart" role="img" aria-labelledby="${esc(id)}-t ${esc(id)}-d" viewBox="0 0 ${W} ${H}" data-points="${points}"><title id="${esc(id)}-t">${esc(title)}</title><desc id="${esc(id)}-d">${esc(desc)}</desc>${axis}${bars}${targetLine}${labels}</svg>${legend}</figure>`;
}

/** Periods in order, and for each series (group) its value per period. */
function slaSeries(sla: SlaResult): { periods: string[]; series: Series[] } {
  const periods = [...new Set(sla.results.map((c) => c.period))];
  const groups = [...new Set(sla.results.map((c) => c.group))];
  const series = groups.map((g) => ({
    name: g === "all" ? sla.id : g,
    values: periods.map((p) => sla.results.find((c) => c.period === p && c.group === g)?.value ?? null),
  }));
  return { periods, series };
}

function slaSection(sla: SlaResult): string {
  const { periods, series } = slaSeries(sla);
  const leadLevel = isLeadLevel(sla.kind);
  const chart = barChart(`sla-${sla.id}`, `${sla.title ?? sla.id}: ${leadLevel ? "share of leads that met it" : sla.kind === "count" ? "leads" : "rate"} by period${sla.by.length ? ` and ${sla.by.join(", ")}` : ""}`, periods, series, sla.target.value, sla.target.unit);
  const rows = sla.results.map((c) => [
    whereOf(c, sla.by),
    STATUS_WORDS[c.status],
    formatValue(c.value, sla.target.unit),
    ...(leadLevel ? [String(c.met), String(c.breached), String(c.pending)] : [String(c.leads), c.pace === null ? "" : formatNumber(Math.round(c.pace))]),
  ]);
  const head = ["result", "status", sla.kind === "count" ? "leads" : "value", ...(leadLevel ? ["met", "missed", "open"] : ["in population", "pace"])];
  const attention = sla.results.filter((c) => c.status === "breached" || c.status === "at_risk").slice(-6);
  return `<section class="sla" aria-labelledby="h-${esc(sla.id)}">
<h3 id="h-${esc(sla.id)}">${badge(sla.status)} ${esc(sla.title ?? sla.id)}</h3>
<p class="meta">${esc(sla.owner)} · ${esc(sla.severity)} · <code>${esc(sla.expectation)}</code> · overall ${esc(formatValue(sla.value, sla.target.unit))} (target ${esc(formatTarget(sla.target))})${sla.totals.noClock ? ` · ${esc(plural(sla.totals.noClock, "lead"))} without ${esc(sla.clock)} not judged` : ""}</p>
${attention.length ? `<ul class="attention">${attention.map((c) => `<li>${badge(c.status)} ${esc(whereOf(c, sla.by))}: ${esc(describeCell(sla, c))}</li>`).join("")}</ul>` : ""}
${chart}
${table(`${sla.id} by period and group`, head, rows)}
</section>`;
}

function funnelSection(goal: GoalResult): string {
  const W = 720;
  const rowH = 44;
  const H = goal.stages.length * rowH + 30;
  const max = Math.max(1, ...goal.stages.flatMap((s) => [s.required ?? 0, s.actual]));
  const x = (v: number) => 150 + (v / max) * (W - 180);
  let points = 0;
  const rows = goal.stages
    .map((s, i) => {
      const y0 = 10 + i * rowH;
      points++;
      const required = s.required === null ? "" : `<rect class="required" x="150" y="${y0}" width="${(x(s.required) - 150).toFixed(1)}" height="16"><title>${esc(`${s.definition} required: ${formatNumber(s.required)}`)}</title></rect>`;
      return `<text class="tick" x="140" y="${y0 + 18}" text-anchor="end">${esc(s.definition)}</text>${required}<rect class="point actual" x="150" y="${y0 + 18}" width="${Math.max(1, x(s.actual) - 150).toFixed(1)}" height="16"><title>${esc(`${s.definition} actual: ${formatNumber(s.actual)}`)}</title></rect>`;
    })
    .join("");
  const svg = `<figure><svg id="goal-${esc(goal.id)}" class="chart" role="img" aria-labelledby="goal-${esc(goal.id)}-t" viewBox="0 0 ${W} ${H}" data-points="${points}"><title id="goal-${esc(goal.id)}-t">${esc(`${goal.title ?? goal.id}: required and actual leads per funnel stage this ${goal.per}`)}</title>${rows}</svg><p class="legend"><span><i class="required"></i>required this ${esc(goal.per)}</span><span><i class="actual"></i>actual so far</span></p></figure>`;
  const current = goal.results.filter((r) => r.period === goal.results.at(-1)?.period);
  const pace = current.map((r) => `${whereOf(r, goal.by)}: revenue ${formatMoney(r.revenue.actual, goal.currency)}${r.revenue.pace !== null ? ` (pace ${formatMoney(r.revenue.pace, goal.currency)})` : ""} of ${formatMoney(r.revenue.required, goal.currency)}`);
  return `<section class="goal" aria-labelledby="h-goal-${esc(goal.id)}">
<h3 id="h-goal-${esc(goal.id)}">${badge(goal.status)} ${esc(goal.title ?? goal.id)}</h3>
<p class="meta">${esc(goal.owners.join(", "))} · ${esc(formatMoney(goal.revenue, goal.currency))} per ${esc(goal.per)} · average deal ${goal.averageDeal.value === null ? "unknown" : esc(formatMoney(goal.averageDeal.value, goal.currency))} (${esc(goal.averageDeal.source)})</p>
${svg}
<ul class="pace">${pace.slice(0, 12).map((p) => `<li>${esc(p)}</li>`).join("")}</ul>
${table(`${goal.id} funnel`, ["stage", "rate", "required", "actual"], goal.stages.map((s) => [s.definition, s.rate === null ? "" : `${formatPercent(s.rate)} (${s.rateSource})`, s.required === null ? "?" : formatNumber(s.required), formatNumber(s.actual)]))}
</section>`;
}

/** Missed leads per group value, for lead-level SLAs grouped by a field (e.g. per rep). */
function breachesByOwner(result: EvaluationResult): string {
  const byTeam = new Map<string, number>();
  const byGroup = new Map<string, number>();
  for (const sla of result.slas) {
    const breached = sla.results.filter((c) => c.status === "breached").length;
    byTeam.set(sla.owner, (byTeam.get(sla.owner) ?? 0) + breached);
    if (isLeadLevel(sla.kind) && sla.by.length > 0) {
      for (const c of sla.results) byGroup.set(c.group, (byGroup.get(c.group) ?? 0) + c.breached);
    }
  }
  const teams = [...byTeam.keys()];
  const teamChart = barChart("breaches-team", "Breached results by owning team", teams, [{ name: "breached results", values: teams.map((t) => byTeam.get(t) ?? 0) }], null, "leads");
  const groups = [...byGroup.keys()].sort();
  const groupChart = groups.length
    ? barChart("breaches-owner", "Leads that missed a lead-level SLA, by owner", groups, [{ name: "missed leads", values: groups.map((g) => byGroup.get(g) ?? 0) }], null, "leads") +
      table("Missed leads by owner", ["owner", "missed leads"], groups.map((g) => [g, String(byGroup.get(g))]))
    : "";
  return `<section aria-labelledby="h-breaches"><h2 id="h-breaches">Breaches by owner</h2>${teamChart}${table("Breached results by team", ["team", "breached results"], teams.map((t) => [t, String(byTeam.get(t))]))}${groupChart}</section>`;
}

const STYLE = `
:root{--bg:#fff;--fg:#1b1f24;--muted:#57606a;--card:#f6f8fa;--line:#d0d7de;--met:#1a7f37;--breached:#cf222e;--at_risk:#9a6700;--in_progress:#0969da;--no_data:#57606a;
--s1:#0969da;--s2:#bf3989;--s3:#1a7f37;--s4:#9a6700;--s5:#8250df;--s6:#57606a;--required:#afb8c1;--actual:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--card:#161b22;--line:#30363d;--met:#3fb950;--breached:#ff7b72;--at_risk:#d29922;--in_progress:#58a6ff;--no_data:#9198a1;
--s1:#58a6ff;--s2:#f778ba;--s3:#3fb950;--s4:#d29922;--s5:#bc8cff;--s6:#9198a1;--required:#484f58;--actual:#58a6ff}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:1.6rem;margin:0 0 4px}h2{margin-top:40px;border-bottom:1px solid var(--line);padding-bottom:4px}
.meta{color:var(--muted);margin:4px 0}.badge{display:inline-block;padding:1px 8px;border-radius:999px;font-size:.85rem;font-weight:600;border:1px solid currentColor}
.badge.met{color:var(--met)}.badge.breached{color:var(--breached)}.badge.at_risk{color:var(--at_risk)}.badge.in_progress{color:var(--in_progress)}.badge.no_data{color:var(--no_data)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(240px,1fr));gap:12px;padding:0;list-style:none}.cards li{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px}
.cards .value{font-size:1.5rem;font-weight:700}section.sla,section.goal{margin:28px 0}figure{margin:12px 0}.chart{width:100%;height:auto;background:var(--card);border-radius:8px}
.chart .grid{stroke:var(--line);stroke-width:1}.chart .tick,.chart .target-label{fill:var(--muted);font-size:11px}.chart .target{stroke:var(--fg);stroke-width:2;stroke-dasharray:6 4}
.chart .required{fill:var(--required)}.chart .actual{fill:var(--actual)}.legend{display:flex;gap:16px;flex-wrap:wrap;color:var(--muted);font-size:.85rem;margin:4px 0}
.legend i{display:inline-block;width:10px;height:10px;margin-right:6px;border-radius:2px}.legend i.required{background:var(--required)}.legend i.actual{background:var(--actual)}
table{border-collapse:collapse;margin:8px 0;font-size:.9rem}caption{text-align:left;color:var(--muted);padding:4px 0}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left}td{font-variant-numeric:tabular-nums}
details.numbers summary{cursor:pointer;color:var(--in_progress)}ul.attention{padding-left:18px}.notes{background:var(--card);border-left:4px solid var(--at_risk);padding:8px 12px}
footer{color:var(--muted);margin-top:40px;font-size:.85rem}
@media print{body{background:#fff;color:#000}main{max-width:none;padding:0}details.numbers summary{display:none}section{break-inside:avoid}.chart{background:none}}
`;

export function renderHtml(result: EvaluationResult): string {
  const p = result.policy;
  const s = result.summary;
  const cards = result.slas
    .map((sla) => `<li><div>${badge(sla.status)}</div><div class="value">${esc(formatValue(sla.value, sla.target.unit))}</div><div>${esc(sla.title ?? sla.id)}</div><div class="meta">target ${esc(formatTarget(sla.target))} · ${esc(sla.owner)} · ${esc(sla.severity)}</div></li>`)
    .join("");
  const inputs = table("Rows read, used and rejected", ["file", "read", "used", "rejected"], result.input.files.map((f) => [f.file, formatNumber(f.read), formatNumber(f.used), formatNumber(f.rejected)]));
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
<main>
<header>
<h1>${esc(p.title)}</h1>
<p class="meta">Policy version ${esc(String(p.version ?? "–"))}${p.effective ? `, in force from ${esc(p.effective)}` : ""} · snapshot as of <time datetime="${esc(result.asOf)}">${esc(result.asOf)}</time> · times in ${esc(p.timezone)} · <code title="${esc(p.hash)}">${esc(p.hash.slice(0, 19))}…</code></p>
<p class="overall">Overall: ${badge(s.status)}${s.failing.length ? ` — fails the run: ${esc(s.failing.join(", "))}` : ""}</p>
</header>
${result.notes.length ? `<div class="notes" role="note">${result.notes.map((n) => `<p>${esc(n)}</p>`).join("")}</div>` : ""}
<section aria-labelledby="h-summary"><h2 id="h-summary">SLAs at a glance</h2><ul class="cards">${cards}</ul></section>
<section aria-labelledby="h-slas"><h2 id="h-slas">Compliance over time</h2>${result.slas.map(slaSection).join("\n")}</section>
${result.goals.length ? `<section aria-labelledby="h-goals"><h2 id="h-goals">Funnel and goals</h2>${result.goals.map(funnelSection).join("\n")}</section>` : ""}
${breachesByOwner(result)}
<section aria-labelledby="h-input"><h2 id="h-input">Data</h2>${inputs}<p class="meta">${esc(Object.entries(result.definitions).map(([id, n]) => `${id}: ${formatNumber(n)}`).join(" · "))}</p></section>
<footer>Made by smarketing-policy. Leads are named by id; personal fields are not shown.</footer>
</main>
<script>window.addEventListener("beforeprint",function(){document.querySelectorAll("details").forEach(function(d){d.open=true})});</script>
</body>
</html>
`;
}

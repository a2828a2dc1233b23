import { scaleLinear } from "d3-scale";
import { esc, fitText, formatCount, LAYOUTS, n1, textWidth, type Layout } from "./markup.js";

/**
 * Horizontal bars for a list of names (teams, reps): one row each, sorted by the caller, the
 * count written at the end of its bar. Rows grow down the page, so forty reps stay readable on a
 * phone; past `shown` rows the rest sit behind "N more", never dropped.
 */

export interface HBarRow {
  label: string;
  value: number;
}

export interface HBarChart {
  id: string;
  alt: string;
  rows: HBarRow[];
  /** What is counted, for the tooltips: "missed leads". */
  noun: string;
  /** What a row is, plural, for "N more …": "owners". */
  rowsNoun: string;
  shown: number;
}

const ROW = 24;
const ZERO_WIDTH = 3;

export function hbarChart(chart: HBarChart): string {
  const max = Math.max(1, ...chart.rows.map((r) => r.value));
  const first = chart.rows.slice(0, chart.shown);
  const rest = chart.rows.slice(chart.shown);
  const figure = (id: string, rows: HBarRow[]) =>
    `<figure class="chart-box" id="${esc(id)}" data-points="${rows.length}">${LAYOUTS.map((l) => hbarSvg(chart, rows, max, l)).join("")}</figure>`;
  const more = rest.length ? `<details class="more"><summary>${rest.length} more ${esc(chart.rowsNoun)} (${esc(formatCount(rest.reduce((s, r) => s + r.value, 0)))} ${esc(chart.noun)})</summary>${figure(`${chart.id}-more`, rest)}</details>` : "";
  return figure(chart.id, first) + more;
}

function hbarSvg(chart: HBarChart, rows: readonly HBarRow[], max: number, layout: Layout): string {
  const f = layout.font;
  const W = layout.width;
  const labelW = Math.min(Math.max(...rows.map((r) => textWidth(r.label, f)), 20), W * 0.32);
  const valueW = textWidth(formatCount(max), f) + 8;
  const x = scaleLinear().domain([0, max]).range([labelW + 10, W - valueW]);
  const H = rows.length * ROW + 8;
  const marks = rows
    .map((r, i) => {
      const top = 4 + i * ROW;
      const w = r.value === 0 ? ZERO_WIDTH : Math.max(1, x(r.value) - x(0));
      const tip = `<title>${esc(`${r.label}: ${formatCount(r.value)} ${chart.noun}`)}</title>`;
      return `<text class="tick" x="${n1(labelW + 4)}" y="${n1(top + ROW / 2 + f / 3)}" text-anchor="end">${esc(fitText(r.label, labelW, f))}${tip}</text><rect class="point s1${r.value === 0 ? " zero" : ""}" x="${n1(x(0))}" y="${n1(top + 4)}" width="${n1(w)}" height="${ROW - 8}">${tip}</rect><text class="value" x="${n1(x(0) + w + 4)}" y="${n1(top + ROW / 2 + f / 3)}">${esc(formatCount(r.value))}</text>`;
    })
    .join("");
  return `<svg class="chart ${layout.name}" role="img" aria-label="${esc(chart.alt)}" viewBox="0 0 ${W} ${H}" data-points="${rows.length}"><line class="axis" x1="${n1(x(0))}" x2="${n1(x(0))}" y1="2" y2="${H - 2}"/>${marks}</svg>`;
}

import { scaleThreshold } from "d3-scale";
import type { CompareOp } from "../../lang/ast.js";
import { assertNever } from "../../lang/never.js";
import type { Status } from "../../engine/result.js";
import { esc, formatIn } from "./markup.js";

/**
 * The chart for many groups (a team of 40 reps): a table of group × period, coloured by how far
 * each result falls short of its target, with the value written in every cell and breached cells
 * outlined (colour is never the only signal). An HTML table rather than SVG: its text is real
 * text at the reader's size, and on a phone it scrolls sideways inside its own box while the
 * group names stay put.
 */

export interface HeatCell {
  value: number | null;
  status: Status;
  tip: string;
}

export interface HeatRow {
  group: string;
  cells: HeatCell[];
}

export interface Heatmap {
  id: string;
  alt: string;
  groupLabel: string;
  periods: string[];
  rows: HeatRow[];
  target: { op: CompareOp; value: number; unit: "leads" | "ratio" };
}

/** Rows shown at once; the rest behind "N more", never dropped. */
export const HEAT_ROWS_SHOWN = 50;

/**
 * How far a value is from its target: for shares in points (0.05 = 5 points), for counts as a
 * share of the target. 0 when the value meets it.
 */
export function shortfall(value: number, target: Heatmap["target"]): number {
  const gap = (() => {
    switch (target.op) {
      case ">=":
      case ">":
        return target.value - value;
      case "<=":
      case "<":
        return value - target.value;
      case "=":
        return Math.abs(value - target.value);
      case "!=":
        return value === target.value ? 1 : 0;
      default:
        return assertNever(target.op);
    }
  })();
  const relative = target.unit === "ratio" || target.op === "!=" ? gap : gap / Math.max(1, Math.abs(target.value));
  return Math.max(0, relative);
}

/** Shade bins from d3-scale: up to 5% short, 15%, 30%, more. */
const shade = scaleThreshold<number, string>().domain([0.05, 0.15, 0.3]).range(["h1", "h2", "h3", "h4"]);

function cellClass(cell: HeatCell, target: Heatmap["target"]): string {
  if (cell.value === null) return "h-none";
  const gap = shortfall(cell.value, target);
  const bin = gap === 0 ? "h0" : shade(gap);
  return `${bin}${cell.status === "breached" ? " breached" : cell.status === "at_risk" ? " at-risk" : ""}`;
}

/** Worst first: most breached results, then the largest total shortfall, then by name. */
export function sortWorstFirst(rows: readonly HeatRow[], target: Heatmap["target"]): HeatRow[] {
  return rows
    .map((row) => ({
      row,
      breached: row.cells.filter((c) => c.status === "breached").length,
      gap: row.cells.reduce((s, c) => s + (c.value === null ? 0 : shortfall(c.value, target)), 0),
    }))
    .sort((a, b) => b.breached - a.breached || b.gap - a.gap || a.row.group.localeCompare(b.row.group))
    .map((k) => k.row);
}

function heatTable(map: Heatmap, rows: readonly HeatRow[], labelId: string): string {
  const head = `<thead><tr><th scope="col">${esc(map.groupLabel)}</th>${map.periods.map((p) => `<th scope="col">${esc(p)}</th>`).join("")}</tr></thead>`;
  const body = rows
    .map(
      (r) =>
        `<tr><th scope="row">${esc(r.group)}</th>${r.cells
          .map((c) => `<td class="${cellClass(c, map.target)}" title="${esc(c.tip)}"${c.value === null ? "" : ` data-value="${c.value}"`}>${c.value === null ? "–" : esc(formatIn(map.target.unit, c.value))}</td>`)
          .join("")}</tr>`,
    )
    .join("");
  // Labelled by the figure's caption, outside the scrolling box so that a phone shows it whole.
  return `<div class="heat-scroll" role="region" tabindex="0" aria-labelledby="${esc(labelId)}"><table class="heatmap" aria-labelledby="${esc(labelId)}">${head}<tbody>${body}</tbody></table></div>`;
}

export function heatmap(map: Heatmap): string {
  const rows = sortWorstFirst(map.rows, map.target);
  const shown = rows.slice(0, HEAT_ROWS_SHOWN);
  const rest = rows.slice(HEAT_ROWS_SHOWN);
  const points = map.rows.reduce((n, r) => n + r.cells.filter((c) => c.value !== null).length, 0);
  const moreId = `${map.id}-more-caption`;
  const more = rest.length
    ? `<details class="more"><summary id="${esc(moreId)}">${rest.length} more ${esc(map.groupLabel)} rows (${HEAT_ROWS_SHOWN + 1}–${rows.length} of ${rows.length}, worst first)</summary>${heatTable(map, rest, moreId)}</details>`
    : "";
  return `<figure class="chart-box heat" id="${esc(map.id)}" data-points="${points}"><figcaption id="${esc(map.id)}-caption">${esc(map.alt)}</figcaption>${heatTable(map, shown, `${map.id}-caption`)}${more}${heatLegend(map)}</figure>`;
}

function heatLegend(map: Heatmap): string {
  const short = map.target.unit === "ratio" ? (a: number, b: number) => `${a * 100}–${b * 100} points short` : (a: number, b: number) => `${a * 100}–${b * 100}% short`;
  const bins: Array<[string, string]> = [
    ["h0", "meets target"],
    ["h1", short(0, 0.05)],
    ["h2", short(0.05, 0.15)],
    ["h3", short(0.15, 0.3)],
    ["h4", map.target.unit === "ratio" ? "over 30 points short" : "over 30% short"],
  ];
  return `<p class="legend">${bins.map(([c, t]) => `<span><i class="swatch ${c}"></i>${esc(t)}</span>`).join("")}<span><i class="swatch breached-swatch"></i>outlined: breached</span><span><i class="swatch at-risk-swatch"></i>dashed: at risk</span><span>–: no leads</span></p>`;
}

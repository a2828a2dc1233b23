import { scaleBand } from "d3-scale";
import { valueAxis } from "./axis.js";
import { esc, fitText, formatIn, LAYOUTS, n1, textWidth, type Layout } from "./markup.js";

/** One bar: its value (null: no leads, nothing to judge) and whether it breached its target. */
export interface Bar {
  value: number | null;
  breached: boolean;
  /** "alice 2027-01: 82.4% (breached)": the bar's tooltip. */
  tip: string;
}

export interface BarSeries {
  name: string;
  bars: Bar[];
}

export interface BarChart {
  id: string;
  /** The chart's text alternative: what it shows and what stands out, in a sentence or two. */
  alt: string;
  categories: string[];
  series: BarSeries[];
  target: { value: number; label: string } | null;
  unit: "leads" | "ratio";
  /**
   * `eval --versions git`: the runs of categories each version of the agreement judged, oldest
   * first, shaded behind the bars, each with its own target line; `target` is the newest's.
   */
  bands?: readonly VersionBand[];
}

/** Categories `from` to `to` (indices, inclusive), judged by one version: "version 2 (9e95722)". */
export interface VersionBand {
  from: number;
  to: number;
  label: string;
  target: number;
}

/** Up to eight series, each its own colour (`--s1`…`--s8`, light and dark in STYLE). */
export const MAX_SERIES = 8;
const HEIGHT = 260;
/** A zero is a short solid bar on the baseline: visibly a result, unlike "no leads" (a ring). */
const ZERO_HEIGHT = 3;

/** Grouped bars: one group of bars per category (period), one bar per series, a dashed target line. */
export function barChart(chart: BarChart): string {
  const points = chart.series.reduce((n, s) => n + s.bars.filter((b) => b.value !== null).length, 0);
  const svgs = LAYOUTS.map((layout) => barSvg(chart, layout, points)).join("");
  return `<figure class="chart-box" id="${esc(chart.id)}" data-points="${points}">${svgs}${barLegend(chart)}</figure>`;
}

function barSvg(chart: BarChart, layout: Layout, points: number): string {
  const f = layout.font;
  // Version bands carry their label in a strip of their own above the bars' values.
  const padT = f + 8 + (chart.bands?.length ? f + 6 : 0);
  const padB = f + 18;
  const baseline = HEIGHT - padB;
  const values = chart.series.flatMap((s) => s.bars.map((b) => b.value ?? 0));
  const axis = valueAxis(chart.unit, [...values, chart.target?.value ?? 0], layout, [baseline, padT]);
  const y = axis.scale;
  const padL = Math.max(...axis.ticks.map((t) => textWidth(axis.label(t), f))) + 10;
  // The target's label sits in the right margin, level with its line: no bar can cover it.
  const targetText = chart.target ? (layout.name === "wide" ? chart.target.label : chart.target.label.replace(/^target /, "")) : "";
  const padR = chart.target ? textWidth(targetText, f, true) + 10 : 10;
  const W = layout.width;
  const x = scaleBand<string>().domain(chart.categories.map((_, i) => String(i))).range([padL, W - padR]).paddingInner(0.2).paddingOuter(0.1);
  // A lone bar in a wide band is kept slim (at most 72 units a bar), centred in its band.
  const groupW = Math.min(x.bandwidth(), 72 * chart.series.length);
  const inset = (x.bandwidth() - groupW) / 2;
  const inner = scaleBand<number>().domain(chart.series.map((_, i) => i)).range([inset, inset + groupW]).paddingInner(chart.series.length > 1 ? 0.08 : 0);
  const grid = axis.ticks
    .map((t) => `<line class="grid" x1="${n1(padL)}" x2="${n1(W - padR)}" y1="${n1(y(t))}" y2="${n1(y(t))}"/><text class="tick" x="${n1(padL - 6)}" y="${n1(y(t) + f / 3)}" text-anchor="end">${esc(axis.label(t))}</text>`)
    .join("");
  const bars = chart.series.map((s, si) => s.bars.map((b, ci) => barMark(b, (x(String(ci)) ?? 0) + (inner(si) ?? 0), inner.bandwidth(), si, y, baseline)).join("")).join("");
  const labels = valueLabels(chart, layout, x, y);
  const bands = chart.bands ?? [];
  const shaded = bands.map((b, i) => bandMark(b, i, x, padT, baseline, f)).join("");
  const target = chart.target
    ? bands.length > 0
      ? bands.map((b) => bandTarget(b, x, y)).join("") + targetMark(chart.target.value, targetText, y(chart.target.value), W - padR, W - padR, baseline, f)
      : targetMark(chart.target.value, targetText, y(chart.target.value), padL, W - padR, baseline, f)
    : "";
  // Far enough under the baseline that a label pushed left never meets the "0" tick beside it.
  const xLabels = categoryLabels(chart.categories, layout, x, baseline + f + 8);
  return `<svg class="chart ${layout.name}" role="img" aria-label="${esc(chart.alt)}" viewBox="0 0 ${W} ${HEIGHT}" data-points="${points}">${shaded}${grid}${bars}${target}${labels}<line class="axis" x1="${n1(padL)}" x2="${n1(W - padR)}" y1="${n1(baseline)}" y2="${n1(baseline)}"/>${xLabels}</svg>`;
}

type Band = ReturnType<typeof scaleBand<string>>;

/** The left and right edges of a band of categories, halfway into the gaps beside them. */
function bandEdges(b: VersionBand, x: Band): [number, number] {
  const gap = (x.step() - x.bandwidth()) / 2;
  return [(x(String(b.from)) ?? 0) - gap, (x(String(b.to)) ?? 0) + x.bandwidth() + gap];
}

/** A version's shaded run of categories, labelled at its top left (cut to fit). */
function bandMark(b: VersionBand, i: number, x: Band, top: number, baseline: number, f: number): string {
  const [x0, x1] = bandEdges(b, x);
  const label = fitText(b.label, x1 - x0 - 6, f - 1);
  return `<rect class="band b${i % 2}" x="${n1(x0)}" y="${n1(top - 2 * f - 10)}" width="${n1(x1 - x0)}" height="${n1(baseline - top + 2 * f + 10)}"><title>${esc(b.label)}</title></rect><text class="band-label" x="${n1(x0 + 3)}" y="${n1(top - f - 10)}">${esc(label)}</text>`;
}

/** A version's target, across its band only. */
function bandTarget(b: VersionBand, x: Band, y: (v: number) => number): string {
  const [x0, x1] = bandEdges(b, x);
  return `<line class="target" x1="${n1(x0)}" x2="${n1(x1)}" y1="${n1(y(b.target))}" y2="${n1(y(b.target))}"><title>${esc(b.label)}: target ${esc(String(b.target))}</title></line>`;
}

function barMark(b: Bar, bx: number, bw: number, si: number, y: (v: number) => number, baseline: number): string {
  const tip = `<title>${esc(b.tip)}</title>`;
  const w = Math.max(1.5, bw - 0.5);
  if (b.value === null) {
    const r = Math.min(4, w / 2);
    return `<circle class="none" cx="${n1(bx + bw / 2)}" cy="${n1(baseline - r - 1)}" r="${n1(r)}">${tip}</circle>`;
  }
  const h = b.value === 0 ? ZERO_HEIGHT : Math.max(1, baseline - y(b.value));
  const cls = `point s${(si % 8) + 1}${b.value === 0 ? " zero" : ""}${b.breached ? " breached" : ""}`;
  const rect = `<rect class="${cls}" x="${n1(bx)}" y="${n1(baseline - h)}" width="${n1(w)}" height="${n1(h)}">${tip}</rect>`;
  // Breached bars are hatched as well as coloured: the pattern reads in grey print and without hue.
  return b.breached && h > ZERO_HEIGHT ? `${rect}<rect class="hatch" x="${n1(bx)}" y="${n1(baseline - h)}" width="${n1(w)}" height="${n1(h)}"/>` : rect;
}

/** Values above the bars, for a single series whose bars are wide enough to carry them. */
function valueLabels(chart: BarChart, layout: Layout, x: ReturnType<typeof scaleBand<string>>, y: (v: number) => number): string {
  const only = chart.series.length === 1 ? chart.series[0] : undefined;
  if (!only) return "";
  const texts = only.bars.map((b) => (b.value === null ? "" : formatIn(chart.unit, b.value)));
  if (texts.some((t) => textWidth(t, layout.font - 1) > x.bandwidth() + x.step() * 0.2 - 2)) return "";
  return only.bars
    .map((b, i) =>
      b.value === null ? "" : `<text class="value" x="${n1((x(String(i)) ?? 0) + x.bandwidth() / 2)}" y="${n1(y(b.value) - (b.value === 0 ? 7 : 4))}" text-anchor="middle">${esc(texts[i] ?? "")}</text>`,
    )
    .join("");
}

function targetMark(value: number, text: string, ty: number, x0: number, x1: number, baseline: number, f: number): string {
  // Kept clear of the category labels under the baseline when the target is (near) zero.
  const labelY = Math.min(ty + f / 3, baseline - 2);
  return `<line class="target" x1="${n1(x0)}" x2="${n1(x1)}" y1="${n1(ty)}" y2="${n1(ty)}"><title>${esc(text)}: ${esc(String(value))}</title></line><text class="target-label" x="${n1(x1 + 4)}" y="${n1(labelY)}">${esc(text)}</text>`;
}

/**
 * Category labels under the axis: every one when they fit side by side, else every k-th (the
 * smallest k that leaves room), so none ever touch. Each is clamped inside the drawing.
 */
function categoryLabels(categories: readonly string[], layout: Layout, x: ReturnType<typeof scaleBand<string>>, ly: number): string {
  const f = layout.font;
  const widest = Math.max(0, ...categories.map((c) => textWidth(c, f)));
  const room = Math.min(widest, layout.width / 3);
  const step = Math.max(1, Math.ceil((room + 8) / x.step()));
  return categories
    .map((c, i) => {
      if (i % step !== 0) return "";
      const text = fitText(c, x.step() * step - 8, f);
      const half = textWidth(text, f) / 2;
      const cx = Math.min(Math.max((x(String(i)) ?? 0) + x.bandwidth() / 2, half + 2), layout.width - half - 2);
      return `<text class="tick category" x="${n1(cx)}" y="${n1(ly)}" text-anchor="middle">${esc(text)}${text === c ? "" : `<title>${esc(c)}</title>`}</text>`;
    })
    .join("");
}

function barLegend(chart: BarChart): string {
  const items = chart.series.length > 1 ? chart.series.map((s, i) => `<span><i class="swatch s${(i % 8) + 1}"></i>${esc(s.name)}</span>`) : [];
  if (chart.target) items.push(`<span><i class="swatch target-swatch"></i>${esc(chart.target.label)}${chart.bands?.length ? " (each version's own, over its band)" : ""}</span>`);
  if (chart.bands?.length) items.push(`<span><i class="swatch band-swatch"></i>shaded bands: the version of the agreement that judged those periods</span>`);
  if (chart.series.some((s) => s.bars.some((b) => b.breached))) items.push(`<span><i class="swatch hatch-swatch"></i>hatched: breached</span>`);
  if (chart.series.some((s) => s.bars.some((b) => b.value === 0))) items.push(`<span><i class="swatch zero-swatch"></i>flat bar: zero</span>`);
  if (chart.series.some((s) => s.bars.some((b) => b.value === null))) items.push(`<span><i class="swatch none-swatch"></i>ring: no leads</span>`);
  return items.length ? `<p class="legend">${items.join("")}</p>` : "";
}

import { scaleLinear } from "d3-scale";
import { esc, formatCount, LAYOUTS, n1, textWidth, type Layout } from "./markup.js";

/**
 * A goal's funnel: per stage, the leads required this period (grey) over the leads so far
 * (blue), each with its number written at the bar's end. The stage's name sits on its own line
 * above its bars, so a long definition name never squeezes the bars on a phone.
 */
export interface FunnelStage {
  name: string;
  required: number | null;
  actual: number;
}

export interface Funnel {
  id: string;
  alt: string;
  stages: FunnelStage[];
}

const STAGE = 64;

export function funnelChart(funnel: Funnel): string {
  return `<figure class="chart-box" id="${esc(funnel.id)}" data-points="${funnel.stages.length}">${LAYOUTS.map((l) => funnelSvg(funnel, l)).join("")}</figure>`;
}

function funnelSvg(funnel: Funnel, layout: Layout): string {
  const f = layout.font;
  const W = layout.width;
  const max = Math.max(1, ...funnel.stages.flatMap((s) => [s.required ?? 0, s.actual]));
  const longest = Math.max(...funnel.stages.flatMap((s) => [`${formatCount(s.required ?? 0)} required`, `${formatCount(s.actual)} so far`].map((t) => textWidth(t, f))));
  const x = scaleLinear().domain([0, max]).range([8, W - longest - 12]);
  const H = funnel.stages.length * STAGE + 4;
  const bar = (cls: string, value: number, top: number, text: string, tip: string) => {
    const w = value === 0 ? 3 : Math.max(1, x(value) - x(0));
    return `<rect class="${cls}${value === 0 ? " zero" : ""}" x="${n1(x(0))}" y="${n1(top)}" width="${n1(w)}" height="14"><title>${esc(tip)}</title></rect><text class="value" x="${n1(x(0) + w + 4)}" y="${n1(top + 11)}">${esc(text)}</text>`;
  };
  const rows = funnel.stages
    .map((s, i) => {
      const top = 4 + i * STAGE;
      const required = s.required === null ? `<text class="value" x="${n1(x(0))}" y="${n1(top + f + 14)}">required: unknown</text>` : bar("required", s.required, top + f + 4, `${formatCount(s.required)} required`, `${s.name} required: ${formatCount(s.required)}`);
      return `<text class="tick stage" x="${n1(x(0))}" y="${n1(top + f)}">${esc(s.name)}</text>${required}${bar("point actual", s.actual, top + f + 22, `${formatCount(s.actual)} so far`, `${s.name} actual: ${formatCount(s.actual)}`)}`;
    })
    .join("");
  return `<svg class="chart ${layout.name}" role="img" aria-label="${esc(funnel.alt)}" viewBox="0 0 ${W} ${H}" data-points="${funnel.stages.length}">${rows}</svg>`;
}

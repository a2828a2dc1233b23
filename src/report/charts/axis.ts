import { scaleLinear, type ScaleLinear } from "d3-scale";
import { format } from "d3-format";
import type { Layout } from "./markup.js";

/**
 * A value axis from d3-scale: a domain from 0 extended to round numbers (`nice`), and ticks at
 * 1, 2 or 5 × a power of ten, so every gridline is a number a reader would say. Counts get only
 * whole-number ticks (no "2.5 leads"); shares run 0–100% with percent ticks.
 */
export interface ValueAxis {
  scale: ScaleLinear<number, number>;
  ticks: number[];
  label: (v: number) => string;
}

export function valueAxis(unit: "leads" | "ratio", values: readonly number[], layout: Layout, range: [number, number]): ValueAxis {
  if (unit === "ratio") {
    const scale = scaleLinear().domain([0, 1]).range(range);
    const ticks = scale.ticks(layout.ticks > 4 ? 5 : 4);
    return { scale, ticks, label: scale.tickFormat(5, "%") };
  }
  const max = Math.max(1, ...values);
  const scale = scaleLinear().domain([0, max]).range(range).nice(layout.ticks);
  const ticks = scale.ticks(layout.ticks).filter((t) => Number.isInteger(t));
  return { scale, ticks, label: format(",d") };
}

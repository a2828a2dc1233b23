import { format } from "d3-format";
import { html } from "../escape.js";

/**
 * What every chart module shares: escaping for HTML/SVG text and attributes, the two layouts a
 * chart is drawn in, a text-width estimate for laying out labels, and the number formats.
 */

/** HTML escaping, and control characters shown: the one HTML escaper (escape.ts) under the charts' name. */
export const esc = html;

/**
 * A chart is drawn twice, and CSS shows one by the page's width: an SVG scales its text with its
 * width, so one drawing either shrinks its labels below reading size on a phone or blows them up
 * on a desktop. Widths are in user units; each layout is shown at 0.8–1.6× (see STYLE's
 * breakpoint and max-widths), so 12-unit text reads as 11–16 px.
 */
export interface Layout {
  readonly name: "wide" | "narrow";
  readonly width: number;
  readonly font: number;
  /** About how many value ticks an axis gets. */
  readonly ticks: number;
}

export const LAYOUTS: readonly Layout[] = [
  { name: "wide", width: 720, font: 12, ticks: 6 },
  { name: "narrow", width: 340, font: 12, ticks: 4 },
];

/**
 * Width of a label in user units. Deliberately generous (0.62 em a character, the width of a
 * digit or a capital in the common sans-serif faces): labels are laid out so that they cannot
 * touch, whatever font the reader's system picks.
 */
export function textWidth(text: string, font: number, bold = false): number {
  return [...text].length * font * (bold ? 0.7 : 0.62);
}

/** The label cut to fit a width, with an ellipsis; the full text goes in the mark's tooltip. */
export function fitText(text: string, width: number, font: number): string {
  const chars = [...text];
  const room = Math.floor(width / (font * 0.62));
  return chars.length <= room ? text : `${chars.slice(0, Math.max(1, room - 1)).join("")}…`;
}

/** Thousands separators, one decimal at most: 1,234, 4.5. */
export const formatCount = format(",.1~f");
/** A share with one decimal at most: 94.6%, 80%. The same figure the tables and other reports print. */
export const formatShare = format(".1~%");

export function formatIn(unit: "leads" | "ratio", value: number): string {
  return unit === "ratio" ? formatShare(value) : formatCount(value);
}

/** An SVG element's numeric attributes, rounded to 0.1 unit: smaller files, same picture. */
export const n1 = (v: number) => (Math.round(v * 10) / 10).toString();

const OP_SIGNS = { ">=": "≥", "<=": "≤", "!=": "≠", "=": "=", "<": "<", ">": ">" } as const;

/** "≥ 95%", "≤ 4": the target as a reader writes it. */
export function targetText(target: { op: keyof typeof OP_SIGNS; value: number; unit: "leads" | "ratio" }): string {
  return `${OP_SIGNS[target.op]} ${formatIn(target.unit, target.value)}`;
}

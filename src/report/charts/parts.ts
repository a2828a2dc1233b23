import { plural } from "../../engine/plural.js";
import type { Status } from "../../engine/result.js";
import { STATUS_WORDS } from "../format-values.js";
import { esc } from "./markup.js";

/** Pieces of the dashboard's HTML that every section uses: status badges, tables of numbers, folded lists. */

const ICON: Record<Status, string> = { met: "✔", breached: "✖", at_risk: "▲", in_progress: "◷", insufficient: "?", no_data: "–" };
export function badge(status: Status): string {
  return `<span class="badge ${status}">${ICON[status]} ${STATUS_WORDS[status]}</span>`;
}

/** A table cell: its text, and the JSON report's number it shows (for tests and copy-paste). */
export interface Cell {
  text: string;
  value?: number | null;
}

/** The table of a chart's numbers, folded under "Show the numbers" (opened for print). */
export function table(caption: string, head: string[], rows: Array<{ key?: Record<string, string>; cells: Cell[] }>): string {
  const body = rows
    .map((r) => {
      const key = Object.entries(r.key ?? {}).map(([k, v]) => ` data-${k}="${esc(v)}"`).join("");
      const cells = r.cells.map((c, i) => (i === 0 ? `<th scope="row">${esc(c.text)}</th>` : `<td${c.value === undefined || c.value === null ? "" : ` data-value="${c.value}"`}>${esc(c.text)}</td>`));
      return `<tr${key}>${cells.join("")}</tr>`;
    })
    .join("");
  return `<details class="numbers"><summary>Show the numbers</summary><div class="table-scroll" role="region" tabindex="0" aria-label="${esc(caption)}"><table><caption>${esc(caption)}</caption><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join("")}</tr></thead><tbody>${body}</tbody></table></div></details>`;
}

/** The first `shown` items, and the rest behind "N more …": long lists are folded, never cut. */
export function foldedList(cls: string, items: string[], shown: number, noun: string): string {
  const li = (xs: string[]) => xs.map((x) => `<li>${x}</li>`).join("");
  const rest = items.slice(shown);
  const more = rest.length ? `<details class="more"><summary>${esc(plural(rest.length, `more ${noun}`, `more ${noun}s`))}</summary><ul class="${cls}">${li(rest)}</ul></details>` : "";
  return items.length ? `<ul class="${cls}">${li(items.slice(0, shown))}</ul>${more}` : "";
}


import pc from "picocolors";
import type { Diagnostic } from "../lang/diagnostics.js";
import { LineIndex } from "../lang/range.js";
import { visible } from "./escape.js";

export interface TextOptions {
  color: boolean;
  /** Source text by file path, for the quoted line and the caret. */
  sources: ReadonlyMap<string, string>;
}

/**
 * At most this many diagnostics of one file are printed as text, then one line says how many
 * more there are: a generated or binary file can have tens of thousands, and nobody reads past
 * the first screens. JSON and SARIF output list every one.
 */
export const MAX_TEXT_DIAGNOSTICS_PER_FILE = 50;

/** A quoted source line longer than this is cut to a window around the span (a 20 KB line once echoed per diagnostic made 401 MB). */
export const MAX_ECHOED_COLUMNS = 120;

/** The part of a long line shown around a span: about a third of the window before it. */
function window(line: string, column: number, width: number): { text: string; column: number; width: number } {
  if (line.length <= MAX_ECHOED_COLUMNS) return { text: line, column, width };
  const start = Math.max(0, Math.min(column - 1 - Math.floor(MAX_ECHOED_COLUMNS / 3), line.length - MAX_ECHOED_COLUMNS));
  const end = start + MAX_ECHOED_COLUMNS;
  const before = start > 0 ? "…" : "";
  const after = end < line.length ? "…" : "";
  const shownColumn = column - start + before.length;
  const shownWidth = Math.max(1, Math.min(width, end - (column - 1)));
  return { text: `${before}${line.slice(start, end)}${after}`, column: shownColumn, width: shownWidth };
}

/** `file:line:col: error[CODE]: message`, the source line, and a caret under the span, like a compiler. */
export function renderDiagnosticText(d: Diagnostic, options: TextOptions, lines?: LineIndex): string {
  const c = pc.createColors(options.color);
  const { line, column } = d.range.start;
  const severity = d.severity === "error" ? c.red(c.bold(`error[${d.code}]`)) : c.yellow(c.bold(`warning[${d.code}]`));
  // The message and the quoted line hold policy text: escape sequences in it are shown, not obeyed.
  const head = `${c.bold(`${visible(d.file)}:${line}:${column}`)}: ${severity}: ${visible(d.message)}`;
  const text = options.sources.get(d.file);
  const sourceLine = lines ? lines.lineText(line) : text === undefined ? undefined : new LineIndex(text).lineText(line);
  if (sourceLine === undefined || (line === 1 && column === 1 && d.range.end.offset === d.range.start.offset && sourceLine === "")) {
    return `${head}\n`;
  }
  const gutter = String(line).length;
  const spanEnd = d.range.end.line === line ? d.range.end.column : sourceLine.length + 1;
  const shown = window(sourceLine.replace(/\t/g, " "), column, Math.max(1, spanEnd - column));
  const pad = " ".repeat(gutter);
  const caret = `${" ".repeat(Math.max(0, shown.column - 1))}${"^".repeat(shown.width)}`;
  const marker = d.severity === "error" ? c.red(caret) : c.yellow(caret);
  // The quoted line holds policy text: visible() shows control characters one for one, so the caret still lines up.
  return `${head}\n${c.dim(`${pad} |`)}\n${c.dim(`${line} |`)} ${visible(shown.text)}\n${c.dim(`${pad} |`)} ${marker}\n`;
}

/**
 * Every diagnostic as text, each file's source indexed once (not split once per diagnostic), and
 * at most MAX_TEXT_DIAGNOSTICS_PER_FILE of a file, then how many more.
 */
export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], options: TextOptions): string {
  const indexes = new Map<string, LineIndex | undefined>();
  const perFile = new Map<string, number>();
  const parts: string[] = [];
  for (const d of diagnostics) {
    const seen = (perFile.get(d.file) ?? 0) + 1;
    perFile.set(d.file, seen);
    if (seen > MAX_TEXT_DIAGNOSTICS_PER_FILE) continue;
    if (!indexes.has(d.file)) {
      const text = options.sources.get(d.file);
      indexes.set(d.file, text === undefined ? undefined : new LineIndex(text));
    }
    parts.push(renderDiagnosticText(d, options, indexes.get(d.file)));
  }
  for (const [file, count] of perFile) {
    const more = count - MAX_TEXT_DIAGNOSTICS_PER_FILE;
    if (more > 0) parts.push(`${file}: ${more} more ${more === 1 ? "problem" : "problems"} not shown (--format json lists every one)\n`);
  }
  return parts.join("\n");
}

export function countBySeverity(diagnostics: readonly Diagnostic[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const d of diagnostics) {
    if (d.severity === "error") errors++;
    else warnings++;
  }
  return { errors, warnings };
}

export { plural } from "../engine/plural.js";

import pc from "picocolors";
import type { Diagnostic } from "../lang/diagnostics.js";

export interface TextOptions {
  color: boolean;
  /** Source text by file path, for the quoted line and the caret. */
  sources: ReadonlyMap<string, string>;
}

/** `file:line:col: error[CODE]: message`, the source line, and a caret under the span, like a compiler. */
export function renderDiagnosticText(d: Diagnostic, options: TextOptions): string {
  const c = pc.createColors(options.color);
  const { line, column } = d.range.start;
  const severity = d.severity === "error" ? c.red(c.bold(`error[${d.code}]`)) : c.yellow(c.bold(`warning[${d.code}]`));
  const head = `${c.bold(`${d.file}:${line}:${column}`)}: ${severity}: ${d.message}`;
  const text = options.sources.get(d.file);
  const sourceLine = text?.split(/\r\n|\r|\n/)[line - 1];
  if (sourceLine === undefined || (line === 1 && column === 1 && d.range.end.offset === d.range.start.offset && sourceLine === "")) {
    return `${head}\n`;
  }
  const gutter = String(line).length;
  const spanEnd = d.range.end.line === line ? d.range.end.column : sourceLine.length + 1;
  const width = Math.max(1, spanEnd - column);
  const pad = " ".repeat(gutter);
  const visible = sourceLine.replace(/\t/g, " ");
  const caret = `${" ".repeat(Math.max(0, column - 1))}${"^".repeat(width)}`;
  const marker = d.severity === "error" ? c.red(caret) : c.yellow(caret);
  return `${head}\n${c.dim(`${pad} |`)}\n${c.dim(`${line} |`)} ${visible}\n${c.dim(`${pad} |`)} ${marker}\n`;
}

export function renderDiagnosticsText(diagnostics: readonly Diagnostic[], options: TextOptions): string {
  return diagnostics.map((d) => renderDiagnosticText(d, options)).join("\n");
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

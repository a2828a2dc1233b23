import type { Range } from "./range.js";

export type Severity = "error" | "warning";

export interface Diagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Path of the file, as the user named it (relative to where they ran the tool). */
  file: string;
  range: Range;
}

/**
 * The closed set of diagnostic codes. Each entry is documented in docs/diagnostics.md;
 * a test keeps the two in step. Codes never change meaning once released: retire, don't reuse.
 */
export const DIAGNOSTIC_CODES = {
  // Reading the text
  E0001: { severity: "error", title: "unexpected character" },
  E0002: { severity: "error", title: "syntax error" },
  E0003: { severity: "error", title: "unterminated string" },
  E0004: { severity: "error", title: "invalid literal (date, time or number)" },
  E0005: { severity: "error", title: "file cannot be read" },
  E0006: { severity: "error", title: "no policy files found" },
  E0007: { severity: "error", title: "condition nested too deeply" },
  // Structure of blocks
  E0101: { severity: "error", title: "duplicate id" },
  E0102: { severity: "error", title: "clause given twice" },
  E0103: { severity: "error", title: "required clause missing" },
  E0104: { severity: "error", title: "agreement block missing or repeated" },
  E0105: { severity: "error", title: "unknown word where a keyword is expected" },
  E0106: { severity: "error", title: "clause does not apply here" },
  E0107: { severity: "error", title: "column format cannot read a value" },
  // References
  E0201: { severity: "error", title: "unknown field" },
  E0202: { severity: "error", title: "unknown team" },
  E0203: { severity: "error", title: "unknown lead definition" },
  E0204: { severity: "error", title: "unknown calendar" },
  E0205: { severity: "error", title: "unknown name in a condition" },
  E0206: { severity: "error", title: "unknown activity field" },
  // Types
  E0301: { severity: "error", title: "type mismatch" },
  E0302: { severity: "error", title: "operator does not apply to this type" },
  E0303: { severity: "error", title: "value not among the field's allowed values" },
  E0304: { severity: "error", title: "condition is not true/false" },
  E0305: { severity: "error", title: "currency mismatch" },
  E0306: { severity: "error", title: "field has the wrong type for this clause" },
  // Numbers
  E0401: { severity: "error", title: "percentage outside 0–100%" },
  E0402: { severity: "error", title: "funnel rate of 0%" },
  E0403: { severity: "error", title: "number out of range" },
  // Definitions
  E0501: { severity: "error", title: "lead definition refers to itself" },
  E0502: { severity: "error", title: "SLA clock has no time" },
  // Calendars and time
  E0601: { severity: "error", title: "inverted hours" },
  E0602: { severity: "error", title: "overlapping hours" },
  E0603: { severity: "error", title: "unknown time zone" },
  E0604: { severity: "error", title: "business duration with no calendar" },
  E0605: { severity: "error", title: "unknown day of the week" },
  E0606: { severity: "error", title: "business duration longer than its calendar can count" },
  // Waivers (SPEC §8.4)
  E0701: { severity: "error", title: "waiver names an unknown SLA" },
  E0702: { severity: "error", title: "waiver on a count or rate SLA" },
  E0703: { severity: "error", title: "waiver ends before it starts" },
  E0704: { severity: "error", title: "waiver names its leads both by id and by condition" },
  W0701: { severity: "warning", title: "waivers overlap" },
  W0702: { severity: "warning", title: "waiver names a lead not in the snapshot" },
  W0703: { severity: "warning", title: "waiver expired at as_of" },
  // Rules that read a lead's own fields: whose touch counts, calendars per lead, quotas per group
  E0711: { severity: "error", title: "lead field reference out of place" },
  E0712: { severity: "error", title: "value listed twice in a table" },
  E0713: { severity: "error", title: "calendar by field without a default" },
  // Warnings: do not fail `validate` unless --strict
  W0101: { severity: "warning", title: "lead definition never used" },
  W0102: { severity: "warning", title: "field never used" },
  W0103: { severity: "warning", title: "grouping field has no values in the snapshot" },
  W0104: { severity: "warning", title: "holiday listed twice" },
  W0105: { severity: "warning", title: "calendar never used" },
  W0106: { severity: "warning", title: "field has no values in the snapshot" },
  W0107: { severity: "warning", title: "lead definition matches no lead in the snapshot" },
  // Versions in force (`eval --versions git`)
  W0801: { severity: "warning", title: "version takes effect before the version it follows" },
  W0802: { severity: "warning", title: "committed version does not check" },
} as const satisfies Record<string, { severity: Severity; title: string }>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/**
 * A word of a message longer than MAX_WORD is cut, and a message longer than MAX_MESSAGE: names and
 * runs of junk quoted from the text can be 100 KB long, and one diagnostic must stay readable.
 */
const MAX_WORD = 60;
const MAX_MESSAGE = 600;

export function clipMessage(text: string): string {
  const words = text.replace(new RegExp(`\\S{${MAX_WORD + 1},}`, "g"), (word) => `${word.slice(0, MAX_WORD - 20)}…${word.slice(-2)}`);
  return words.length > MAX_MESSAGE ? `${words.slice(0, MAX_MESSAGE)}…` : words;
}

export function diagnostic(code: DiagnosticCode, message: string, file: string, range: Range): Diagnostic {
  return { code, severity: DIAGNOSTIC_CODES[code].severity, message: clipMessage(message), file, range };
}

export function hasErrors(diagnostics: readonly Diagnostic[], strict = false): boolean {
  return diagnostics.some((d) => d.severity === "error" || (strict && d.severity === "warning"));
}

/** Stable order for output: by file, then position, then code. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) ||
      a.range.start.offset - b.range.start.offset ||
      a.code.localeCompare(b.code),
  );
}

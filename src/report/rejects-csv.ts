import type { Reject } from "../engine/result.js";
import { maskText } from "./mask.js";

/** The header of `eval --rejects FILE`: every row not used, one a line (SPEC §8.2). */
export const REJECTS_CSV_HEADER = "file,line,reason\r\n";

/**
 * One row not used as a CSV record (RFC 4180, CRLF like the exports it names). A cell opening
 * with = + - @ is prefixed with ' so that a spreadsheet shows it instead of running it; e-mail-like
 * values are hidden unless `showPii`, as in every report.
 */
export function rejectCsvLine(row: Reject, showPii: boolean): string {
  const reason = showPii ? row.reason : maskText(row.reason);
  return `${csvCell(row.file)},${row.line},${csvCell(reason)}\r\n`;
}

function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

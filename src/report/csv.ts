import type { LeadRow } from "../engine/evaluator.js";
import type { Masker } from "./mask.js";
import { isoInstant } from "../engine/time.js";

/** The columns of `--format csv`, exactly as SPEC §8.1 gives them. */
export const CSV_HEADER = "sla,period,group,lead,outcome,clock,deadline,first_touch,touches";

/** How ids and group labels are shown: the same masking as every other format (mask.ts). */
export interface CsvMasking {
  lead: (id: string) => string;
  group: (group: string, sla: string) => string;
}

/**
 * The masking of the report's own lead ids and groups: the report's Masker (mask.ts), so ids
 * shaped like e-mail addresses are hidden and groups of a `pii` field take the report's own
 * pseudonyms. With --show-pii the masker shows them as they are.
 */
export function csvMasking(masker: Masker, bySla: ReadonlyMap<string, readonly string[]>): CsvMasking {
  return { lead: masker.text, group: (group, sla) => masker.group(group, bySla.get(sla) ?? []) };
}

/**
 * One field, RFC 4180: quoted when it holds a comma, a quote or a line break. A value that a
 * spreadsheet would run as a formula (=, +, @, tab, CR first) gets a leading apostrophe, as
 * OWASP advises: the file is opened in Excel by the people it is for. A `-` too, unless only a
 * number follows (negative numbers and a lone minus are not formulas; -2+3 and -cmd|… are).
 */
export function csvField(value: string): string {
  const safe = /^[=+@\t\r]|^-(?![\d.,]*$)/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function time(ms: number | null): string {
  return ms === null ? "" : isoInstant(ms);
}

/** One CSV line (LF-ended, as git and most readers prefer) for a judged or counted lead; times ISO 8601 UTC, empty where nothing applies. */
export function csvLine(row: LeadRow, masking: CsvMasking): string {
  return `${[
    csvField(row.sla),
    csvField(row.period),
    csvField(masking.group(row.group, row.sla)),
    csvField(masking.lead(row.lead)),
    row.outcome,
    time(row.clock),
    time(row.deadline),
    time(row.firstTouch),
    row.touches === null ? "" : String(row.touches),
  ].join(",")}\n`;
}

/**
 * The CSV in chunks of about `chunkChars` characters: a million rows are written as they are
 * made, never held whole.
 */
export function* csvChunks(rows: Iterable<LeadRow>, masking: CsvMasking, chunkChars = 1 << 20): Generator<string> {
  let chunk = `${CSV_HEADER}\n`;
  for (const row of rows) {
    chunk += csvLine(row, masking);
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = "";
    }
  }
  if (chunk.length > 0) yield chunk;
}

import type { InputFigures } from "../engine/result.js";
import { ROWS_LISTED } from "../engine/row-log.js";

export { rowsRejected as rejectedRows } from "../engine/result.js";

/** Activities whose lead is not among the leads used; `input.unmatchedActivities` lists only the first. */
export function unmatchedRows(input: InputFigures): number {
  return input.files.reduce((n, f) => n + f.unmatched, 0);
}

/** The line after a list cut short: where the rows it leaves out can be read. */
export function restOfRows(input: InputFigures, more: number): string {
  if (input.rejectsFile !== null) return `… ${more} more, every one in ${input.rejectsFile}`;
  return `… ${more} more: the JSON report lists the first ${ROWS_LISTED.toLocaleString("en-US")} of each kind, eval --rejects FILE writes every one`;
}

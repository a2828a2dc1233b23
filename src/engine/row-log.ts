import type { ReasonCount, Reject } from "./result.js";

/** Rows of each kind not used that a report lists with their lines; the rest are counted (and go to `--rejects FILE`). */
export const ROWS_LISTED = 1000;
/**
 * Distinct reasons counted one by one; past this, "other reasons". Reasons differ by column and
 * fault, not by value, so a policy's fields give far fewer; the cap holds whatever the input.
 */
export const REASONS_COUNTED = 100;
export const OTHER_REASONS = "other reasons";

/**
 * Rows of one kind that were not used (rejects, duplicate lead ids, unmatched activities), in
 * memory bounded whatever their number: a count, a count per reason, and the first ROWS_LISTED
 * in file and line order. Rows may come out of line order (two threads feed activities as they
 * come): the list keeps the earliest, by sorting and cutting it whenever it holds twice the
 * limit, which costs O(log limit) a row.
 */
export class RowLog {
  count = 0;
  private rows: Array<Reject & { order: number }> = [];
  /** Once cut: a row after this one (by file, then line) cannot be among the first. */
  private last: { order: number; line: number } | undefined;
  private readonly reasons = new Map<string, ReasonCount>();

  constructor(private readonly fileOrder: ReadonlyMap<string, number>) {}

  /** `kind`: reasonKind(reason), when the caller knows it without the regular expressions (rows not used by the million). */
  add(file: string, line: number, reason: string, kind: ReasonKind = reasonKind(reason)): void {
    this.count++;
    this.countReason(kind);
    const order = this.fileOrder.get(file) ?? 0;
    if (this.last && (order > this.last.order || (order === this.last.order && line > this.last.line))) return;
    this.rows.push({ file, line, reason, order });
    if (this.rows.length >= 2 * ROWS_LISTED) this.cut();
  }

  /** The first rows, in file and line order. */
  first(): Reject[] {
    this.cut();
    return this.rows.map(({ file, line, reason }) => ({ file, line, reason }));
  }

  /** Rows per reason, most first (ties by reason, so that two runs print the same). */
  byReason(): ReasonCount[] {
    return [...this.reasons.values()].sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0)).map((r) => ({ ...r }));
  }

  private cut(): void {
    this.rows.sort((a, b) => a.order - b.order || a.line - b.line);
    if (this.rows.length > ROWS_LISTED) this.rows.length = ROWS_LISTED;
    const last = this.rows[this.rows.length - 1];
    if (this.rows.length === ROWS_LISTED && last) this.last = { order: last.order, line: last.line };
  }

  private countReason(key: ReasonKind): void {
    let counted = this.reasons.get(key.reason);
    if (!counted) {
      if (this.reasons.size >= REASONS_COUNTED) {
        counted = this.reasons.get(OTHER_REASONS);
        if (!counted) this.reasons.set(OTHER_REASONS, (counted = { reason: OTHER_REASONS, column: null, count: 0 }));
      } else {
        this.reasons.set(key.reason, (counted = { ...key, count: 0 }));
      }
    }
    counted.count++;
  }
}

/**
 * A reason with the values read from the data replaced by '…', so that a million rows with one
 * fault count as one reason: quoted values (but not the column named after "column "), what a
 * check "found", and line numbers. The column is the one the reason starts with, if any.
 */
export interface ReasonKind {
  reason: string;
  column: string | null;
}

export function reasonKind(reason: string): ReasonKind {
  const column = /^column '([^']*)'/.exec(reason)?.[1] ?? null;
  const kind = reason
    .replace(/(column )?'[^']*'/g, (quoted: string, column: string | undefined) => (column ? quoted : "'…'"))
    .replace(/\(found [^)]*\)/g, "(found …)")
    .replace(/\bline \d+/g, "line …");
  return { reason: kind, column };
}

/**
 * reasonKind of every reason `reasonFor(value)` makes from a value shown without a quote, worked
 * out once: the value sits in the reason's first quotes, which reasonKind replaces whole.
 */
export function kindOfReasons(reasonFor: (value: string) => string): (shownValue: string, reason: string) => ReasonKind {
  const kind = reasonKind(reasonFor("x"));
  return (shownValue, reason) => (shownValue.includes("'") ? reasonKind(reason) : kind);
}

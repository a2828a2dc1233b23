import type * as A from "./ast.js";
import { assertNever } from "./never.js";

/**
 * Column format patterns (`format "…"` on a field, SPEC §8.2), read into parts: what the checker
 * judges and what the snapshot reader compiles (snapshot/column-readers.ts). Time patterns use
 * luxon's tokens (the Unicode ones: `M/d/yyyy h:mm a`); number patterns show how 1234.56 is written.
 */

export type PatternPart = { kind: "literal"; text: string } | { kind: "token"; token: string };

/**
 * Tokens the snapshot reader parses itself, digit by digit. Every other luxon token is read by
 * luxon (slower, but exports rarely use them).
 */
export const OWN_TOKENS: ReadonlySet<string> = new Set([
  "yyyy", "M", "MM", "MMM", "MMMM", "d", "dd", "H", "HH", "h", "hh", "m", "mm", "s", "ss", "SSS", "a", "ZZ", "ZZZ",
]);

/** Luxon's parsing tokens (luxon/src/impl/tokenParser.js), beyond OWN_TOKENS. */
const LUXON_TOKENS: ReadonlySet<string> = new Set([
  "y", "yy", "yyyyy", "yyyyyy", "G", "GG", "GGGGG", "k", "kk", "kkkk", "kkkkk", "W", "WW", "o", "ooo", "q", "qq",
  "L", "LL", "LLL", "LLLL", "E", "EEE", "EEEE", "c", "ccc", "cccc", "S", "u", "uu", "uuu", "ii", "iiii",
  "Z", "ZZZZ", "ZZZZZ", "z", "X", "x", "n", "nn", "D", "DD", "DDD", "DDDD", "t", "tt", "T", "TT", "f", "ff", "F", "FF",
]);

/** The pattern cut into literal text and tokens, as luxon does: runs of one letter are a token, `'…'` is literal. */
export function splitPattern(pattern: string): PatternPart[] {
  const parts: PatternPart[] = [];
  let literal = "";
  const flush = (): void => {
    if (literal !== "") parts.push({ kind: "literal", text: literal });
    literal = "";
  };
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      // '…' is literal text, to the next quote or the end (luxon has no escaped quote).
      const end = pattern.indexOf("'", i + 1);
      literal += pattern.slice(i + 1, end === -1 ? pattern.length : end);
      i = end === -1 ? pattern.length : end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      flush();
      parts.push({ kind: "token", token: pattern.slice(i, j) });
      i = j;
      continue;
    }
    literal += c;
    i++;
  }
  flush();
  return parts;
}

/** Why a time or date pattern cannot read a date, or undefined when it can. */
export function timePatternProblem(pattern: string): string | undefined {
  const tokens = splitPattern(pattern).flatMap((p) => (p.kind === "token" ? [p.token] : []));
  const unknown = tokens.find((t) => !OWN_TOKENS.has(t) && !LUXON_TOKENS.has(t));
  if (unknown !== undefined) {
    return `'${unknown}' is not a date or time token (such as yyyy, M, d, h, mm, a); put literal text in single quotes`;
  }
  const has = (...letters: string[]): boolean => tokens.some((t) => letters.includes(t[0]!));
  if (has("X", "x")) return undefined;
  const macro = tokens.find((t) => "DtTfF".includes(t[0]!));
  if (macro !== undefined) return `'${macro}' is a luxon macro whose layout depends on the locale: spell the pattern out (M/d/yyyy h:mm a), and put letters meant as themselves in single quotes ('T')`;
  const year = has("y", "u");
  const date = (year && has("M", "L") && has("d")) || (year && has("o")) || (has("k") && has("W"));
  if (!date) return "it does not give a whole date: a year (yyyy), a month (M) and a day (d)";
  if (has("h") && !has("a")) return "'h' is the 12-hour clock: add 'a' (AM/PM), or use 'H' for the 24-hour clock";
  if (has("a") && !has("h")) return "'a' (AM/PM) goes with the 12-hour clock 'h', not 'H'";
  return undefined;
}

/** A number pattern read: the thousands separator ("" for none) and the decimal mark. */
export interface NumberPattern {
  group: string;
  decimal: string;
}

/** How 1234.56 is written ("1,234.56", "1.234,56", "1 234,56", "1234.56"), or a string saying why the pattern is not one. */
export function readNumberPattern(pattern: string): NumberPattern | string {
  const m = /^1([^0-9]?)234(?:([^0-9])(\d+))?$/u.exec(pattern);
  const why = `a number format writes one thousand two hundred thirty-four as the data does: "1,234.56", "1.234,56", "1 234,56" or "1234.56"`;
  if (!m) return why;
  const group = m[1] ?? "";
  let decimal = m[2];
  if (decimal === undefined) decimal = group === "." ? "," : ".";
  if (decimal === group) return why;
  return { group, decimal };
}

/** Why a field's number pattern is wrong, or undefined. */
export function numberPatternProblem(pattern: string): string | undefined {
  const read = readNumberPattern(pattern);
  return typeof read === "string" ? read : undefined;
}

/**
 * A field's format as the snapshot reader needs it: plain data, so that it crosses to the
 * converting thread (snapshot/parallel.ts) with the field.
 */
export type ColumnFormat =
  | { kind: "time"; pattern: string }
  | { kind: "epoch"; unit: "ms" | "s" }
  | { kind: "number"; pattern: string };

/** The format of a field of this type, as the reader needs it; undefined when the type takes none (the checker said so: E0106). */
export function columnFormatOf(format: A.FieldFormat, type: A.FieldTypeName): ColumnFormat | undefined {
  switch (format.kind) {
    case "Pattern":
      if (type === "time" || type === "date") return { kind: "time", pattern: format.pattern.value };
      if (type === "number" || type === "money") return { kind: "number", pattern: format.pattern.value };
      return undefined;
    case "Epoch":
      return type === "time" ? { kind: "epoch", unit: format.unit } : undefined;
    default:
      return assertNever(format);
  }
}

/** How a format is named in a reject: `the format "M/d/yyyy h:mm a"`, `epoch milliseconds`. */
export function describeColumnFormat(format: ColumnFormat): string {
  switch (format.kind) {
    case "time":
    case "number":
      return `the format "${format.pattern}"`;
    case "epoch":
      return format.unit === "ms" ? "epoch milliseconds (format epoch ms)" : "epoch seconds (format epoch s)";
    default:
      return assertNever(format);
  }
}

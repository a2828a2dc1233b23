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

/** A token of a pattern, with where it starts in the pattern (for a diagnostic's place). */
interface PlacedToken {
  token: string;
  at: number;
}

/** A pattern scanned: its parts in order, each with where it starts, and a quote left open (its index), if any. */
function scanPattern(pattern: string): { parts: Array<PatternPart & { at: number }>; openQuote: number | undefined } {
  const parts: Array<PatternPart & { at: number }> = [];
  let literal = "";
  let literalAt = 0;
  let openQuote: number | undefined;
  const flush = (): void => {
    if (literal !== "") parts.push({ kind: "literal", text: literal, at: literalAt });
    literal = "";
  };
  const addLiteral = (text: string, at: number): void => {
    if (literal === "") literalAt = at;
    literal += text;
  };
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i]!;
    if (c === "'") {
      // '…' is literal text, to the next quote or the end (luxon has no escaped quote).
      const end = pattern.indexOf("'", i + 1);
      if (end === -1) openQuote = i;
      addLiteral(pattern.slice(i + 1, end === -1 ? pattern.length : end), i);
      i = end === -1 ? pattern.length : end + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let j = i;
      while (pattern[j] === c) j++;
      flush();
      parts.push({ kind: "token", token: pattern.slice(i, j), at: i });
      i = j;
      continue;
    }
    addLiteral(c, i);
    i++;
  }
  flush();
  return { parts, openQuote };
}

/** The pattern cut into literal text and tokens, as luxon does: runs of one letter are a token, `'…'` is literal. */
export function splitPattern(pattern: string): PatternPart[] {
  return scanPattern(pattern).parts.map((p): PatternPart => (p.kind === "token" ? { kind: "token", token: p.token } : { kind: "literal", text: p.text }));
}

/** One mistake in a pattern: what is wrong, and the part of the pattern it is about (`at`, `length`; the whole pattern when not one part). */
export interface PatternProblem {
  message: string;
  at: number;
  length: number;
}

/**
 * What each token sets when luxon reads a value (luxon's tokenParser: a later token of the same
 * letter overwrites an earlier one, and M, L and q all set the month), by its first letter.
 * Two tokens setting one thing are ambiguous: which wins is luxon's key order, not the data's.
 */
const SETS: Readonly<Record<string, string>> = {
  G: "the era", y: "the year", M: "the month", L: "the month", q: "the month", d: "the day", o: "the day of the year",
  H: "the hour", h: "the hour", m: "the minute", s: "the second", S: "the fraction of a second", u: "the fraction of a second",
  a: "AM/PM", E: "the weekday", c: "the weekday", k: "the week year", W: "the week number", Z: "the offset", z: "the offset",
  X: "the whole time", x: "the whole time",
};

/** Why a time or date pattern cannot read a date: one problem per mistake, none when it can. */
export function timePatternProblems(pattern: string): PatternProblem[] {
  const { parts, openQuote } = scanPattern(pattern);
  const whole = { at: 0, length: pattern.length };
  if (openQuote !== undefined) {
    // What follows is all literal text: any other problem would be this one's consequence.
    // Most likely a one-token literal left open: 'T for 'T'.
    const closed = /^'(([A-Za-z])\2*)/.exec(pattern.slice(openQuote));
    const likely = closed ? ` ("${pattern.slice(0, openQuote)}'${closed[1]}'${pattern.slice(openQuote + closed[0].length)}"?)` : "";
    return [{ message: `the quote opens literal text that is never closed: end it with a second single quote${likely}`, at: openQuote, length: pattern.length - openQuote }];
  }
  const tokens: PlacedToken[] = parts.flatMap((p) => (p.kind === "token" ? [{ token: p.token, at: p.at }] : []));
  const letters = letterProblems(tokens);
  // Letters that are no token may be words meant literally: the rest would follow from them.
  if (letters.length > 0) return letters;
  const problems = [...conflicts(tokens)];
  const has = (...first: string[]): boolean => tokens.some((t) => first.includes(t.token[0]!));
  if (has("X", "x")) return problems;
  // Luxon's 'u' is a fraction of a second, not a year.
  const year = has("y");
  const date = (year && has("M", "L") && has("d")) || (year && has("o")) || (has("k") && has("W"));
  if (!date) problems.push({ message: "it does not give a whole date: a year (yyyy), a month (M) and a day (d)", ...whole });
  if (!(has("h") && has("H"))) {
    const h = tokens.find((t) => t.token[0] === "h");
    const a = tokens.find((t) => t.token[0] === "a");
    if (h && !a) problems.push({ message: `'${h.token}' is the 12-hour clock: add 'a' (AM/PM), or use '${h.token.toUpperCase()}' for the 24-hour clock`, at: h.at, length: h.token.length });
    if (a && !h) problems.push({ message: "'a' (AM/PM) goes with the 12-hour clock 'h', not 'H'", at: a.at, length: a.token.length });
  }
  return problems;
}

/** Why a time or date pattern cannot read a date (its first mistake), or undefined when it can. */
export function timePatternProblem(pattern: string): string | undefined {
  return timePatternProblems(pattern)[0]?.message;
}

/** Letters that are not a token, and luxon's macros (their layout depends on the locale): one problem each. */
function letterProblems(tokens: readonly PlacedToken[]): PatternProblem[] {
  const problems: PatternProblem[] = [];
  for (const { token, at } of tokens) {
    const place = { at, length: token.length };
    if (!OWN_TOKENS.has(token) && !LUXON_TOKENS.has(token)) {
      problems.push({ message: `'${token}' is not a date or time token (such as yyyy, M, d, h, mm, a); put literal text in single quotes ('${token}')`, ...place });
    } else if ("DtTfF".includes(token[0]!)) {
      problems.push({ message: `'${token}' is a luxon macro whose layout depends on the locale: spell the pattern out (M/d/yyyy h:mm a), and put letters meant as themselves in single quotes ('${token}')`, ...place });
    }
  }
  return problems;
}

/**
 * Tokens that set one thing twice (yyyy … yyyy, M … MMM, H … h): one problem at each later one.
 * And the mixes luxon refuses whatever the value: a day of the year or a week date with a month
 * or day, an epoch count with anything else that sets a time.
 */
function conflicts(tokens: readonly PlacedToken[]): PatternProblem[] {
  const problems: PatternProblem[] = [];
  const first = new Map<string, PlacedToken>();
  for (const t of tokens) {
    const sets = SETS[t.token[0]!];
    if (sets === undefined) continue;
    const earlier = first.get(sets);
    if (earlier === undefined) {
      first.set(sets, t);
      continue;
    }
    const place = { at: t.at, length: t.token.length };
    if (earlier.token[0] === t.token[0]) problems.push({ message: `'${t.token}' gives ${sets} a second time (after '${earlier.token}'): a value holds it once; remove one`, ...place });
    else problems.push({ message: `'${earlier.token}' and '${t.token}' both give ${sets}: keep one${hourHint(earlier.token, t.token)}`, ...place });
  }
  // Luxon throws (not an invalid value) on a week date with any calendar part, and on a day of
  // the year with a month or day: one problem for each such mix, at the week's first token.
  const day = first.get("the month") ?? first.get("the day");
  const ordinal = first.get("the day of the year");
  const week = [first.get("the week year"), first.get("the week number")].filter((t) => t !== undefined).sort((a, b) => a.at - b.at)[0];
  const calendar = first.get("the year") ?? day ?? ordinal;
  if (week && calendar) {
    problems.push({ message: `'${week.token}' (${SETS[week.token[0]!]}) and '${calendar.token}' (${SETS[calendar.token[0]!]}) cannot be read together: use a year, month and day, or a week year, week and weekday (kkkk-'W'WW-c)`, at: week.at, length: week.token.length });
  } else if (ordinal && day) {
    problems.push({ message: `'${ordinal.token}' (the day of the year) and '${day.token}' (${SETS[day.token[0]!]}) cannot be read together: use a year, month and day, or the one alone`, at: ordinal.at, length: ordinal.token.length });
  }
  const epoch = first.get("the whole time");
  const other = tokens.find((t) => SETS[t.token[0]!] !== undefined && SETS[t.token[0]!] !== "the whole time" && SETS[t.token[0]!] !== "the weekday");
  if (epoch && other) problems.push({ message: `'${epoch.token}' is a whole time by itself (an epoch count): '${other.token}' cannot be read with it`, at: other.at, length: other.token.length });
  return problems;
}

/** For H and h together: which goes with what. */
function hourHint(a: string, b: string): string {
  return a[0]!.toLowerCase() === "h" && b[0]!.toLowerCase() === "h" && a[0] !== b[0] ? ": 'H' for the 24-hour clock, or 'h' with 'a' (AM/PM)" : "";
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

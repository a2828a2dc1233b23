import { DateTime } from "luxon";
import { describeColumnFormat, OWN_TOKENS, readNumberPattern, splitPattern, type ColumnFormat } from "../lang/column-format.js";
import { assertNever } from "../lang/never.js";
import { DAY, dayOfDate, MINUTE, type Zone } from "../engine/time.js";

/**
 * The years a snapshot's dates and times may fall in (docs/snapshots.md). A CRM's "never" date
 * (9999-12-31) or a typo (20266) would otherwise open periods of its own and move a headline.
 */
export const FIRST_YEAR = 1900;
export const LAST_YEAR = 2199;
const FIRST_MS = Date.UTC(FIRST_YEAR, 0, 1) - 14 * 3_600_000;
const LAST_MS = Date.UTC(LAST_YEAR + 1, 0, 1) + 14 * 3_600_000;

/**
 * Reads one column written in a field's `format` (SPEC §8.2), compiled once per column. Reads
 * text in place (text[start, start + length), as the CSV fast path hands it over), so a value is
 * parsed once and never cut out unless it is rejected.
 */
export interface ColumnReader {
  /** The value (epoch ms for times, a number for numbers), or undefined when the text is off the format. */
  read(text: string, start: number, length: number): number | undefined;
  /** A JSON value that is not text (NDJSON/JSON): a number, for epoch and number formats. */
  readJson(value: unknown): number | undefined;
  /** How the format is named in a reject: `the format "M/d/yyyy h:mm a"`. */
  readonly expected: string;
}

/** Counts the times read with no offset in them, so in the agreement's zone (SPEC §3 reports how many). */
export interface NaiveCount {
  naive: number;
}

export function columnReader(format: ColumnFormat, zone: Zone, naive: NaiveCount): ColumnReader {
  switch (format.kind) {
    case "time":
      return new TimePatternReader(format.pattern, zone, naive, describeColumnFormat(format));
    case "epoch":
      return new EpochReader(format.unit === "ms" ? 1 : 1000, describeColumnFormat(format));
    case "number":
      return new NumberReader(format.pattern, describeColumnFormat(format));
    default:
      return assertNever(format);
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 160 || c === 0x202f || c === 0xfeff;
}

const WHOLE_DIGITS = 15;

/** A count since 1970, in ms or s: digits, and for seconds an optional fraction. */
class EpochReader implements ColumnReader {
  constructor(
    private readonly unitMs: number,
    readonly expected: string,
  ) {}

  read(text: string, start: number, length: number): number | undefined {
    let i = start;
    let end = start + length;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    while (end > i && isSpace(text.charCodeAt(end - 1))) end--;
    const negative = text.charCodeAt(i) === 45;
    if (negative) i++;
    let n = 0;
    let digits = 0;
    for (; i < end; i++) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
      digits++;
    }
    if (digits === 0 || digits > WHOLE_DIGITS) return undefined;
    let fraction = 0;
    if (i < end && text.charCodeAt(i) === 46 && this.unitMs === 1000) {
      let scale = 1;
      for (i++; i < end && scale < 1e9; i++) {
        const d = text.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return undefined;
        fraction = fraction * 10 + d;
        scale *= 10;
      }
      if (scale === 1) return undefined;
      fraction /= scale;
    }
    if (i !== end) return undefined;
    return this.inRange((negative ? -1 : 1) * (n + fraction) * this.unitMs);
  }

  readJson(value: unknown): number | undefined {
    return typeof value === "number" && Number.isFinite(value) ? this.inRange(value * this.unitMs) : undefined;
  }

  private inRange(ms: number): number | undefined {
    const rounded = Math.round(ms);
    return rounded >= FIRST_MS && rounded < LAST_MS ? rounded : undefined;
  }
}

/** Unicode currency symbols ($, €, £, ¥, ₹, …): stripped around a number. */
const CURRENCY = /\p{Sc}/u;
function isCurrency(c: number): boolean {
  return c === 36 || c === 0x20ac || c === 0xa3 || c === 0xa5 || (c > 127 && CURRENCY.test(String.fromCharCode(c)));
}

/** A number written with a thousands separator and a decimal mark, currency symbols around it ignored. */
class NumberReader implements ColumnReader {
  private readonly group: number;
  private readonly decimal: number;
  /** A space as separator also matches the no-break spaces that spreadsheets write. */
  private readonly spaceGroup: boolean;

  constructor(pattern: string, readonly expected: string) {
    const read = readNumberPattern(pattern);
    if (typeof read === "string") throw new Error(`internal: number pattern ${pattern} passed the checker: ${read}`);
    this.group = read.group === "" ? -1 : read.group.charCodeAt(0);
    this.decimal = read.decimal.charCodeAt(0);
    this.spaceGroup = read.group === " ";
  }

  read(text: string, start: number, length: number): number | undefined {
    let i = start;
    let end = start + length;
    let negative = false;
    // Leading: spaces, a sign, currency symbols, in any order ("-$1,250.00", "$ -5", "€5").
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 45 || c === 0x2212) {
        if (negative) return undefined;
        negative = true;
      } else if (c !== 43 && !isSpace(c) && !isCurrency(c)) break;
    }
    for (; end > i; end--) {
      const c = text.charCodeAt(end - 1);
      if (!isSpace(c) && !isCurrency(c)) break;
    }
    let whole = 0;
    let digits = 0;
    /** Digits since the last separator; -1 before the first. */
    let inGroup = -1;
    let run = 0;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      const d = c - 48;
      if (d >= 0 && d <= 9) {
        whole = whole * 10 + d;
        digits++;
        run++;
        continue;
      }
      if (c === this.group || (this.spaceGroup && isSpace(c))) {
        // The first group has 1–3 digits, every later one 3.
        if (run === 0 || run > 3 || (inGroup !== -1 && run !== 3)) return undefined;
        inGroup = run;
        run = 0;
        continue;
      }
      break;
    }
    if (digits === 0 || (inGroup !== -1 && run !== 3)) return undefined;
    let fraction = 0;
    let places = 0;
    if (i < end && text.charCodeAt(i) === this.decimal) {
      for (i++; i < end; i++) {
        const d = text.charCodeAt(i) - 48;
        if (d < 0 || d > 9) return undefined;
        fraction = fraction * 10 + d;
        places++;
      }
      if (places === 0) return undefined;
    }
    if (i !== end) return undefined;
    let value: number;
    if (digits + places <= WHOLE_DIGITS) {
      // Both exact, so one division rounds as Number("1250.56") does.
      const scale = 10 ** places;
      value = (whole * scale + fraction) / scale;
    } else {
      value = Number(this.plain(text, start, length));
      // 400 digits are a number to the pattern but Infinity to JavaScript (JSON then writes it null).
      if (!Number.isFinite(value)) return undefined;
    }
    return negative ? -value : value;
  }

  /** The digits and decimal point only, for numbers too long to add up exactly. */
  private plain(text: string, start: number, length: number): string {
    let out = "";
    for (let i = start; i < start + length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 48 && c <= 57) out += text[i];
      else if (c === this.decimal) out += ".";
    }
    return out;
  }

  readJson(value: unknown): number | undefined {
    return typeof value === "number" && Number.isFinite(value) ? value : undefined;
  }
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

// A compiled pattern is a program of steps, each an opcode and three operands, kept in typed
// arrays and run by one loop with the value's parts in local variables: a step object per token
// and a field written by name cost about twice as much per value (measured on a million values).
const CHAR = 0; // one literal character: a = its code
const TEXT = 1; // literal text: a = its index in `texts`
const NUMBER = 2; // digits: a = unit, b = fewest, c = most
const MERIDIEM = 3; // AM or PM, any case
const MONTH_NAME = 4; // a = 1: the full name; 0: its first three letters
const OFFSET = 5; // a = 1: +05:00; 0: +0500; `Z` is UTC

const YEAR = 0;
const MONTH = 1;
const DAY_OF_MONTH = 2;
const HOUR = 3;
const HOUR12 = 4;
const MINUTES = 5;
const SECONDS = 6;
const MILLIS = 7;

/** Luxon's number tokens the reader reads itself: unit, fewest digits, most digits. */
const NUMBER_TOKENS: Readonly<Record<string, readonly [number, number, number]>> = {
  yyyy: [YEAR, 4, 4],
  M: [MONTH, 1, 2],
  MM: [MONTH, 2, 2],
  d: [DAY_OF_MONTH, 1, 2],
  dd: [DAY_OF_MONTH, 2, 2],
  H: [HOUR, 1, 2],
  HH: [HOUR, 2, 2],
  h: [HOUR12, 1, 2],
  hh: [HOUR12, 2, 2],
  m: [MINUTES, 1, 2],
  mm: [MINUTES, 2, 2],
  s: [SECONDS, 1, 2],
  ss: [SECONDS, 2, 2],
  SSS: [MILLIS, 3, 3],
};

interface Program {
  ops: Int32Array;
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
  texts: string[];
}

/**
 * The program of a pattern made only of OWN_TOKENS, or undefined: then luxon reads it. A token of
 * one or two digits right before another number is left to luxon too (where would "1122" split?).
 */
function compile(pattern: string): Program | undefined {
  const parts = splitPattern(pattern);
  const steps: Array<[number, number, number, number]> = [];
  const texts: string[] = [];
  for (const [k, part] of parts.entries()) {
    if (part.kind === "literal") {
      steps.push(part.text.length === 1 ? [CHAR, part.text.charCodeAt(0), 0, 0] : [TEXT, texts.push(part.text) - 1, 0, 0]);
      continue;
    }
    const t = part.token;
    if (!OWN_TOKENS.has(t)) return undefined;
    const number = NUMBER_TOKENS[t];
    if (number) {
      const next = parts[k + 1];
      if (number[1] !== number[2] && next?.kind === "token" && (NUMBER_TOKENS[next.token] || next.token === "ZZ" || next.token === "ZZZ")) return undefined;
      steps.push([NUMBER, number[0], number[1], number[2]]);
    } else if (t === "a") steps.push([MERIDIEM, 0, 0, 0]);
    else if (t === "MMM" || t === "MMMM") steps.push([MONTH_NAME, t === "MMMM" ? 1 : 0, 0, 0]);
    else steps.push([OFFSET, t === "ZZ" ? 1 : 0, 0, 0]);
  }
  return {
    ops: Int32Array.from(steps, (x) => x[0]),
    a: Int32Array.from(steps, (x) => x[1]),
    b: Int32Array.from(steps, (x) => x[2]),
    c: Int32Array.from(steps, (x) => x[3]),
    texts,
  };
}

/** The month named at text[i] (1–12) times 256 plus the name's length, or -1. */
function monthNameAt(long: boolean, text: string, i: number, end: number): number {
  for (let m = 0; m < 12; m++) {
    const name = long ? MONTHS[m]! : MONTHS[m]!.slice(0, 3);
    if (end - i < name.length) continue;
    let same = true;
    for (let k = 0; k < name.length && same; k++) same = (text.charCodeAt(i + k) | 32) === name.charCodeAt(k);
    if (same) return (m + 1) * 256 + name.length;
  }
  return -1;
}

/** The offset at text[i] in minutes east of UTC, times 16 plus its length in characters; NaN when there is none. */
function offsetAt(colon: boolean, text: string, i: number, end: number): number {
  const sign = text.charCodeAt(i);
  if (sign === 90) return 1;
  const width = colon ? 6 : 5;
  if ((sign !== 43 && sign !== 45) || end - i < width || (colon && text.charCodeAt(i + 3) !== 58)) return NaN;
  const digits = (k: number): number => {
    const x = text.charCodeAt(i + k) - 48;
    const y = text.charCodeAt(i + k + 1) - 48;
    return x >= 0 && x <= 9 && y >= 0 && y <= 9 ? x * 10 + y : NaN;
  };
  const hours = digits(1);
  const minutes = digits(colon ? 4 : 3);
  if (!(hours <= 14 && minutes <= 59)) return NaN;
  return (sign === 45 ? -1 : 1) * (hours * 60 + minutes) * 16 + width;
}

/**
 * A time pattern in luxon's tokens. The common tokens (OWN_TOKENS) are read by a program compiled
 * once, in place; a pattern with any other token is read by luxon's DateTime.fromFormat, about a
 * hundred times slower per value (bench/README.md).
 */
class TimePatternReader implements ColumnReader {
  private readonly program: Program | undefined;
  private readonly hasOffset: boolean;

  constructor(
    private readonly pattern: string,
    private readonly zone: Zone,
    private readonly counts: NaiveCount,
    readonly expected: string,
  ) {
    this.program = compile(pattern);
    this.hasOffset = splitPattern(pattern).some((p) => p.kind === "token" && /^[ZzXx]/.test(p.token));
  }

  read(text: string, start: number, length: number): number | undefined {
    let i = start;
    let end = start + length;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    while (end > i && isSpace(text.charCodeAt(end - 1))) end--;
    const program = this.program;
    if (!program) return this.byLuxon(text.slice(i, end));
    const { ops, a, b, c } = program;
    let year = 0;
    let month = 1;
    let day = 1;
    let hour = 0;
    let hour12 = -1;
    let minute = 0;
    let second = 0;
    let millis = 0;
    let pm = -1;
    let offset = NaN;
    for (let k = 0; k < ops.length; k++) {
      switch (ops[k]) {
        case CHAR:
          if (i >= end || text.charCodeAt(i) !== a[k]) return undefined;
          i++;
          break;
        case TEXT: {
          const literal = program.texts[a[k]!]!;
          if (end - i < literal.length || !text.startsWith(literal, i)) return undefined;
          i += literal.length;
          break;
        }
        case NUMBER: {
          let n = 0;
          let digits = 0;
          const most = c[k]!;
          for (; digits < most && i < end; digits++, i++) {
            const d = text.charCodeAt(i) - 48;
            if (d < 0 || d > 9) break;
            n = n * 10 + d;
          }
          if (digits < b[k]!) return undefined;
          switch (a[k]) {
            case YEAR: year = n; break;
            case MONTH: month = n; break;
            case DAY_OF_MONTH: day = n; break;
            case HOUR: hour = n; break;
            case HOUR12: hour12 = n; break;
            case MINUTES: minute = n; break;
            case SECONDS: second = n; break;
            default: millis = n;
          }
          break;
        }
        case MERIDIEM: {
          if (end - i < 2 || (text.charCodeAt(i + 1) | 32) !== 109) return undefined;
          const x = text.charCodeAt(i) | 32;
          if (x !== 97 && x !== 112) return undefined;
          pm = x === 112 ? 1 : 0;
          i += 2;
          break;
        }
        case MONTH_NAME: {
          const found = monthNameAt(a[k] === 1, text, i, end);
          if (found < 0) return undefined;
          month = found >> 8;
          i += found & 255;
          break;
        }
        default: {
          const found = offsetAt(a[k] === 1, text, i, end);
          if (Number.isNaN(found)) return undefined;
          const width = ((found % 16) + 16) % 16;
          offset = (found - width) / 16;
          i += width;
        }
      }
    }
    if (i !== end) return undefined;
    if (hour12 !== -1) {
      // 12 AM is midnight, 12 PM noon.
      if (hour12 < 1 || hour12 > 12 || pm === -1) return undefined;
      hour = (hour12 % 12) + (pm === 1 ? 12 : 0);
    }
    if (year < FIRST_YEAR || year > LAST_YEAR || !(hour <= 23 && minute <= 59 && second <= 59)) return undefined;
    const date = dayOfDate(year, month, day);
    if (Number.isNaN(date)) return undefined;
    const local = date * DAY + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
    if (!Number.isNaN(offset)) return local - offset * MINUTE;
    this.counts.naive++;
    return this.zone.utcOfLocal(local);
  }

  private byLuxon(text: string): number | undefined {
    // Without an offset, luxon reads the wall-clock time as UTC and Zone.utcOfLocal places it, so
    // a time at a clock change reads as the own reader (and ISO times) read it, not by luxon's rule.
    const parsed = DateTime.fromFormat(text, this.pattern, { zone: this.hasOffset ? this.zone.name : "utc", locale: "en-US" });
    if (!parsed.isValid) return undefined;
    const ms = this.hasOffset ? parsed.toMillis() : this.zone.utcOfLocal(parsed.toMillis());
    if (ms < FIRST_MS || ms >= LAST_MS || parsed.year < FIRST_YEAR || parsed.year > LAST_YEAR) return undefined;
    if (!this.hasOffset) this.counts.naive++;
    return ms;
  }

  readJson(): number | undefined {
    return undefined;
  }
}

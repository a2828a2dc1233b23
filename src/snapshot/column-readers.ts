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

/** One step of a compiled time pattern. */
type Step =
  | { op: "literal"; text: string }
  | { op: "number"; unit: Unit; min: number; max: number }
  | { op: "meridiem" }
  | { op: "monthName"; long: boolean }
  | { op: "offset"; colon: boolean };
type Unit = "year" | "month" | "day" | "hour" | "hour12" | "minute" | "second" | "ms";

const NUMBER_TOKENS: Readonly<Record<string, [Unit, number, number]>> = {
  yyyy: ["year", 4, 4],
  M: ["month", 1, 2],
  MM: ["month", 2, 2],
  d: ["day", 1, 2],
  dd: ["day", 2, 2],
  H: ["hour", 1, 2],
  HH: ["hour", 2, 2],
  h: ["hour12", 1, 2],
  hh: ["hour12", 2, 2],
  m: ["minute", 1, 2],
  mm: ["minute", 2, 2],
  s: ["second", 1, 2],
  ss: ["second", 2, 2],
  SSS: ["ms", 3, 3],
};

/**
 * The steps of a pattern made only of OWN_TOKENS, or undefined: then luxon reads it. A token of
 * one or two digits right before another number is left to luxon too (where would "1122" split?).
 */
function compileSteps(pattern: string): Step[] | undefined {
  const parts = splitPattern(pattern);
  const steps: Step[] = [];
  for (const [k, part] of parts.entries()) {
    if (part.kind === "literal") {
      steps.push({ op: "literal", text: part.text });
      continue;
    }
    const t = part.token;
    if (!OWN_TOKENS.has(t)) return undefined;
    const number = NUMBER_TOKENS[t];
    if (number) {
      const next = parts[k + 1];
      if (number[1] !== number[2] && next?.kind === "token" && (NUMBER_TOKENS[next.token] || next.token === "ZZ" || next.token === "ZZZ")) return undefined;
      steps.push({ op: "number", unit: number[0], min: number[1], max: number[2] });
    } else if (t === "a") steps.push({ op: "meridiem" });
    else if (t === "MMM" || t === "MMMM") steps.push({ op: "monthName", long: t === "MMMM" });
    else steps.push({ op: "offset", colon: t === "ZZ" });
  }
  return steps;
}

/** What a value's text said, unit by unit; reused for every value of the column. */
interface Fields {
  year: number;
  month: number;
  day: number;
  hour: number;
  hour12: number;
  minute: number;
  second: number;
  ms: number;
  /** -1: no AM/PM; 0: AM; 1: PM. */
  pm: number;
  /** Minutes east of UTC, or NaN when the text has none. */
  offset: number;
}

/**
 * A time pattern in luxon's tokens. The common tokens (OWN_TOKENS) are read by steps compiled
 * once, in place; a pattern with any other token is read by luxon's DateTime.fromFormat, which
 * is several times slower per value (bench/README.md).
 */
class TimePatternReader implements ColumnReader {
  private readonly steps: Step[] | undefined;
  private readonly f: Fields = { year: 0, month: 1, day: 1, hour: 0, hour12: -1, minute: 0, second: 0, ms: 0, pm: -1, offset: NaN };

  constructor(
    private readonly pattern: string,
    private readonly zone: Zone,
    private readonly counts: NaiveCount,
    readonly expected: string,
  ) {
    this.steps = compileSteps(pattern);
  }

  read(text: string, start: number, length: number): number | undefined {
    let i = start;
    let end = start + length;
    while (i < end && isSpace(text.charCodeAt(i))) i++;
    while (end > i && isSpace(text.charCodeAt(end - 1))) end--;
    if (!this.steps) return this.byLuxon(text.slice(i, end));
    const f = this.f;
    f.year = 0;
    f.month = 1;
    f.day = 1;
    f.hour = 0;
    f.hour12 = -1;
    f.minute = 0;
    f.second = 0;
    f.ms = 0;
    f.pm = -1;
    f.offset = NaN;
    for (const step of this.steps) {
      i = this.step(step, text, i, end);
      if (i < 0) return undefined;
    }
    return i === end ? this.instant(f) : undefined;
  }

  /** Reads one step at text[i]: the position after it, or -1. */
  private step(step: Step, text: string, i: number, end: number): number {
    switch (step.op) {
      case "literal":
        return end - i >= step.text.length && text.startsWith(step.text, i) ? i + step.text.length : -1;
      case "number": {
        let n = 0;
        let k = 0;
        for (; k < step.max && i + k < end; k++) {
          const d = text.charCodeAt(i + k) - 48;
          if (d < 0 || d > 9) break;
          n = n * 10 + d;
        }
        if (k < step.min) return -1;
        this.f[step.unit] = n;
        return i + k;
      }
      case "meridiem": {
        if (end - i < 2 || (text.charCodeAt(i + 1) | 32) !== 109) return -1;
        const c = text.charCodeAt(i) | 32;
        if (c !== 97 && c !== 112) return -1;
        this.f.pm = c === 112 ? 1 : 0;
        return i + 2;
      }
      case "monthName":
        return this.monthName(step.long, text, i, end);
      case "offset":
        return this.offset(step.colon, text, i, end);
      default:
        return assertNever(step);
    }
  }

  private monthName(long: boolean, text: string, i: number, end: number): number {
    for (let m = 0; m < 12; m++) {
      const name = long ? MONTHS[m]! : MONTHS[m]!.slice(0, 3);
      if (end - i < name.length) continue;
      let same = true;
      for (let k = 0; k < name.length && same; k++) same = (text.charCodeAt(i + k) | 32) === name.charCodeAt(k);
      if (same) {
        this.f.month = m + 1;
        return i + name.length;
      }
    }
    return -1;
  }

  /** `+05:00` (ZZ) or `+0500` (ZZZ); `Z` is UTC. */
  private offset(colon: boolean, text: string, i: number, end: number): number {
    const sign = text.charCodeAt(i);
    if (sign === 90) {
      this.f.offset = 0;
      return i + 1;
    }
    const width = colon ? 6 : 5;
    if ((sign !== 43 && sign !== 45) || end - i < width || (colon && text.charCodeAt(i + 3) !== 58)) return -1;
    const digits = (k: number): number => {
      const a = text.charCodeAt(i + k) - 48;
      const b = text.charCodeAt(i + k + 1) - 48;
      return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
    };
    const hours = digits(1);
    const minutes = digits(colon ? 4 : 3);
    if (!(hours <= 14 && minutes <= 59)) return -1;
    this.f.offset = (sign === 45 ? -1 : 1) * (hours * 60 + minutes);
    return i + width;
  }

  private instant(f: Fields): number | undefined {
    let hour = f.hour;
    if (f.hour12 !== -1) {
      // 12 AM is midnight, 12 PM noon.
      if (f.hour12 < 1 || f.hour12 > 12 || f.pm === -1) return undefined;
      hour = (f.hour12 % 12) + (f.pm === 1 ? 12 : 0);
    }
    if (f.year < FIRST_YEAR || f.year > LAST_YEAR || !(hour <= 23 && f.minute <= 59 && f.second <= 59)) return undefined;
    const date = dayOfDate(f.year, f.month, f.day);
    if (Number.isNaN(date)) return undefined;
    const local = date * DAY + ((hour * 60 + f.minute) * 60 + f.second) * 1000 + f.ms;
    if (!Number.isNaN(f.offset)) return local - f.offset * MINUTE;
    this.counts.naive++;
    return this.zone.utcOfLocal(local);
  }

  private byLuxon(text: string): number | undefined {
    const parsed = DateTime.fromFormat(text, this.pattern, { zone: this.zone.name, locale: "en-US" });
    if (!parsed.isValid) return undefined;
    const ms = parsed.toMillis();
    if (ms < FIRST_MS || ms >= LAST_MS || parsed.year < FIRST_YEAR || parsed.year > LAST_YEAR) return undefined;
    return ms;
  }

  readJson(): number | undefined {
    return undefined;
  }
}

import type { ValidateFunction } from "ajv/dist/2020.js";
import type { FieldTypeName } from "../lang/ast.js";
import type { Value } from "../engine/ir.js";
import { snapshotAjv, type Ajv } from "./ajv.js";
import type { FieldPlan } from "../engine/plan.js";
import { ACTIVITY_SLOT, DEFAULT_ACTIVITY_FIELDS, type ActivityFieldPlan } from "../lang/activity-fields.js";
import { dayOfDate, MINUTE, type Zone } from "../engine/time.js";
import { show } from "../engine/show.js";
import { columnReader, FIRST_YEAR, LAST_YEAR, type ColumnReader } from "./column-readers.js";

export { show };

/** A record as read: column name → raw value (text from CSV, any JSON value from NDJSON/JSON). */
export interface RawRecord {
  get(column: string): unknown;
  /** CSV rows: the header's column positions and the row's fields, for lookups by position. */
  columns?(): PositionalRow;
}

/** Where each field of a row starts and ends in one text. */
export interface FieldSpans {
  text: string;
  starts: Int32Array;
  ends: Int32Array;
}

/** A CSV row by position: each field as text, or, from the fast path, as spans of one text. */
export interface PositionalRow {
  index: ReadonlyMap<string, number>;
  field(i: number): string;
  spans: FieldSpans | undefined;
}

/** A JSON object as a record. */
export function objectRecord(object: Readonly<Record<string, unknown>>): RawRecord {
  return { get: (column) => object[column] };
}

/** A lead row converted, or why not; with its id when it had one (its activities then say their lead was rejected). */
export type Converted = { ok: true; id: string; values: Value[] } | { ok: false; reason: string; id?: string };

export { FIRST_YEAR, LAST_YEAR };
/** The largest UTC offset in use is +14:00; anything over it is a typo, not a zone. */
const MAX_OFFSET_MINUTES = 14 * 60;

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const TRUE_WORDS = new Set(["true", "yes", "y", "1", "t"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", "f"]);

/** The number written by two ASCII digits at `i`, or NaN when either is not a digit. */
function twoDigits(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/** Whole numbers, the most common by far, are told apart without the regular expression. */
function allDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function isEmpty(raw: unknown): boolean {
  if (raw === undefined || raw === null) return true;
  if (typeof raw !== "string") return false;
  // Only a value that starts with white space can be all white space: most values need no trim.
  // White space is what trim() removes: below 33, U+00A0, and from U+1680 (the Unicode spaces,
  // line and paragraph separators, U+3000, U+FEFF).
  const first = raw.length === 0 ? 0 : raw.charCodeAt(0);
  return raw.length === 0 || (first <= 32 || first === 160 || first >= 0x1680 ? raw.trim() === "" : false);
}


/**
 * Reads timestamps into epoch milliseconds. One without an offset is read in the agreement's
 * zone and counted (SPEC §3); so is a bare date (local midnight).
 */
export class TimestampReader {
  naive = 0;
  private readonly midnights = new Map<number, number>();

  constructor(private readonly zone: Zone) {}

  /** Epoch ms, or undefined when the text is not a timestamp. */
  read(text: string): number | undefined {
    const fast = this.readCommon(text, 0, text.length);
    if (fast !== undefined) return fast;
    return this.readAny(text);
  }

  /**
   * The shapes CRM exports write most, in text[o, o + n): "2026-11-02 09:15",
   * "2026-11-02T09:15:00Z" and with an offset; undefined for anything else. Read digit by digit,
   * in place: a million rows of them should not cost a regular expression, or a string, each.
   * Every text it reads matches the lead schema's timestamp pattern.
   */
  readCommon(s: string, o: number, n: number): number | undefined {
    if (n !== 16 && n !== 19 && n !== 20 && n !== 25) return undefined;
    const sep = s.charCodeAt(o + 10);
    if (s.charCodeAt(o + 4) !== 45 || s.charCodeAt(o + 7) !== 45 || (sep !== 32 && sep !== 84) || s.charCodeAt(o + 13) !== 58) return undefined;
    // Each digit as a number; `>>> 0 > 9` is false only for "0"–"9" (a lower code turns huge).
    const y0 = s.charCodeAt(o) - 48;
    const y1 = s.charCodeAt(o + 1) - 48;
    const y2 = s.charCodeAt(o + 2) - 48;
    const y3 = s.charCodeAt(o + 3) - 48;
    const mo0 = s.charCodeAt(o + 5) - 48;
    const mo1 = s.charCodeAt(o + 6) - 48;
    const d0 = s.charCodeAt(o + 8) - 48;
    const d1 = s.charCodeAt(o + 9) - 48;
    const h0 = s.charCodeAt(o + 11) - 48;
    const h1 = s.charCodeAt(o + 12) - 48;
    const mi0 = s.charCodeAt(o + 14) - 48;
    const mi1 = s.charCodeAt(o + 15) - 48;
    if (
      y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9 || mo0 >>> 0 > 9 || mo1 >>> 0 > 9 ||
      d0 >>> 0 > 9 || d1 >>> 0 > 9 || h0 >>> 0 > 9 || h1 >>> 0 > 9 || mi0 >>> 0 > 9 || mi1 >>> 0 > 9
    ) {
      return undefined;
    }
    const hour = h0 * 10 + h1;
    const minute = mi0 * 10 + mi1;
    let second = 0;
    if (n >= 19) {
      if (s.charCodeAt(o + 16) !== 58) return undefined;
      second = twoDigits(s, o + 17);
    }
    const year = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
    if (year < FIRST_YEAR || year > LAST_YEAR) return undefined;
    const date = dayOfDate(year, mo0 * 10 + mo1, d0 * 10 + d1);
    // NaN (a non-digit, or no such date) fails every comparison.
    if (Number.isNaN(date) || !(hour <= 23 && minute <= 59 && second <= 59)) return undefined;
    const local = date * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000;
    if (n === 16 || n === 19) {
      this.naive++;
      return this.zone.utcOfLocal(local);
    }
    if (n === 20) return s.charCodeAt(o + 19) === 90 ? local : undefined;
    const sign = s.charCodeAt(o + 19);
    if ((sign !== 43 && sign !== 45) || s.charCodeAt(o + 22) !== 58) return undefined;
    const offsetMinutes = twoDigits(s, o + 23);
    const offset = twoDigits(s, o + 20) * 60 + offsetMinutes;
    if (!(offsetMinutes <= 59 && offset <= MAX_OFFSET_MINUTES)) return undefined;
    return local - (sign === 45 ? -1 : 1) * offset * MINUTE;
  }

  private readAny(text: string): number | undefined {
    const m = TIMESTAMP.exec(text.trim());
    if (!m) return undefined;
    const [, y, mo, d, h, mi, s, frac, offset] = m;
    const year = Number(y);
    const month = Number(mo);
    const day = Number(d);
    const hour = h === undefined ? 0 : Number(h);
    const minute = mi === undefined ? 0 : Number(mi);
    const second = s === undefined ? 0 : Number(s);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
    if (year < FIRST_YEAR || year > LAST_YEAR) return undefined;
    // Reject 2026-02-30 rather than rolling it into March.
    const dayNumber = dayOfDate(year, month, day);
    if (Number.isNaN(dayNumber)) return undefined;
    const millis = frac === undefined ? 0 : Math.round(Number(`0.${frac}`) * 1000);
    const local = dayNumber * 86_400_000 + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
    if (offset !== undefined) {
      if (offset === "Z" || offset === "z") return local;
      const sign = offset[0] === "-" ? -1 : 1;
      const digits = offset.slice(1).replace(":", "");
      const offsetMinutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
      const minutes = Number(digits.slice(0, 2)) * 60 + offsetMinutes;
      if (offsetMinutes > 59 || minutes > MAX_OFFSET_MINUTES) return undefined;
      return local - sign * minutes * MINUTE;
    }
    this.naive++;
    if (h === undefined) {
      let midnight = this.midnights.get(dayNumber);
      if (midnight === undefined) this.midnights.set(dayNumber, (midnight = this.zone.startOfDay(dayNumber)));
      return midnight;
    }
    return this.zone.utcOfLocal(local);
  }
}

/** Why a text that TimestampReader refused is not a time, in the words of a reject. */
export function whyNotTime(text: string, otherwise: string): string {
  const year = /^\s*([+-]?\d+)-/.exec(text);
  if (year && (Number(year[1]) < FIRST_YEAR || Number(year[1]) > LAST_YEAR)) {
    return `is outside the years ${FIRST_YEAR}–${LAST_YEAR} that a snapshot may hold (a CRM's "never" date? leave the cell empty)`;
  }
  const offset = /[T ][\d:.]+\s*[+-](\d{2}):?(\d{2})?\s*$/.exec(text);
  if (offset && (Number(offset[1]) * 60 + Number(offset[2] ?? 0) > MAX_OFFSET_MINUTES || Number(offset[2] ?? 0) > 59)) {
    return "has a UTC offset that does not exist (offsets run from -12:00 to +14:00)";
  }
  return otherwise;
}

/** What `normalise` returns for a value it cannot take; `normaliseError` then says why. */
const INVALID: unique symbol = Symbol("invalid");
let normaliseError = "";

function invalid(reason: string): typeof INVALID {
  normaliseError = reason;
  return INVALID;
}

/**
 * Normalises one raw value to its JSON form for the schema, or returns INVALID with the reason
 * in `normaliseError`. No object per value: it runs for every column of every row.
 */
function normalise(type: FieldTypeName, raw: unknown): unknown {
  if (isEmpty(raw)) return null;
  switch (type) {
    case "text":
      return typeof raw === "string" ? raw : typeof raw === "number" || typeof raw === "boolean" ? String(raw) : invalid(`${show(raw)} is not text`);
    case "number":
    case "money": {
      if (typeof raw === "number") return Number.isFinite(raw) ? raw : invalid(`${show(raw)} is not a number`);
      const text = typeof raw === "string" ? raw.trim() : undefined;
      if (text === undefined) return invalid(`'${show(raw)}' is not a number`);
      if (!allDigits(text) && !NUMBER.test(text)) return invalid(`'${show(raw)}' is not a number`);
      const n = Number(text);
      // 1e400 is a number to the pattern, and Infinity to JavaScript (JSON then writes it null).
      return Number.isFinite(n) ? n : invalid(`'${show(raw)}' is out of range: numbers go up to about 1.8e308`);
    }
    case "boolean": {
      if (typeof raw === "boolean") return raw;
      if (raw === "true") return true;
      if (raw === "false") return false;
      const word = String(raw).trim().toLowerCase();
      if (TRUE_WORDS.has(word)) return true;
      if (FALSE_WORDS.has(word)) return false;
      return invalid(`'${show(raw)}' is not true/false (use true, false, yes, no, 1 or 0)`);
    }
    case "time":
    case "date":
      return typeof raw === "string" ? raw.trim() : invalid(`${show(raw)} is not a date or time`);
  }
}

/**
 * One validator for a whole row as an array, [id, ...the fields' values], compiled from the
 * schema's own `properties`, when that is the same as checking the record: an object schema whose
 * only other rule is a required `id`, that allows extra columns and names every field's column.
 * Otherwise undefined, and rows are checked as records.
 */
function rowValidator(ajv: Ajv, schema: object, fields: readonly FieldPlan[], idColumn: string): ValidateFunction | undefined {
  const s = schema as { type?: unknown; required?: unknown; properties?: Record<string, object>; additionalProperties?: unknown };
  const known = new Set(["$schema", "$id", "title", "description", "type", "required", "properties", "additionalProperties"]);
  const onlyProperties =
    Object.keys(s).every((k) => known.has(k)) &&
    s.type === "object" &&
    JSON.stringify(s.required) === JSON.stringify([idColumn]) &&
    s.additionalProperties === true &&
    s.properties?.[idColumn] !== undefined &&
    fields.every((f) => s.properties?.[f.column] !== undefined);
  if (!onlyProperties) return undefined;
  const items = [s.properties![idColumn]!, ...fields.map((f) => s.properties![f.column]!)];
  return ajv.compile({ type: "array", prefixItems: items, minItems: items.length, items: false });
}

export interface LeadConverterOptions {
  fields: readonly FieldPlan[];
  schema: object;
  zone: Zone;
}

/**
 * Turns raw lead records into engine values: each column converted by its field's type and the
 * record checked against the lead JSON Schema (the one `smarketing-policy schema` prints).
 */
export class LeadConverter {
  readonly timestamps: TimestampReader;
  private readonly ajv: Ajv;
  private readonly schema: object;
  /** The whole-record check: compiled at the first row that fails, for its message. */
  private validateRecord: ValidateFunction | undefined;
  private readonly validateRow: ValidateFunction | undefined;
  /** The fields of the row being converted whose time or date text is read after the schema check. */
  private readonly lateTimes: Int32Array;
  private readonly fields: readonly FieldPlan[];
  /** By field: the reader of its `format`, compiled once; undefined for ISO times and plain numbers. */
  private readonly readers: ReadonlyArray<ColumnReader | undefined>;
  /** The lead id's column: `id`, or the column a field named `id` is read from (SPEC §8.2). */
  readonly idColumn: string;
  private readonly piiColumns: ReadonlySet<string>;

  constructor(options: LeadConverterOptions) {
    this.fields = options.fields;
    this.timestamps = new TimestampReader(options.zone);
    this.ajv = snapshotAjv();
    this.schema = options.schema;
    this.idColumn = leadIdColumnOf(this.fields);
    this.validateRow = rowValidator(this.ajv, options.schema, this.fields, this.idColumn);
    this.piiColumns = new Set(options.fields.filter((f) => f.pii).map((f) => f.column));
    this.lateTimes = new Int32Array(this.fields.length);
    this.readers = this.fields.map((f) => (f.format ? columnReader(f.format, options.zone, this.timestamps) : undefined));
  }

  private positionIndex: ReadonlyMap<string, number> | undefined;
  private positions: number[] = [];

  /** Each field's column position in this header (-1: the column is absent), resolved once per file. */
  private positionsFor(index: ReadonlyMap<string, number>): number[] {
    if (index !== this.positionIndex) {
      this.positionIndex = index;
      // The fields' columns, then the id's.
      this.positions = [...this.fields.map((f) => index.get(f.column) ?? -1), index.get(this.idColumn) ?? -1];
    }
    return this.positions;
  }

  /**
   * Checks the row against the lead schema: as one array when the schema allows (it does, as
   * generated), so no record object is made per row. A row that fails, or every row under
   * another schema, is checked as a record, and that check's errors make the message.
   */
  private schemaProblems(row: readonly unknown[]): string | undefined {
    if (this.validateRow?.(row)) return undefined;
    const record: Record<string, unknown> = { [this.idColumn]: row[0] };
    for (let k = 0; k < this.fields.length; k++) record[this.fields[k]!.column] = row[k + 1];
    // Without its $id: the shared Ajv would keep it under that name, and every policy's lead schema has the same one.
    const { $id: _, ...anonymous } = this.schema as { $id?: string };
    const validate = (this.validateRecord ??= this.ajv.compile(anonymous));
    if (validate(record)) return undefined;
    const reasons = (validate.errors ?? []).map((e) => {
      const column = decodeURIComponent(e.instancePath.slice(1).replace(/~1/g, "/").replace(/~0/g, "~"));
      const allowed = e.keyword === "enum" ? `: one of ${(e.params as { allowedValues: unknown[] }).allowedValues.filter((v) => v !== null).map((v) => JSON.stringify(v)).join(", ")}` : "";
      const what = e.keyword === "pattern" ? "is not a date/time (use ISO 8601, e.g. 2026-11-02T09:15:00Z)" : `${e.message ?? "is invalid"}${allowed}`;
      const found = this.piiColumns.has(column) ? "value hidden: personal" : `found ${show(record[column])}`;
      return `column '${column}' ${what} (${found})`;
    });
    return [...new Set(reasons)].join("; ");
  }

  convert(raw: RawRecord): Converted {
    const byPosition = raw.columns?.();
    const positions = byPosition ? this.positionsFor(byPosition.index) : undefined;
    const spans = byPosition?.spans;
    const rawId = positions ? (positions[this.fields.length] === -1 ? undefined : byPosition!.field(positions[this.fields.length]!)) : raw.get(this.idColumn);
    if (isEmpty(rawId)) return { ok: false, reason: `no lead id (the '${this.idColumn}' column is empty or missing)` };
    const id = idText(rawId);
    if (id === undefined) return { ok: false, reason: `the id ${show(rawId)} is not text or a number` };
    // [id, ...the fields' values] normalised for the schema check, and the values by slot. Each
    // value goes to both in the one pass; only a time or date in a less common shape waits for
    // the check before it is read. New arrays per row, not reused ones: a reused array ages into
    // the old generation, and then every value stored in it pays V8's write barrier. Measured
    // (callgrind, 100,000 leads): 4% more instructions with `values` reused, 2.6% more with `row`.
    const row: unknown[] = new Array<unknown>(this.fields.length + 1);
    row[0] = id;
    const values: Value[] = new Array<Value>(this.fields.length);
    const late = this.lateTimes;
    let lateCount = 0;
    let problems: string[] | undefined;
    const fields = this.fields;
    for (let k = 0; k < fields.length; k++) {
      const field = fields[k]!;
      const position = positions ? positions[k]! : -1;
      const reader = this.readers[k];
      if (reader !== undefined) {
        // Read once, by its format; the schema check then sees null, which every column allows.
        const v = spans && position !== -1 ? formattedInPlace(reader, spans, position) : formattedValue(reader, positions ? (position === -1 ? undefined : byPosition!.field(position)) : raw.get(field.column));
        if (v === INVALID) {
          (problems ??= []).push(field.pii ? `column '${field.column}': the value (hidden: personal) does not match ${reader.expected}` : `column '${field.column}': ${normaliseError}`);
          continue;
        }
        row[k + 1] = null;
        values[field.slot] = v;
        continue;
      }
      if (spans && position !== -1) {
        // Read in place what needs no string: empty values, whole numbers, true/false, common times.
        const start = spans.starts[position]!;
        const length = spans.ends[position]! - start;
        if (length === 0) {
          row[k + 1] = null;
          values[field.slot] = null;
          continue;
        }
        const fast = this.readInPlace(field.type, spans.text, start, length);
        if (fast !== undefined) {
          // A time's schema check sees null, which a time column allows, so that the pattern is
          // not run again on text that readCommon has shown it accepts.
          row[k + 1] = field.type === "time" ? null : fast;
          values[field.slot] = fast;
          continue;
        }
      }
      const value = positions ? (position === -1 ? undefined : byPosition!.field(position)) : raw.get(field.column);
      const n = normalise(field.type, value);
      if (n === INVALID) {
        (problems ??= []).push(field.pii ? `column '${field.column}': not a valid ${field.type} value (value hidden: personal)` : `column '${field.column}': ${normaliseError}`);
        continue;
      }
      row[k + 1] = n;
      if (n !== null && (field.type === "time" || field.type === "date")) late[lateCount++] = k;
      // A Value once the schema check below passes; a row that fails it is rejected, values and all.
      else values[field.slot] = n as Value;
    }
    if (problems) return { ok: false, reason: problems.join("; "), id };
    const rejected = this.schemaProblems(row);
    if (rejected) return { ok: false, reason: rejected, id };
    for (let i = 0; i < lateCount; i++) {
      const field = fields[late[i]!]!;
      const v = row[late[i]! + 1] as string;
      const ms = this.timestamps.read(v);
      if (ms === undefined) {
        return { ok: false, reason: `column '${field.column}': ${field.pii ? "the value" : `'${show(v)}'`} ${whyNotTime(v, "is not a real date/time")}`, id };
      }
      values[field.slot] = ms;
    }
    return { ok: true, id, values };
  }

  /**
   * A field's value read from text[start, start + length) without cutting it out, when it has
   * one of the common shapes: a whole number, true or false, a common timestamp (as epoch ms).
   * Undefined otherwise: the caller then reads it as a string, with every check and message.
   */
  private readInPlace(type: FieldTypeName, text: string, start: number, length: number): number | boolean | undefined {
    switch (type) {
      case "number":
      case "money": {
        if (length > 15) return undefined;
        let n = 0;
        for (let i = start; i < start + length; i++) {
          const d = text.charCodeAt(i) - 48;
          if (d < 0 || d > 9) return undefined;
          n = n * 10 + d;
        }
        return n;
      }
      case "boolean":
        if (length === 4 && text.startsWith("true", start)) return true;
        if (length === 5 && text.startsWith("false", start)) return false;
        return undefined;
      case "time":
        return this.timestamps.readCommon(text, start, length);
      default:
        return undefined;
    }
  }
}

export type ConvertedActivity = { ok: true; values: Value[] } | { ok: false; reason: string };

export interface ActivityConverterOptions {
  /**
   * The optional slots (type, owner, the `activity fields` block's others) to read; the others
   * are left null. A run reads what its touch filters name (activitySlotsRead): three million
   * owners nobody reads are not cut out.
   */
  slots?: readonly number[] | undefined;
  /** The activity fields, renamed and formatted by the policy (SPEC §8.2); by default the four as named. */
  fields?: readonly ActivityFieldPlan[] | undefined;
  /** The agreement's zone, for formatted times without an offset. */
  zone?: Zone | undefined;
}

/** Activities: lead_id and at are required; type, owner and the policy's other activity fields optional (SPEC §3, §8.2). */
export class ActivityConverter {
  private readonly fields: readonly ActivityFieldPlan[];
  /** The optional fields read, besides lead_id and at; and the slots left null. */
  private readonly optional: readonly ActivityFieldPlan[];
  private readonly unread: Int32Array;
  private readonly readers: ReadonlyArray<ColumnReader | undefined>;
  private readonly atReader: ColumnReader | undefined;
  private readonly atColumn: string;
  private readonly leadIdColumn: string;
  /** The columns a CSV header must have. */
  readonly requiredColumns: readonly string[];

  constructor(
    readonly timestamps: TimestampReader,
    options: ActivityConverterOptions = {},
  ) {
    this.fields = options.fields ?? DEFAULT_ACTIVITY_FIELDS;
    const required = new Set([ACTIVITY_SLOT.leadId, ACTIVITY_SLOT.at]);
    this.optional = this.fields.filter((f) => !required.has(f.slot) && (options.slots?.includes(f.slot) ?? true));
    this.unread = Int32Array.from(this.fields.filter((f) => !required.has(f.slot) && !this.optional.includes(f)), (f) => f.slot);
    const zone = options.zone;
    this.readers = this.fields.map((f) => (f.format && zone ? columnReader(f.format, zone, timestamps) : undefined));
    this.atReader = this.readers[ACTIVITY_SLOT.at];
    this.atColumn = this.fields[ACTIVITY_SLOT.at]!.column;
    this.leadIdColumn = this.fields[ACTIVITY_SLOT.leadId]!.column;
    this.requiredColumns = [this.leadIdColumn, this.atColumn];
  }

  private positionIndex: ReadonlyMap<string, number> | undefined;
  private positions: number[] = [];

  /** A CSV header's column position for a slot (-1: absent), resolved once per file. */
  private positionOf(row: PositionalRow, slot: number): number {
    if (row.index !== this.positionIndex) {
      this.positionIndex = row.index;
      this.positions = this.fields.map((f) => row.index.get(f.column) ?? -1);
    }
    return this.positions[slot]!;
  }

  /** One activity column's raw value. */
  private read(raw: RawRecord, slot: number): unknown {
    const byPosition = raw.columns?.();
    if (!byPosition) return raw.get(this.fields[slot]!.column);
    const position = this.positionOf(byPosition, slot);
    return position === -1 ? undefined : byPosition.field(position);
  }

  /** The 'at' column read in place from a fast-path row: by its format, or when it has a common ISO shape. */
  private atInPlace(raw: RawRecord): number | undefined {
    const byPosition = raw.columns?.();
    const spans = byPosition?.spans;
    if (!spans) return undefined;
    const position = this.positionOf(byPosition!, ACTIVITY_SLOT.at);
    if (position === -1) return undefined;
    const start = spans.starts[position]!;
    const length = spans.ends[position]! - start;
    return this.atReader ? this.atReader.read(spans.text, start, length) : this.timestamps.readCommon(spans.text, start, length);
  }

  /** The 'at' time from its text when atInPlace did not read it, or why not. */
  private atOf(raw: RawRecord): number | string {
    const column = this.atColumn;
    const at = this.read(raw, ACTIVITY_SLOT.at);
    if (isEmpty(at)) return `no time in the '${column}' column`;
    if (this.atReader) {
      const ms = typeof at === "string" ? this.atReader.read(at, 0, at.length) : this.atReader.readJson(at);
      return ms ?? `'${column}' '${show(at)}' does not match ${this.atReader.expected}`;
    }
    if (typeof at !== "string") return `'${column}' ${show(at)} is not a date/time`;
    return this.timestamps.read(at) ?? `'${column}' '${show(at)}' ${whyNotTime(at, "is not a date/time (use ISO 8601, e.g. 2026-11-02T09:15:00Z)")}`;
  }

  convert(raw: RawRecord): ConvertedActivity {
    const leadId = this.read(raw, ACTIVITY_SLOT.leadId);
    if (isEmpty(leadId)) return { ok: false, reason: `no ${this.leadIdColumn}` };
    if (idText(leadId) === undefined) return { ok: false, reason: `the ${this.leadIdColumn} ${show(leadId)} is not text or a number` };
    let ms = this.atInPlace(raw);
    if (ms === undefined) {
      const at = this.atOf(raw);
      if (typeof at === "string") return { ok: false, reason: at };
      ms = at;
    }
    const values = new Array<Value>(this.fields.length);
    values[ACTIVITY_SLOT.leadId] = optionalText(leadId);
    values[ACTIVITY_SLOT.at] = ms;
    for (let k = 0; k < this.unread.length; k++) values[this.unread[k]!] = null;
    for (let k = 0; k < this.optional.length; k++) {
      const field = this.optional[k]!;
      const v = field.type === "text" ? optionalText(this.read(raw, field.slot)) : this.optionalValue(field, this.read(raw, field.slot));
      if (v === INVALID) return { ok: false, reason: `column '${field.column}': ${normaliseError}` };
      values[field.slot] = v;
    }
    return { ok: true, values };
  }

  /** An optional field's value other than text: by its format or its type. */
  private optionalValue(field: ActivityFieldPlan, raw: unknown): Value | typeof INVALID {
    const reader = this.readers[field.slot];
    if (reader) return formattedValue(reader, raw);
    const n = normalise(field.type, raw);
    if (n === INVALID || n === null || (field.type !== "time" && field.type !== "date")) return n as Value | typeof INVALID;
    const text = n as string;
    return this.timestamps.read(text) ?? invalid(`'${show(text)}' ${whyNotTime(text, "is not a date/time (use ISO 8601, e.g. 2026-11-02T09:15:00Z)")}`);
  }
}

/** The lead id's column: `id`, or the column of a field named `id` (`id text from "Lead ID"`). */
export function leadIdColumnOf(fields: readonly FieldPlan[]): string {
  return fields.find((f) => f.name === "id")?.column ?? "id";
}

/** A formatted column's value from a fast-path row, read in place; cut out only for a reject's message. */
function formattedInPlace(reader: ColumnReader, spans: FieldSpans, position: number): number | null | typeof INVALID {
  const start = spans.starts[position]!;
  const length = spans.ends[position]! - start;
  if (length === 0) return null;
  const v = reader.read(spans.text, start, length);
  if (v !== undefined) return v;
  const text = spans.text.substring(start, start + length);
  return isEmpty(text) ? null : invalid(`'${show(text)}' does not match ${reader.expected}`);
}

/** A formatted column's value from a record: text read by the format, a JSON number as itself where the format allows. */
function formattedValue(reader: ColumnReader, raw: unknown): number | null | typeof INVALID {
  if (isEmpty(raw)) return null;
  const v = typeof raw === "string" ? reader.read(raw, 0, raw.length) : reader.readJson(raw);
  return v !== undefined ? v : invalid(`'${show(raw)}' does not match ${reader.expected}`);
}

/** An id as text: a string, or a number as JSON writes one. An object or list (JSON) is no id: String() made it "[object Object]". */
function idText(raw: unknown): string | undefined {
  if (typeof raw === "string") return raw.trim();
  if ((typeof raw === "number" && Number.isFinite(raw)) || typeof raw === "bigint") return String(raw);
  return undefined;
}

function optionalText(v: unknown): Value {
  return isEmpty(v) ? null : typeof v === "string" ? v.trim() : String(v);
}

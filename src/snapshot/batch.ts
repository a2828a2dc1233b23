import type { Value } from "../engine/ir.js";
import { DEFAULT_ACTIVITY_FIELDS, type ActivityFieldPlan } from "../lang/activity-fields.js";

/**
 * Converted rows in a form that crosses between threads cheaply: numbers and times in typed
 * arrays (moved, not copied), booleans as bytes, and text either as codes into a dictionary
 * that grows batch by batch (a column with few distinct values: stages, products, owners) or,
 * once a column has shown too many distinct values to be worth it (ids, emails), as one joined
 * string and the length of each value. A million short strings sent one by one would cost the
 * receiving thread more than converting them itself.
 */
export type ColumnKind = "number" | "boolean" | "text" | "absent";

type Column =
  | { kind: "number"; values: Float64Array }
  | { kind: "boolean"; values: Uint8Array }
  | { kind: "codes"; codes: Int32Array; added: string[] }
  | { kind: "joined"; text: string; lengths: Int32Array }
  | { kind: "absent" };

export interface Batch {
  rows: number;
  /** The line each row starts on. */
  lines: Int32Array;
  columns: Column[];
  /** Rows that could not be read or converted, with their lines (and a lead row's id, when it had one). */
  rejects: Array<{ line: number; reason: string; leadId?: string }>;
}

const NULL_BOOLEAN = 2;
const NUMBER = 0;
const BOOLEAN = 1;
const CODES = 2;
const JOINED = 3;
const ABSENT = 4;
const NULL_LENGTH = -1;
const SAME_AS_LAST = -2;
/** A text column whose dictionary outgrows this is sent as joined text from its next batch on. */
const DICTIONARY_LIMIT = 4096;
const FIRST_VALUES = 8;

/** The kind a value of this field type travels as. */
export function columnKindOf(type: string): ColumnKind {
  if (type === "boolean") return "boolean";
  if (type === "text") return "text";
  return "number";
}

/** An activity row's columns, in activity slot order. */
export function activityKinds(fields: readonly ActivityFieldPlan[] = DEFAULT_ACTIVITY_FIELDS): ColumnKind[] {
  return fields.map((f) => columnKindOf(f.type));
}

/** Builds batches on the converting side. */
export class BatchWriter {
  private lines: Int32Array;
  private rows = 0;
  private rejects: Batch["rejects"] = [];
  private numbers: Array<Float64Array | undefined>;
  private booleans: Array<Uint8Array | undefined>;
  /** Per text column: its dictionary, or null once it was given up for joined text. */
  private readonly dictionaries: Array<Map<string, number> | null>;
  private added: string[][];
  private codes: Array<Int32Array | undefined>;
  private texts: Array<Array<string | null>>;
  /** Each text column's first FIRST_VALUES dictionary values, by code. */
  private readonly firstValues: string[][];
  /** How each column travels in the batch being built: NUMBER, BOOLEAN, CODES or JOINED. */
  private encodings = new Uint8Array(0);

  constructor(
    private readonly kinds: readonly ColumnKind[],
    readonly capacity: number,
    /** Tests make it small, to give a dictionary up within a few rows. */
    private readonly dictionaryLimit = DICTIONARY_LIMIT,
  ) {
    this.dictionaries = kinds.map(() => new Map());
    this.firstValues = kinds.map(() => []);
    this.lines = new Int32Array(capacity);
    this.numbers = [];
    this.booleans = [];
    this.codes = [];
    this.added = [];
    this.texts = [];
    this.reset();
  }

  private reset(): void {
    this.rows = 0;
    this.rejects = [];
    this.lines = new Int32Array(this.capacity);
    this.numbers = this.kinds.map((k) => (k === "number" ? new Float64Array(this.capacity) : undefined));
    this.booleans = this.kinds.map((k) => (k === "boolean" ? new Uint8Array(this.capacity) : undefined));
    this.codes = this.kinds.map((k, c) => (k === "text" && this.dictionaries[c] ? new Int32Array(this.capacity) : undefined));
    this.encodings = Uint8Array.from(this.kinds, (k, c) => (k === "number" ? NUMBER : k === "boolean" ? BOOLEAN : k === "absent" ? ABSENT : this.dictionaries[c] ? CODES : JOINED));
    this.added = this.kinds.map(() => []);
    this.texts = this.kinds.map(() => []);
  }

  get full(): boolean {
    return this.rows === this.capacity || this.rejects.length >= this.capacity;
  }

  get empty(): boolean {
    return this.rows === 0 && this.rejects.length === 0;
  }

  reject(line: number, reason: string, leadId?: string): void {
    this.rejects.push(leadId === undefined ? { line, reason } : { line, reason, leadId });
  }

  /** Adds a converted row: values[c] of the kind kinds[c] (numbers, booleans, strings) or null. */
  add(line: number, values: readonly Value[]): void {
    const r = this.rows++;
    this.lines[r] = line;
    for (let c = 0; c < this.kinds.length; c++) {
      const v = values[c] ?? null;
      switch (this.encodings[c]) {
        case NUMBER:
          this.numbers[c]![r] = v === null ? NaN : (v as number);
          break;
        case BOOLEAN:
          this.booleans[c]![r] = v === null ? NULL_BOOLEAN : v ? 1 : 0;
          break;
        case CODES: {
          if (v === null) {
            this.codes[c]![r] = -1;
            break;
          }
          this.codes[c]![r] = this.codeOf(c, v as string);
          break;
        }
        case ABSENT:
          break;
        default:
          this.texts[c]!.push(v as string | null);
      }
    }
  }

  /**
   * The value's code in column c's dictionary, added when new. The first few values are found
   * by comparing strings, which is faster than hashing a freshly cut one: most coded columns
   * (stages, countries, activity types) have no more than that.
   */
  private codeOf(c: number, value: string): number {
    const first = this.firstValues[c]!;
    for (let i = 0; i < first.length; i++) if (first[i] === value) return i;
    const dictionary = this.dictionaries[c]!;
    let code = dictionary.get(value);
    if (code === undefined) {
      code = dictionary.size;
      dictionary.set(value, code);
      if (code < FIRST_VALUES) first.push(value);
      this.added[c]!.push(value);
    }
    return code;
  }

  /** The batch so far, and the buffers to move with it; the writer starts a new one. */
  take(): { batch: Batch; transfer: ArrayBuffer[] } {
    const rows = this.rows;
    const transfer: ArrayBuffer[] = [this.lines.buffer as ArrayBuffer];
    const columns: Column[] = this.kinds.map((kind, c) => {
      if (kind === "absent") return { kind: "absent" };
      const numbers = this.numbers[c];
      if (numbers) {
        transfer.push(numbers.buffer as ArrayBuffer);
        return { kind: "number", values: numbers };
      }
      const booleans = this.booleans[c];
      if (booleans) {
        transfer.push(booleans.buffer as ArrayBuffer);
        return { kind: "boolean", values: booleans };
      }
      const codes = this.codes[c];
      if (codes) {
        transfer.push(codes.buffer as ArrayBuffer);
        // Too many distinct values to be worth a dictionary: joined text from the next batch on.
        if (this.dictionaries[c]!.size > this.dictionaryLimit) this.dictionaries[c] = null;
        return { kind: "codes", codes, added: this.added[c]! };
      }
      return joined(this.texts[c]!, rows, transfer);
    });
    const batch: Batch = { rows, lines: this.lines, columns, rejects: this.rejects };
    this.reset();
    return { batch, transfer };
  }
}

/**
 * Strings end to end, each with its length (NULL_LENGTH for null, SAME_AS_LAST for the row
 * before's value again: an activity's lead id mostly is, and then the reading side neither cuts
 * a string nor compares one).
 */
function joined(values: ReadonlyArray<string | null>, rows: number, transfer: ArrayBuffer[]): Column {
  const lengths = new Int32Array(rows);
  const parts: string[] = [];
  let last: string | null = null;
  for (let r = 0; r < rows; r++) {
    const v = values[r]!;
    if (v === null) {
      lengths[r] = NULL_LENGTH;
      continue;
    }
    if (v === last) {
      lengths[r] = SAME_AS_LAST;
      continue;
    }
    lengths[r] = v.length;
    parts.push(v);
    last = v;
  }
  transfer.push(lengths.buffer as ArrayBuffer);
  return { kind: "joined", text: parts.join(""), lengths };
}

/** Reads batches on the evaluating side; keeps each text column's dictionary across batches. */
export class BatchReader {
  private readonly dictionaries: string[][];
  /** One values array per row of a batch, reused from batch to batch. */
  private rows: Value[][] = [];

  constructor(private readonly width: number) {
    this.dictionaries = Array.from({ length: width }, () => []);
  }

  /**
   * Decodes a batch into value arrays reused from batch to batch (read them before the next
   * call): rows[r], for r below batch.rows, is the row on line batch.lines[r]. The caller loops
   * over the rows, so that its call per row always has the same target, and each kind of column
   * is decoded by its own function: V8 optimises each alone, and a kind first met late in a run
   * (joined text, after the first batches' dictionaries) recompiles that small function only,
   * not one holding every kind and the call per row (measured with --trace-opt). An "absent"
   * column is left as it is: null, since a reader is only ever given one layout of batches.
   */
  decode(batch: Batch): ReadonlyArray<readonly Value[]> {
    const n = batch.rows;
    const rows = this.rows;
    while (rows.length < n) rows.push(new Array<Value>(this.width).fill(null));
    for (let c = 0; c < this.width; c++) {
      const column = batch.columns[c]!;
      switch (column.kind) {
        case "number":
          decodeNumbers(column.values, rows, c, n);
          break;
        case "boolean":
          decodeBooleans(column.values, rows, c, n);
          break;
        case "codes": {
          const dictionary = this.dictionaries[c]!;
          for (const s of column.added) dictionary.push(s);
          decodeCodes(column.codes, dictionary, rows, c, n);
          break;
        }
        case "joined":
          // A column sent as joined text no longer needs its dictionary.
          this.dictionaries[c] = [];
          decodeJoined(column.text, column.lengths, rows, c, n);
          break;
        case "absent":
          break;
      }
    }
    return rows;
  }
}

function decodeNumbers(values: Float64Array, rows: Value[][], c: number, n: number): void {
  for (let r = 0; r < n; r++) {
    const v = values[r]!;
    rows[r]![c] = v === v ? v : null;
  }
}

function decodeBooleans(values: Uint8Array, rows: Value[][], c: number, n: number): void {
  for (let r = 0; r < n; r++) {
    const b = values[r]!;
    rows[r]![c] = b === NULL_BOOLEAN ? null : b === 1;
  }
}

function decodeCodes(codes: Int32Array, dictionary: readonly string[], rows: Value[][], c: number, n: number): void {
  for (let r = 0; r < n; r++) {
    const code = codes[r]!;
    rows[r]![c] = code === -1 ? null : dictionary[code]!;
  }
}

function decodeJoined(text: string, lengths: Int32Array, rows: Value[][], c: number, n: number): void {
  let at = 0;
  let last: string | null = null;
  for (let r = 0; r < n; r++) {
    const length = lengths[r]!;
    if (length === NULL_LENGTH) {
      rows[r]![c] = null;
      continue;
    }
    if (length === SAME_AS_LAST) {
      rows[r]![c] = last;
      continue;
    }
    last = text.substring(at, at + length);
    rows[r]![c] = last;
    at += length;
  }
}

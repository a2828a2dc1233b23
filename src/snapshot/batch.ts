import type { Value } from "../engine/ir.js";

/**
 * Converted rows in a form that crosses between threads cheaply: numbers and times in typed
 * arrays (moved, not copied), booleans as bytes, and text either as codes into a dictionary
 * that grows batch by batch (a column with few distinct values: stages, products, owners) or,
 * once a column has shown too many distinct values to be worth it (ids, emails), as one joined
 * string and the length of each value. A million short strings sent one by one would cost the
 * receiving thread more than converting them itself.
 */
export type ColumnKind = "number" | "boolean" | "text";

type Column =
  | { kind: "number"; values: Float64Array }
  | { kind: "boolean"; values: Uint8Array }
  | { kind: "codes"; codes: Int32Array; added: string[] }
  | { kind: "joined"; text: string; lengths: Int32Array };

export interface Batch {
  rows: number;
  /** The line each row starts on. */
  lines: Int32Array;
  columns: Column[];
  /** Rows that could not be read or converted, with their lines. */
  rejects: Array<{ line: number; reason: string }>;
}

const NULL_BOOLEAN = 2;
const NULL_LENGTH = -1;
/** A text column whose dictionary outgrows this is sent as joined text from its next batch on. */
const DICTIONARY_LIMIT = 4096;

/** The kind a value of this field type travels as. */
export function columnKindOf(type: string): ColumnKind {
  if (type === "boolean") return "boolean";
  if (type === "text") return "text";
  return "number";
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

  constructor(
    private readonly kinds: readonly ColumnKind[],
    readonly capacity: number,
  ) {
    this.dictionaries = kinds.map(() => new Map());
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
    this.added = this.kinds.map(() => []);
    this.texts = this.kinds.map(() => []);
  }

  get full(): boolean {
    return this.rows === this.capacity || this.rejects.length >= this.capacity;
  }

  get empty(): boolean {
    return this.rows === 0 && this.rejects.length === 0;
  }

  reject(line: number, reason: string): void {
    this.rejects.push({ line, reason });
  }

  /** Adds a converted row: values[c] of the kind kinds[c] (numbers, booleans, strings) or null. */
  add(line: number, values: readonly Value[]): void {
    const r = this.rows++;
    this.lines[r] = line;
    for (let c = 0; c < this.kinds.length; c++) {
      const v = values[c] ?? null;
      const numbers = this.numbers[c];
      if (numbers) {
        numbers[r] = v === null ? NaN : (v as number);
        continue;
      }
      const booleans = this.booleans[c];
      if (booleans) {
        booleans[r] = v === null ? NULL_BOOLEAN : v ? 1 : 0;
        continue;
      }
      const codes = this.codes[c];
      if (codes) {
        if (v === null) {
          codes[r] = -1;
          continue;
        }
        const dictionary = this.dictionaries[c]!;
        let code = dictionary.get(v as string);
        if (code === undefined) {
          code = dictionary.size;
          dictionary.set(v as string, code);
          this.added[c]!.push(v as string);
        }
        codes[r] = code;
        continue;
      }
      this.texts[c]!.push(v as string | null);
    }
  }

  /** The batch so far, and the buffers to move with it; the writer starts a new one. */
  take(): { batch: Batch; transfer: ArrayBuffer[] } {
    const rows = this.rows;
    const transfer: ArrayBuffer[] = [this.lines.buffer as ArrayBuffer];
    const columns: Column[] = this.kinds.map((_, c) => {
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
        if (this.dictionaries[c]!.size > DICTIONARY_LIMIT) this.dictionaries[c] = null;
        return { kind: "codes", codes, added: this.added[c]! };
      }
      return joined(this.texts[c]!, rows, transfer);
    });
    const batch: Batch = { rows, lines: this.lines, columns, rejects: this.rejects };
    this.reset();
    return { batch, transfer };
  }
}

/** Strings end to end, each with its length (NULL_LENGTH for null). */
function joined(values: ReadonlyArray<string | null>, rows: number, transfer: ArrayBuffer[]): Column {
  const lengths = new Int32Array(rows);
  const parts: string[] = [];
  for (let r = 0; r < rows; r++) {
    const v = values[r]!;
    if (v === null) {
      lengths[r] = NULL_LENGTH;
      continue;
    }
    lengths[r] = v.length;
    parts.push(v);
  }
  transfer.push(lengths.buffer as ArrayBuffer);
  return { kind: "joined", text: parts.join(""), lengths };
}

/** Reads batches on the evaluating side; keeps each text column's dictionary across batches. */
export class BatchReader {
  private readonly dictionaries: string[][];

  constructor(width: number) {
    this.dictionaries = Array.from({ length: width }, () => []);
  }

  /**
   * Calls `onRow` with each row's line and values. The values array is reused from row to row:
   * read it before the next call.
   */
  forEachRow(batch: Batch, onRow: (line: number, values: readonly Value[]) => void): void {
    const width = batch.columns.length;
    const values = new Array<Value>(width).fill(null);
    const offsets = new Int32Array(width);
    for (let c = 0; c < width; c++) {
      const column = batch.columns[c]!;
      if (column.kind === "codes") for (const s of column.added) this.dictionaries[c]!.push(s);
      // A column sent as joined text no longer needs its dictionary.
      else if (column.kind === "joined") this.dictionaries[c] = [];
    }
    for (let r = 0; r < batch.rows; r++) {
      for (let c = 0; c < width; c++) {
        const column = batch.columns[c]!;
        switch (column.kind) {
          case "number": {
            const n = column.values[r]!;
            values[c] = n === n ? n : null;
            break;
          }
          case "boolean": {
            const b = column.values[r]!;
            values[c] = b === NULL_BOOLEAN ? null : b === 1;
            break;
          }
          case "codes": {
            const code = column.codes[r]!;
            values[c] = code === -1 ? null : this.dictionaries[c]![code]!;
            break;
          }
          case "joined": {
            const length = column.lengths[r]!;
            if (length === NULL_LENGTH) {
              values[c] = null;
              break;
            }
            const start = offsets[c]!;
            values[c] = column.text.substring(start, start + length);
            offsets[c] = start + length;
            break;
          }
        }
      }
      onRow(batch.lines[r]!, values);
    }
  }
}

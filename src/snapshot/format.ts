import type { RawRecord } from "./convert.js";

export type Format = "csv" | "ndjson" | "json";

export interface DataFile {
  kind: "leads" | "activities";
  /** As shown to the user (relative to where they ran the tool). */
  file: string;
  absolute: string;
  format: Format;
  bytes: number;
}

/**
 * A row and the line it starts on. A CSV row's record is a view that the next row reuses:
 * read what you need from it before asking for the next row.
 */
export type RowEvent = { line: number; record: RawRecord } | { line: number; error: string };

/** Part of a CSV file, from a row boundary to another (see splitPoints). */
export interface ByteRange {
  start: number;
  /** Exclusive; Infinity: to the end of the file. */
  end: number;
  /** The line its first row starts on; 1 when not given (the reader's caller then adds the lines before). */
  firstLine?: number | undefined;
}

export interface ReadOptions {
  /** Called with the bytes read since the last call, for progress. */
  onBytes?: ((n: number) => void) | undefined;
  /** CSV: how much is read at a time; tests make it small to put rows across chunk boundaries. */
  chunkBytes?: number | undefined;
  /** CSV: false sends every chunk through papaparse; tests compare the two. */
  quoteFreeFastPath?: boolean | undefined;
  /** CSV: read only this part of the file. */
  range?: ByteRange | undefined;
  /** CSV: the columns the header must have; by default `id` for leads, `lead_id` and `at` for activities (mapped by the policy's fields). */
  required?: readonly string[] | undefined;
}

/** Where reading stopped: the line the next row would have started on. */
export interface ReadEnd {
  nextLine: number;
}

/**
 * One file format of a snapshot folder: how its rows are read, about how many there are, and
 * where it may be cut into parts that are read apart (on two threads). One module per format:
 * csv.ts, ndjson.ts, json.ts; Parquet is read by DuckDB instead (duckdb-source.ts).
 */
export interface FileFormat {
  /**
   * Calls `onRow` for every row of the file (or of `options.range`), with the line it starts
   * on. Synchronous per row: a promise per row would cost more than parsing it. The event and
   * its record may be reused for the next row: copy what you keep.
   */
  rows(file: DataFile, onRow: (row: RowEvent) => void, options: ReadOptions): Promise<ReadEnd>;
  /** About how many rows the file holds, read from its first bytes; 0 when that says nothing. */
  estimate(file: DataFile): number;
  /**
   * Where to cut the file at these shares of its bytes, at row boundaries, ascending; [] when it
   * cannot be cut. A CSV cut after a quote character may fall inside a quoted field: such cuts
   * are dropped, unless `quotes` is "unchecked", when whoever reads from a cut checks first
   * (breaksAndQuoteBefore) and reads the file whole if a quote came before it.
   */
  split(file: DataFile, shares: readonly number[], quotes?: "checked" | "unchecked"): number[];
}

import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";
import { createRequire } from "node:module";
import type PapaModule from "papaparse";

// Required, not imported: Node 20 scans a CommonJS module imported from an ES module for its
// export names, on each thread; on the second thread of a million-lead run that scan (of ajv and
// papaparse) took about 85 ms of CPU (perf, bench/README.md).
const Papa = createRequire(import.meta.url)("papaparse") as typeof PapaModule;
import { show, type FieldSpans, type PositionalRow, type RawRecord } from "./convert.js";
import { SnapshotError } from "./error.js";
import type { DataFile, FileFormat, ReadEnd, ReadOptions, RowEvent } from "./format.js";
import { estimateFromLines, forEachBlock, headText, lineBreaks, lineBreaksBefore, NOT_UTF8, notUtf8, occurrences, sniffNewline } from "./text.js";

/**
 * One CSV row seen through its header, reused from row to row: no object per row. A row from
 * the quote-free fast path is a set of positions in the chunk's text (`spans`): numbers and
 * times are read straight from it, and only the values kept as text are cut out.
 */
class CsvRecord implements RawRecord, PositionalRow {
  fields: readonly string[] = [];
  spans: FieldSpans | undefined;
  constructor(readonly index: ReadonlyMap<string, number>) {}
  get(column: string): unknown {
    const i = this.index.get(column);
    return i === undefined ? undefined : this.field(i);
  }
  field(i: number): string {
    const spans = this.spans;
    return spans ? spans.text.substring(spans.starts[i]!, spans.ends[i]!) : this.fields[i]!;
  }
  /** Position-based access, for a converter that resolved its columns once per header. */
  columns(): PositionalRow {
    return this;
  }
}

const REQUIRED_COLUMNS: Readonly<Record<DataFile["kind"], readonly string[]>> = { leads: ["id"], activities: ["lead_id", "at"] };

/** `,` or `;`, whichever separates the header line's fields (outside quotes). */
export function sniffDelimiter(firstLine: string): "," | ";" {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const c of firstLine) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ",") commas++;
    else if (!quoted && c === ";") semicolons++;
  }
  return semicolons > commas ? ";" : ",";
}

interface PapaResult {
  data: string[][];
  errors: Array<{ code: string; row?: number }>;
  meta: { cursor: number };
}
type PapaParser = new (config: object) => { parse(input: string, baseIndex: number, ignoreLastRow: boolean): PapaResult };
/** papaparse's incremental parser: the one its own streaming uses, driven here chunk by chunk. */
const IncrementalParser = (Papa as unknown as { Parser: PapaParser }).Parser;

/** The longest CSV row (and so field) read, in characters; docs/snapshots.md states it. */
export const MAX_ROW_CHARACTERS = 4 * 1024 * 1024;

/**
 * 64 KiB at a time: a chunk's parsed rows live until the chunk is done, and in larger chunks
 * they outlive a young-generation collection and linger in the old generation (bench/README.md).
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * RFC 4180 CSV with a header row: quotes, embedded newlines, `""`, CRLF, a BOM; `,` or `;`.
 * papaparse for what the quote-free fast path below does not handle: the fastest of the parsers
 * that account for every row (bench/README.md). Each chunk is parsed up to its last complete row; the rest
 * waits for the next chunk, so memory stays flat whatever the file size.
 */
async function csvForEach(file: DataFile, onRow: (row: RowEvent) => void, options: ReadOptions): Promise<ReadEnd> {
  const { onBytes, chunkBytes = CHUNK_BYTES, quoteFreeFastPath = true, range } = options;
  const head = headText(file.absolute, "utf8").replace(/^\uFEFF/, "");
  const reader = new CsvReader(file, onRow, head, quoteFreeFastPath, range?.firstLine ?? 1, options.required ?? REQUIRED_COLUMNS[file.kind]);
  // A part that starts inside the file takes its header from the file's first row.
  if (range && range.start > 0) reader.headerFrom(head);
  // Read synchronously: a command has nothing else to do meanwhile, and a stream's hop to the
  // thread pool per chunk cost more waiting than reading (bench/README.md).
  const fd = openSync(file.absolute, "r");
  try {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    const decoder = new StringDecoder("utf8");
    let position = range?.start ?? 0;
    const end = range?.end ?? Infinity;
    const next = () => (position < end ? readSync(fd, buffer, 0, Math.min(chunkBytes, end - position), position) : 0);
    for (let bytes = next(); bytes > 0; bytes = next()) {
      position += bytes;
      onBytes?.(bytes);
      const chunk = decoder.write(buffer.subarray(0, bytes));
      if (notUtf8(chunk, buffer.subarray(0, bytes))) reader.notUtf8(chunk);
      reader.take(chunk);
    }
    reader.take(decoder.end(), true);
  } finally {
    closeSync(fd);
  }
  return reader.finish();
}

/** The rows of one CSV file (or part of one), from its text chunk by chunk. */
class CsvReader {
  private readonly delimiter: "," | ";";
  private readonly newline: "\r\n" | "\n" | "\r";
  private readonly parser: InstanceType<PapaParser>;
  private header: string[] | undefined;
  private view: CsvRecord | undefined;
  /** One event object, like the view: the callback reads it before the next row. */
  private readonly event: { line: number; record: RawRecord } = { line: 0, record: { get: () => undefined } };
  /** The next row's line. A part that starts inside the file numbers its rows from 1 too, unless told its first line. */
  private line: number;
  /**
   * The text read but not yet made into rows: the start of an unfinished row, then the chunks
   * read since (`waiting`, joined only when looked at).
   */
  private partial = "";
  private waiting: string[] = [];
  private waitingLength = 0;
  /**
   * An unfinished row is looked at again only once the text has doubled since a look that found
   * no row end: each look reads it whole, so looking per chunk would make a long row quadratic;
   * doubling keeps the reading linear (test/robust/linearity.test.ts).
   */
  private lookAgainAt = 0;
  /**
   * The fast path's row, reused: where each field starts and ends in the chunk's text.
   * Made for the header's width when it is read (setHeader): its arrays are never replaced, so
   * V8's code for the rows sees one kind of object (replacing them recompiles it per part).
   */
  private spans: FieldSpans = { text: "", starts: new Int32Array(0), ends: new Int32Array(0) };

  constructor(
    private readonly file: DataFile,
    private readonly onRow: (row: RowEvent) => void,
    head: string,
    private readonly fastPath: boolean,
    firstLine: number,
    private readonly required: readonly string[],
  ) {
    this.delimiter = sniffDelimiter(head.split(/\r\n|\r|\n/)[0] ?? "");
    this.newline = sniffNewline(head);
    this.parser = new IncrementalParser({ delimiter: this.delimiter, newline: this.newline, skipEmptyLines: false });
    this.line = firstLine;
  }

  headerFrom(head: string): void {
    this.setHeader(this.parser.parse(head, 0, true).data[0] ?? []);
  }

  notUtf8(chunk: string): never {
    const text = this.partial + this.waiting.join("") + chunk;
    throw new SnapshotError(NOT_UTF8, this.file.file, this.line + lineBreaksBefore(text, text.indexOf("\uFFFD")));
  }

  finish(): ReadEnd {
    if (this.partial !== "") this.emit(this.parser.parse(this.partial, 0, false));
    if (!this.header) throw new SnapshotError("is empty: a CSV file needs a header row", this.file.file, 1);
    return { nextLine: this.line };
  }

  private setHeader(record: readonly string[]): void {
    const file = this.file;
    const names = record.map((h, k) => (k === 0 ? h.replace(/^\uFEFF/, "") : h).trim());
    const seen = new Set<string>();
    for (const h of names) {
      if (seen.has(h)) throw new SnapshotError(`column '${show(h)}' appears twice in the header`, file.file, 1);
      seen.add(h);
    }
    // Without these columns every row would be rejected for the same reason: say it once.
    for (const column of this.required) {
      if (!seen.has(column)) {
        const shown = names.slice(0, 8).map((h) => `'${show(h)}'`).join(", ") + (names.length > 8 ? ", …" : "");
        throw new SnapshotError(`has no '${column}' column, which a ${file.kind} file needs (its header has ${shown})`, file.file, 1);
      }
    }
    this.header = names;
    this.spans = { text: "", starts: new Int32Array(names.length), ends: new Int32Array(names.length) };
    this.view = new CsvRecord(new Map(names.map((h, k) => [h, k])));
    this.event.record = this.view;
  }

  /**
   * `breaks`, when given: every row in `result` ended with a line break, and the text they came
   * from holds that many. When the two numbers agree, no field holds a line break and rows are on
   * consecutive lines; only otherwise are the fields searched for breaks.
   */
  private emit(result: PapaResult, breaks?: number): void {
    const unclosed = new Set(result.errors.filter((e) => e.code === "MissingQuotes").map((e) => e.row));
    const oneLineEach = breaks === result.data.length;
    for (let i = 0; i < result.data.length; i++) {
      const record = result.data[i]!;
      const start = this.line;
      this.line += 1;
      if (!oneLineEach) for (const field of record) if (field.includes("\n") || field.includes("\r")) this.line += lineBreaks(field);
      const header = this.header;
      if (!header) {
        this.setHeader(record);
        continue;
      }
      if (unclosed.has(i)) {
        this.onRow({ line: start, error: "has a quoted field that is never closed (a '\"' is missing)" });
        continue;
      }
      if (record.length === 1 && record[0] === "" && header.length > 1) continue; // a blank line
      if (record.length !== header.length) {
        this.onRow({ line: start, error: `has ${record.length} fields but the header has ${header.length}` });
        continue;
      }
      this.view!.fields = record;
      this.view!.spans = undefined;
      this.event.line = start;
      this.onRow(this.event);
    }
  }

  /**
   * Rows of text[0, end) when that text holds no quote character: then RFC 4180 has nothing to
   * undo, a row ends at each line break and a field at each delimiter, so the rows are found
   * with indexOf and given as positions in the text, with no array or string per row or field.
   * This is papaparse's own fast mode for quote-free input (it splits on the line break, then
   * on the delimiter) without its allocations; the property test in test/snapshot/csv-lines.test.ts
   * holds the two to the same rows, errors and lines.
   */
  private fastRows(text: string, end: number): void {
    const { delimiter, newline, spans, event, onRow } = this;
    const columns = this.header!.length;
    const { starts, ends } = spans;
    spans.text = text;
    this.view!.spans = spans;
    // As in emit(): rows are on consecutive lines when the text has as many breaks as rows. It
    // does unless a field holds a break other than the file's own; look for one before counting.
    const other = newline === "\n" ? text.indexOf("\r") : newline === "\r" ? text.indexOf("\n") : 0;
    const oneLineEach = other === -1 || other >= end || lineBreaksBefore(text, end) === occurrences(text, newline, end);
    for (let start = 0; start < end; ) {
      const rowEnd = text.indexOf(newline, start);
      const row = this.line;
      this.line += 1;
      if (!oneLineEach) this.line += lineBreaks(text.substring(start, rowEnd));
      let n = 0;
      for (let from = start; ; ) {
        const cut = text.indexOf(delimiter, from);
        const fieldEnd = cut === -1 || cut >= rowEnd ? rowEnd : cut;
        if (n < columns) {
          starts[n] = from;
          ends[n] = fieldEnd;
        }
        n++;
        if (fieldEnd === rowEnd) break;
        from = cut + 1;
      }
      start = rowEnd + newline.length;
      if (n === 1 && ends[0] === starts[0] && columns > 1) continue; // a blank line
      if (n !== columns) {
        onRow({ line: row, error: `has ${n} fields but the header has ${columns}` });
        continue;
      }
      event.line = row;
      onRow(event);
    }
  }

  take(chunk: string, last = false): void {
    this.waiting.push(chunk);
    this.waitingLength += chunk.length;
    if (!last && this.partial.length + this.waitingLength < this.lookAgainAt) return;
    const text = this.partial + (this.waiting.length === 1 ? this.waiting[0]! : this.waiting.join(""));
    this.waiting = [];
    this.waitingLength = 0;
    this.rows(text);
    // Past the cap a row is a broken file, not CRM data: say so rather than read on.
    if (this.partial.length > MAX_ROW_CHARACTERS) {
      throw new SnapshotError(
        `a row longer than ${MAX_ROW_CHARACTERS / 1024 / 1024} MiB starts on this line: a field is at most that long (when the file is not cut, a '"' that is never closed makes the rest of the file one field)`,
        this.file.file,
        this.line,
      );
    }
    this.lookAgainAt = this.partial.length === text.length ? Math.min(2 * text.length, MAX_ROW_CHARACTERS + 1) : 0;
  }

  /** Rows of `text` up to its last complete one; what is left becomes `partial`. */
  private rows(text: string): void {
    if (this.header && this.fastPath) {
      const last = text.lastIndexOf(this.newline);
      const end = last === -1 ? 0 : last + this.newline.length;
      const quote = text.indexOf('"');
      if (quote === -1 || quote >= end) {
        this.fastRows(text, end);
        // The next rows may come from papaparse, as strings. Done here, not at the end of
        // fastRows: V8 compiles fastRows' loop while it first runs (on-stack replacement) and
        // reuses that code for every later chunk, and code after the loop compiled before it
        // ever ran then bailed out at the end of every chunk (400 times at a million leads).
        this.view!.spans = undefined;
        this.partial = text.substring(end);
        return;
      }
    }
    const result = this.parser.parse(text, 0, true);
    this.partial = text.substring(result.meta.cursor);
    // Every row parsed here ended with a line break: the unfinished last one waits in `partial`.
    this.emit(result, lineBreaksBefore(text, result.meta.cursor));
  }
}

/**
 * What is read at a time to find the line break after a cut: several rows. A MiB at each of the
 * 32 cuts of two threads' rounds took 10-30 ms of the main thread's start (bench/README.md).
 */
export const CUT_BLOCK_BYTES = 16 * 1024;

/**
 * Where to cut a CSV file into parts for two threads: for each share, the start of the first row
 * at or after that share of its bytes, ascending. A cut is kept only if no quote character comes
 * before it (a quoted field may hold line breaks, so a break after a quote may be inside one):
 * the cuts before a file's first quote, none in a file that starts with one. Each cut costs a
 * read of CUT_BLOCK_BYTES or so; the quote check reads the file up to the last cut ("unchecked":
 * left to the reader of the part, see FileFormat.split).
 */
export function splitPoints(file: DataFile, shares: readonly number[], quotes: "checked" | "unchecked" = "checked"): number[] {
  // The file's own line break: in a CRLF file a lone "\n" is part of a field, not a row's end.
  const newline = Buffer.from(sniffNewline(headText(file.absolute, "latin1")), "latin1");
  const cuts: number[] = [];
  for (const share of shares) {
    // The cut: just after the first line break at or after the target.
    const target = Math.floor(file.bytes * share);
    // Within the row the last cut started: no cut of its own.
    if (target < (cuts.at(-1) ?? 0)) continue;
    let cut: number | undefined;
    let crEnded = false;
    forEachBlock(file.absolute, target, Infinity, (block, position) => {
      // A CRLF cut in two by the blocks: its "\r" ended the last one.
      if (crEnded && newline.length === 2 && block[0] === 0x0a) cut = position + 1;
      else {
        const at = block.indexOf(newline);
        if (at >= 0) cut = position + at + newline.length;
      }
      crEnded = block[block.length - 1] === 0x0d;
      return cut === undefined;
    }, CUT_BLOCK_BYTES);
    if (cut === undefined || cut >= file.bytes) break;
    cuts.push(cut);
  }
  if (quotes === "unchecked") return cuts;
  let firstQuote = Infinity;
  forEachBlock(file.absolute, 0, cuts.at(-1) ?? 0, (block, position) => {
    const at = block.indexOf(0x22);
    if (at >= 0) firstQuote = position + at;
    return at < 0;
  });
  return cuts.filter((cut) => cut <= firstQuote);
}

/** RFC 4180 CSV with a header row; cut for two threads before its first quote character. */
export const CSV: FileFormat = {
  rows: csvForEach,
  estimate: estimateFromLines,
  split: splitPoints,
};

import type { Value } from "../engine/ir.js";
import type { RowSink } from "../engine/source.js";
import type { DataFile } from "./format.js";

/** Called with bytes and rows read of a file so far, for a progress bar. */
export type OnProgress = (file: DataFile, bytesSoFar: number, rowsSoFar: number) => void;

/** Bytes and rows read of each file, for a progress bar; in between only when a bar is shown. */
export class ProgressSink implements RowSink {
  private readonly bytesSoFar = new Map<DataFile, number>();
  private readonly rows = { leads: 0, activities: 0 };

  constructor(
    private readonly report: OnProgress,
    private readonly sink: RowSink,
  ) {}

  bytes(file: DataFile, n: number): void {
    const total = (this.bytesSoFar.get(file) ?? 0) + n;
    this.bytesSoFar.set(file, total);
    this.report(file, total, this.rows[file.kind]);
  }

  lead(line: number, id: string, values: readonly Value[], definitions?: readonly boolean[]): boolean {
    this.rows.leads++;
    return this.sink.lead(line, id, values, definitions);
  }

  activity(line: number, values: readonly Value[]): boolean {
    this.rows.activities++;
    return this.sink.activity(line, values);
  }

  reject(kind: DataFile["kind"], line: number, reason: string, leadId?: string): void {
    this.rows[kind]++;
    this.sink.reject(kind, line, reason, leadId);
  }
}

/** `sink` with a progress bar looking on when there is one, and where the bytes read go. */
export function withProgress(sink: RowSink, onProgress: OnProgress | undefined): { into: RowSink; onBytes: ((file: DataFile, n: number) => void) | undefined } {
  if (!onProgress) return { into: sink, onBytes: undefined };
  const progress = new ProgressSink(onProgress, sink);
  return { into: progress, onBytes: (file, n) => progress.bytes(file, n) };
}

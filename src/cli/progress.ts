import path from "node:path";
import type { DataFile } from "../snapshot/read.js";
import type { CliIO } from "./io.js";
import { visible } from "../report/escape.js";

/** Files smaller than this are read before a bar would be seen. */
const PROGRESS_FROM_BYTES = 20 * 1024 * 1024;
const WIDTH = 30;

export interface ProgressState {
  name: string;
  bytes: number;
  totalBytes: number;
  rows: number;
  elapsedMs: number;
}

const count = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** "12 s", "3 min 5 s", "1 h 2 min": time left, as long-running CLIs print it. */
export function durationWords(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 === 0 ? `${minutes} min` : `${minutes} min ${seconds % 60} s`;
  return minutes % 60 === 0 ? `${minutes / 60} h` : `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/**
 * One progress line: the bar, the share read, rows per second and the time left. Rate and time
 * left appear once a second has passed: before that the estimate swings too much to be useful.
 * Time left assumes the rest of the file reads at the pace so far (bytes, not rows: a file's
 * row count is not known until it is read).
 */
export function progressLine(p: ProgressState): string {
  const share = p.totalBytes > 0 ? Math.min(1, p.bytes / p.totalBytes) : 1;
  const done = Math.round(share * WIDTH);
  const bar = `${p.name} [${"#".repeat(done)}${".".repeat(WIDTH - done)}] ${Math.floor(share * 100)}%`;
  if (p.elapsedMs < 1000 || p.bytes === 0) return bar;
  const perSecond = (p.rows / p.elapsedMs) * 1000;
  const left = (p.elapsedMs * (p.totalBytes - p.bytes)) / p.bytes;
  return `${bar} · ${count.format(perSecond)} rows/s · ${durationWords(left)} left`;
}

/** A progress line on stderr for large inputs on a terminal; silent otherwise. `now` is injectable for tests. */
export function progressBar(io: CliIO, now: () => number = Date.now): ((file: DataFile, bytes: number, rows: number) => void) | undefined {
  if (!io.stderrIsTTY) return undefined;
  let last = 0;
  const started = new Map<DataFile, number>();
  return (file, bytes, rows) => {
    if (file.bytes < PROGRESS_FROM_BYTES) return;
    const t = now();
    if (!started.has(file)) started.set(file, t);
    if (t - last < 200 && bytes < file.bytes) return;
    last = t;
    const line = progressLine({ name: visible(path.basename(file.file)), bytes, totalBytes: file.bytes, rows, elapsedMs: t - started.get(file)! });
    io.stderr(`\r${line}\x1b[K`);
    if (bytes >= file.bytes) io.stderr("\r\x1b[K");
  };
}

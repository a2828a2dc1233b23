import { closeSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import type { Reject } from "../engine/result.js";
import { REJECTS_CSV_HEADER, rejectCsvLine } from "../report/rejects-csv.js";
import { UsageError } from "./exit-codes.js";
import { asGiven, makeFolder } from "./paths.js";
import { describeFsError } from "./policy-loader.js";

/** Written in pieces of about this many characters: a million rejects are not held, nor written one by one. */
const FLUSH_AT = 1 << 16;

/**
 * `eval --rejects FILE`: every row not used (rejects, duplicate lead ids, unmatched activities)
 * streamed to a CSV file as the run meets it, so the report can keep only the first 1,000.
 * Opened before the run, so that a path that cannot be written fails in a second.
 */
export class RejectsFile {
  readonly name: string;
  private readonly fd: number;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(cwd: string, file: string, private readonly showPii: boolean) {
    this.name = asGiven(file);
    const target = path.resolve(cwd, file);
    try {
      makeFolder(path.dirname(target));
      this.fd = openSync(target, "w");
    } catch (error) {
      throw new UsageError(`--rejects: cannot write '${this.name}': ${describeFsError(error)}`);
    }
    this.pending.push(REJECTS_CSV_HEADER);
  }

  readonly write = (row: Reject): void => {
    const line = rejectCsvLine(row, this.showPii);
    this.pending.push(line);
    this.pendingLength += line.length;
    if (this.pendingLength >= FLUSH_AT) this.flush();
  };

  flush(): void {
    if (this.pending.length === 0) return;
    const text = this.pending.join("");
    this.pending = [];
    this.pendingLength = 0;
    try {
      writeSync(this.fd, text);
    } catch (error) {
      throw new UsageError(`--rejects: cannot write '${this.name}': ${describeFsError(error)}`);
    }
  }

  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

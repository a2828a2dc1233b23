import { closeSync, openSync, writeSync } from "node:fs";
import path from "node:path";
import type { Reject } from "../engine/result.js";
import { REJECTS_CSV_HEADER, rejectCsvLine } from "../report/rejects-csv.js";
import { UsageError } from "./exit-codes.js";
import { asGiven, makeFolder } from "./paths.js";
import { describeFsError } from "./policy-loader.js";

/**
 * Lines are encoded into one buffer of this many bytes, written when full: a million rejects are
 * neither held nor written one by one, and no line outlives its row. (Lines kept as strings until
 * a write survived the young generation's collections, and 3M unmatched activities grew the old
 * one by some 60 MiB of them: issue 15.)
 */
const BUFFER_BYTES = 1 << 16;

/**
 * `eval --rejects FILE`: every row not used (rejects, duplicate lead ids, unmatched activities)
 * streamed to a CSV file as the run meets it, so the report can keep only the first 1,000.
 * Opened before the run, so that a path that cannot be written fails in a second.
 */
export class RejectsFile {
  readonly name: string;
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(BUFFER_BYTES);
  private used = 0;

  constructor(cwd: string, file: string, private readonly showPii: boolean) {
    this.name = asGiven(file);
    const target = path.resolve(cwd, file);
    try {
      makeFolder(path.dirname(target));
      this.fd = openSync(target, "w");
    } catch (error) {
      throw new UsageError(`--rejects: cannot write '${this.name}': ${describeFsError(error)}`);
    }
    this.add(REJECTS_CSV_HEADER);
  }

  readonly write = (row: Reject): void => {
    this.add(rejectCsvLine(row, this.showPii));
  };

  private add(line: string): void {
    // A UTF-8 character takes at most 3 bytes per UTF-16 unit.
    if (this.used + line.length * 3 > BUFFER_BYTES) this.flush();
    if (line.length * 3 > BUFFER_BYTES) this.writeOut(Buffer.from(line, "utf8"));
    else this.used += this.buffer.write(line, this.used, "utf8");
  }

  flush(): void {
    if (this.used === 0) return;
    this.writeOut(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  private writeOut(bytes: Buffer): void {
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done);
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

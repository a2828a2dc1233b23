import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { objectRecord } from "./convert.js";
import { SnapshotError } from "./error.js";
import type { DataFile, FileFormat, ReadEnd, RowEvent } from "./format.js";
import { estimateFromLines, jsonProblem, NOT_UTF8 } from "./text.js";

async function ndjsonForEach(file: DataFile, onRow: (row: RowEvent) => void, onBytes?: (n: number) => void): Promise<ReadEnd> {
  const stream = createReadStream(file.absolute, { encoding: "utf8" });
  if (onBytes) stream.on("data", (chunk) => onBytes(Buffer.byteLength(chunk as string)));
  let line = 0;
  for await (const text of createInterface({ input: stream, crlfDelay: Infinity })) {
    line++;
    const trimmed = (line === 1 ? text.replace(/^\uFEFF/, "") : text).trim();
    if (trimmed === "") continue;
    // The stream decodes for readline, so the bytes are gone: U+FFFD is taken as a sign of them.
    if (trimmed.includes("\uFFFD")) {
      stream.destroy();
      throw new SnapshotError(NOT_UTF8, file.file, line);
    }
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      onRow({ line, error: `is not valid JSON (${jsonProblem(error)})` });
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) onRow({ line, error: "is not a JSON object" });
    else onRow({ line, record: objectRecord(value as Record<string, unknown>) });
  }
  return { nextLine: line + 1 };
}

/** One JSON object a line. Read whole on one thread: not cut (a worker would need its own line count first). */
export const NDJSON: FileFormat = {
  rows: (file, onRow, options) => ndjsonForEach(file, onRow, options.onBytes),
  estimate: estimateFromLines,
  split: () => [],
};

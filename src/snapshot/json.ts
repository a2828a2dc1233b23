import { readFile } from "node:fs/promises";
import { objectRecord } from "./convert.js";
import { SnapshotError } from "./error.js";
import type { DataFile, FileFormat, ReadEnd, RowEvent } from "./format.js";
import { headText, jsonProblem, lineBreaks, lineBreaksBefore, NOT_UTF8, notUtf8 } from "./text.js";

/** Line on which each element of a top-level JSON array starts. */
export function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectingElement = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\n") line++;
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectingElement && !/\s/.test(c) && c !== "]") {
      lines.push(line);
      expectingElement = false;
    }
    if (c === '"') inString = true;
    else if (c === "[" || c === "{") {
      depth++;
      if (depth === 1 && c === "[") expectingElement = true;
    } else if (c === "]" || c === "}") depth--;
    else if (c === "," && depth === 1) expectingElement = true;
  }
  return lines;
}

async function jsonForEach(file: DataFile, onRow: (row: RowEvent) => void): Promise<ReadEnd> {
  const bytes = await readFile(file.absolute);
  const text = bytes.toString("utf8").replace(/^\uFEFF/, "");
  if (notUtf8(text, bytes)) throw new SnapshotError(NOT_UTF8, file.file, lineBreaksBefore(text, text.indexOf("\uFFFD")) + 1);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(`is not valid JSON: ${jsonProblem(error)}`, file.file);
  }
  if (!Array.isArray(value)) throw new SnapshotError("must hold a JSON array of records", file.file, 1);
  const lines = arrayElementLines(text);
  for (let i = 0; i < value.length; i++) {
    const item: unknown = value[i];
    const line = lines[i] ?? 1;
    if (item === null || typeof item !== "object" || Array.isArray(item)) onRow({ line, error: "is not a JSON object" });
    else onRow({ line, record: objectRecord(item as Record<string, unknown>) });
  }
  return { nextLine: lineBreaks(text) + 2 };
}

/**
 * About how many records the array holds, from those that start in its first 64 KiB; 0 when
 * none does (one record larger than that, or not an array).
 */
function estimateElements(file: DataFile): number {
  const head = headText(file.absolute, "latin1");
  const elements = arrayElementLines(head).length;
  return elements === 0 ? 0 : Math.ceil((file.bytes * elements) / head.length);
}

/** One JSON array of records, parsed whole (JSON.parse): neither streamed nor cut. */
export const JSON_ARRAY: FileFormat = {
  rows: (file, onRow) => jsonForEach(file, onRow),
  estimate: estimateElements,
  split: () => [],
};

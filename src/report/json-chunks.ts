import { isPlainObject } from "./masked-data.js";

/**
 * `JSON.stringify(value, null, 2)` in pieces of about CHUNK characters, the same text to the byte:
 * a report of a million leads is written without first being one string of its whole size (and
 * the copies made joining and encoding it), which was most of the JSON report's peak memory
 * (issue 15). Objects and arrays are opened down to MAX_DEPTH; below it, and for anything JSON
 * gives special treatment (toJSON, objects not plain), JSON.stringify writes the piece.
 */
const CHUNK = 1 << 16;
const MAX_DEPTH = 12;

export function* jsonChunks(value: unknown): Generator<string> {
  let buffer = "";
  for (const piece of pieces(value, "", 0)) {
    buffer += piece;
    if (buffer.length >= CHUNK) {
      yield buffer;
      buffer = "";
    }
  }
  yield `${buffer}\n`;
}

function* pieces(value: unknown, indent: string, depth: number): Generator<string> {
  if (depth < MAX_DEPTH && typeof value === "object" && value !== null) {
    if (Array.isArray(value) && value.length > 0) return yield* arrayPieces(value, indent, depth);
    const entries = isPlainObject(value) ? Object.entries(value).filter(([, v]) => isWritten(v)) : [];
    if (entries.length > 0) return yield* objectPieces(entries, indent, depth);
  }
  const text = JSON.stringify(value, null, 2);
  yield indent === "" ? text : text.replaceAll("\n", `\n${indent}`);
}

function* arrayPieces(array: readonly unknown[], indent: string, depth: number): Generator<string> {
  const inner = `${indent}  `;
  for (let i = 0; i < array.length; i++) {
    yield i === 0 ? `[\n${inner}` : `,\n${inner}`;
    const item = array[i];
    // As JSON.stringify: what an object would leave out is null in an array.
    if (isWritten(item)) yield* pieces(item, inner, depth + 1);
    else yield "null";
  }
  yield `\n${indent}]`;
}

function* objectPieces(entries: ReadonlyArray<[string, unknown]>, indent: string, depth: number): Generator<string> {
  const inner = `${indent}  `;
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i]!;
    yield `${i === 0 ? "{" : ","}\n${inner}${JSON.stringify(key)}: `;
    yield* pieces(item, inner, depth + 1);
  }
  yield `\n${indent}}`;
}

/** Whether JSON.stringify writes this value as an object's property (it leaves these out). */
function isWritten(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

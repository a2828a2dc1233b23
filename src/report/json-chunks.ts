import { isPlainObject } from "./masked-data.js";

/**
 * `JSON.stringify(value, null, 2)` in pieces of about CHUNK characters, the same text to the byte:
 * a report of a million leads is written without first being one string of its whole size (and
 * the copies made joining and encoding it), which was most of the JSON report's peak memory
 * (issue 15). Large objects and arrays are opened down to MAX_DEPTH; small ones, those below
 * it, and anything JSON gives special treatment (toJSON, objects not plain) JSON.stringify
 * writes as one piece, and a run of small items in an array as one piece too.
 */
const CHUNK = 1 << 16;
const MAX_DEPTH = 12;
/**
 * Objects and arrays of fewer values than this (counting nested ones) are written by one
 * JSON.stringify, not opened: opening each of a million leads' report's 200,000 small objects
 * in generators took 700 ms, against 40 ms for the whole text at once (bench/README.md).
 */
const OPEN_FROM = 512;

/** `openFrom`: the size from which a container is opened (tests use 0: every one). */
export function* jsonChunks(value: unknown, openFrom = OPEN_FROM): Generator<string> {
  let buffer = "";
  for (const piece of pieces(value, "", 0, openFrom)) {
    // Passed on before it would outgrow CHUNK: a run of small items is a piece of several KiB.
    if (buffer.length > 0 && buffer.length + piece.length > CHUNK) {
      yield buffer;
      buffer = "";
    }
    buffer += piece;
  }
  yield `${buffer}\n`;
}

function* pieces(value: unknown, indent: string, depth: number, openFrom: number): Generator<string> {
  if (depth < MAX_DEPTH && typeof value === "object" && value !== null && sizeUpTo(value, openFrom) >= openFrom) {
    if (Array.isArray(value) && value.length > 0) return yield* arrayPieces(value, indent, depth, openFrom);
    const entries = isPlainObject(value) ? Object.entries(value).filter(([, v]) => isWritten(v)) : [];
    if (entries.length > 0) return yield* objectPieces(entries, indent, depth, openFrom);
  }
  const text = JSON.stringify(value, null, 2);
  yield indent === "" ? text : text.replaceAll("\n", `\n${indent}`);
}

function* arrayPieces(array: readonly unknown[], indent: string, depth: number, openFrom: number): Generator<string> {
  const inner = `${indent}  `;
  for (let i = 0; i < array.length; ) {
    yield i === 0 ? `[\n${inner}` : `,\n${inner}`;
    const first = sizeUpTo(array[i], openFrom);
    if (opens(array[i], first, openFrom)) {
      yield* pieces(array[i], inner, depth + 1, openFrom);
      i++;
      continue;
    }
    // A run of small items, up to about openFrom values, by one JSON.stringify; each item sized once.
    let end = i + 1;
    for (let size = first; end < array.length && size < openFrom; end++) {
      const next = sizeUpTo(array[end], openFrom);
      if (opens(array[end], next, openFrom)) break;
      size += next;
    }
    yield runText(array, i, end, indent);
    i = end;
  }
  yield `\n${indent}]`;
}

/** Whether arrayPieces opens this item (of sizeUpTo `size`) rather than write it in a run: written by JSON as a value, and large. */
function opens(item: unknown, size: number, openFrom: number): boolean {
  return isWritten(item) && size >= openFrom;
}

/**
 * Items from..to of an array as arrayPieces writes them, the separators between them included:
 * JSON.stringify of the slice ("[\n  A,\n  B\n]", which writes what an object would leave out
 * as null, as the whole array's would) without its brackets, its lines at `indent`. The slice is
 * written nested in as many arrays as `indent` has levels, so JSON indents it there itself: moving
 * every line afterwards (replaceAll) went over the whole text again, most of a large report.
 */
function runText(array: readonly unknown[], from: number, to: number, indent: string): string {
  const levels = indent.length / 2;
  let wrapped: unknown = array.slice(from, to);
  for (let k = 0; k < levels; k++) wrapped = [wrapped];
  const text = JSON.stringify(wrapped, null, 2);
  // Level j (0 = outermost, the slice is level `levels`) opens with its indent, "[" and "\n", and
  // closes with "\n", its indent and "]": 2j + 2 characters each; the first item has 2 more of indent.
  let brackets = 0;
  for (let j = 0; j <= levels; j++) brackets += 2 * j + 2;
  return text.slice(brackets + indent.length + 2, text.length - brackets);
}

function* objectPieces(entries: ReadonlyArray<[string, unknown]>, indent: string, depth: number, openFrom: number): Generator<string> {
  const inner = `${indent}  `;
  for (let i = 0; i < entries.length; i++) {
    const [key, item] = entries[i]!;
    yield `${i === 0 ? "{" : ","}\n${inner}${JSON.stringify(key)}: `;
    yield* pieces(item, inner, depth + 1, openFrom);
  }
  yield `\n${indent}}`;
}

/** Whether JSON.stringify writes this value as an object's property (it leaves these out). */
function isWritten(value: unknown): boolean {
  return value !== undefined && typeof value !== "function" && typeof value !== "symbol";
}

/**
 * How many values a value holds, itself and those in its arrays and plain objects counted, or
 * `n` if at least that many: it stops counting there, so asking costs at most n steps.
 * Iterative: data may nest deeper than the stack.
 */
function sizeUpTo(value: unknown, n: number): number {
  const stack: unknown[] = [value];
  let seen = 0;
  while (stack.length > 0 && seen < n) {
    seen++;
    const v = stack.pop();
    if (typeof v !== "object" || v === null) continue;
    if (Array.isArray(v)) for (let i = 0; i < v.length && stack.length < n; i++) stack.push(v[i]);
    else if (isPlainObject(v)) for (const key in v) if (Object.hasOwn(v, key) && stack.length < n) stack.push(v[key]);
  }
  return seen;
}

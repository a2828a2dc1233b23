/**
 * Every string of JSON-like data passed through `mask`, with the result
 * `JSON.parse(JSON.stringify(value))` with masked strings would give, but sharing every object
 * and array in which nothing changed. A report of a million leads (its JSON about 14 MB) has
 * usually no e-mail-like text at all, and copying it to mask it cost its size again at the
 * report's peak memory (issue 15).
 *
 * Data that a JSON round trip would alter (undefined, functions, NaN, -0, holes, Dates and other
 * objects that are not plain, nesting deeper than MAX_DEPTH) is left to that round trip, so the
 * result never depends on which way was taken.
 */
const MAX_DEPTH = 64;
const NOT_PLAIN: unique symbol = Symbol("not plain JSON data");
type Walked = unknown;

export function maskedData<T>(value: T, mask: (text: string) => string): T {
  const walked = walk(value, mask, 0);
  if (walked !== NOT_PLAIN) return walked as T;
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => (typeof v === "string" ? mask(v) : v)) as T;
}

function walk(value: unknown, mask: (text: string) => string, depth: number): Walked {
  switch (typeof value) {
    case "string":
      return mask(value);
    case "boolean":
      return value;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0) ? value : NOT_PLAIN;
    case "object":
      if (value === null) return null;
      if (depth >= MAX_DEPTH) return NOT_PLAIN;
      if (Array.isArray(value)) return walkArray(value, mask, depth);
      return isPlainObject(value) ? walkObject(value, mask, depth) : NOT_PLAIN;
    default:
      return NOT_PLAIN;
  }
}

function walkArray(array: readonly unknown[], mask: (text: string) => string, depth: number): Walked {
  let copy: unknown[] | undefined;
  for (let i = 0; i < array.length; i++) {
    if (!(i in array)) return NOT_PLAIN;
    const item = array[i];
    const walked = walk(item, mask, depth + 1);
    if (walked === NOT_PLAIN) return NOT_PLAIN;
    if (copy === undefined && walked !== item) copy = array.slice(0, i);
    copy?.push(walked);
  }
  return copy ?? array;
}

function walkObject(object: Record<string, unknown>, mask: (text: string) => string, depth: number): Walked {
  let copy: Record<string, unknown> | undefined;
  for (const key of Object.keys(object)) {
    const item = object[key];
    const walked = walk(item, mask, depth + 1);
    if (walked === NOT_PLAIN) return NOT_PLAIN;
    if (walked !== item) (copy ??= { ...object })[key] = walked;
  }
  return copy ?? object;
}

/** An object JSON writes as its own properties: no class, no toJSON. */
export function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype && !("toJSON" in value);
}

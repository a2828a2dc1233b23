import { existsSync, mkdirSync } from "node:fs";
import path from "node:path";

/**
 * A path as the user gave it, tidied (`./a//b/` → `a/b`), with forward slashes: messages name
 * files the way the user typed them, not as `../../work/…` relative to the working folder.
 */
export function asGiven(given: string): string {
  const tidy = path.normalize(given).split(path.sep).join("/");
  return tidy.length > 1 ? tidy.replace(/\/+$/, "") : tidy || ".";
}

/** A file found under a folder the user named, shown under that name. */
export function shownUnder(given: string, givenAbsolute: string, file: string): string {
  const inside = path.relative(givenAbsolute, file).split(path.sep).join("/");
  const base = asGiven(given);
  return inside === "" ? base : base === "." ? inside : path.posix.join(base, inside);
}

/**
 * Makes a folder and its missing parents, one level at a time. Node's `mkdir(…, { recursive })`
 * never returns under a file system that refuses new folders with ENOENT, such as /proc (it
 * spins at full CPU); here each level fails with its own error instead.
 */
export function makeFolder(dir: string): void {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!existsSync(at)) {
    missing.push(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing.reverse()) mkdirSync(folder);
}

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

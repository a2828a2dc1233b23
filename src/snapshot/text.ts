import { closeSync, openSync, readSync } from "node:fs";
import type { DataFile } from "./format.js";

// What every text format shares: line breaks, UTF-8 checks, reading a file's head and blocks.

/** The line ending the file uses, from its first line. */
export function sniffNewline(head: string): "\r\n" | "\n" | "\r" {
  const lf = head.indexOf("\n");
  if (lf > 0 && head[lf - 1] === "\r") return "\r\n";
  if (lf >= 0) return "\n";
  return head.includes("\r") ? "\r" : "\n";
}

/** How many times `needle` occurs in text[0, end). indexOf scans far faster than a loop over characters. */
export function occurrences(text: string, needle: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0 && i < end; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}

/** Line breaks in text[0, end): "\n", "\r\n" and a lone "\r" each count as one. */
export function lineBreaksBefore(text: string, end: number): number {
  const lf = occurrences(text, "\n", end);
  const cr = occurrences(text, "\r", end);
  return cr === 0 ? lf : lf + cr - occurrences(text, "\r\n", end);
}

export function lineBreaks(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c === 13) {
      n++;
      if (text.charCodeAt(i + 1) === 10) i++;
    }
  }
  return n;
}

/**
 * Said when a file's bytes are not UTF-8: read as UTF-8 anyway, "Düsseldorf" in Latin-1 became
 * "D�sseldorf" without a word. The line is given, never its content (it may be personal).
 */
export const NOT_UTF8 =
  "has bytes that are not UTF-8 text on this line (an export in Latin-1 or Windows-1252?): export or save the file as UTF-8 (in Excel: 'CSV UTF-8')";

const REPLACEMENT_BYTES = Buffer.from("\uFFFD", "utf8");

/**
 * Whether decoding `bytes` replaced something that was not UTF-8. The decoder writes U+FFFD for
 * each invalid sequence (one cut at the chunk's end waits for the next chunk instead); a file
 * that holds U+FFFD itself, already mangled upstream, is let through.
 */
export function notUtf8(decoded: string, bytes: Buffer): boolean {
  return decoded.includes("\uFFFD") && bytes.indexOf(REPLACEMENT_BYTES) === -1;
}

/**
 * Calls `onBlock` with the file's bytes from `start` to `end` (Infinity: to its end), a MiB (or
 * `blockBytes`) at a time and with each block's position, until the bytes run out or it returns
 * false. The block is reused: read it before returning.
 */
export function forEachBlock(absolute: string, start: number, end: number, onBlock: (block: Buffer, position: number) => boolean | void, blockBytes = 1024 * 1024): void {
  const fd = openSync(absolute, "r");
  try {
    const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(blockBytes, end - start)));
    for (let position = start; position < end; ) {
      const bytes = readSync(fd, buffer, 0, Math.min(buffer.length, end - position), position);
      if (bytes <= 0 || onBlock(buffer.subarray(0, bytes), position) === false) return;
      position += bytes;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The file's first 64 KiB as text: enough to sniff its delimiter and line break, read its
 * header or count its rows (Latin-1 there: a byte a character, as the counts need).
 */
export function headText(absolute: string, encoding: "utf8" | "latin1"): string {
  let head = "";
  forEachBlock(absolute, 0, 64 * 1024, (block) => {
    head = block.toString(encoding);
  });
  return head;
}

/** Line breaks in the file's first `end` bytes, counted as the reader counts them ("\r\n" is one). */
export function lineBreaksIn(file: DataFile, end: number): number {
  return breaksAndQuoteBefore(file, end).breaks;
}

/**
 * lineBreaksIn, and whether a quote character comes in the same bytes, in one read: a CSV part
 * cut without the quote check ("unchecked" cuts) may be read apart only if none does.
 */
export function breaksAndQuoteBefore(file: DataFile, end: number): { breaks: number; quoteBefore: boolean } {
  let breaks = 0;
  let quoteBefore = false;
  let crEnded = false;
  forEachBlock(file.absolute, 0, end, (block) => {
    for (let at = block.indexOf(0x0a); at >= 0; at = block.indexOf(0x0a, at + 1)) if (!(at === 0 ? crEnded : block[at - 1] === 0x0d)) breaks++;
    for (let at = block.indexOf(0x0d); at >= 0; at = block.indexOf(0x0d, at + 1)) breaks++;
    crEnded = block[block.length - 1] === 0x0d;
    if (block.indexOf(0x22) >= 0) quoteBefore = true;
  });
  return { breaks, quoteBefore };
}

/**
 * JSON.parse's complaint without the piece of the text V8 quotes in it (`"root:x:0:0"... is not
 * valid JSON`): that piece may be personal, and the line already says where to look.
 */
export function jsonProblem(error: unknown): string {
  return (error as Error).message.replace(/,\s*(\.\.\.)?".*"(\.\.\.)?\s+is not valid JSON$/s, "");
}

/**
 * About how many rows a file of one row a line holds, from the line breaks in its first 64 KiB;
 * 0 when there is none there.
 */
export function estimateFromLines(file: DataFile): number {
  const head = headText(file.absolute, "latin1");
  const breaks = lineBreaks(head);
  return breaks === 0 ? 0 : Math.ceil((file.bytes * breaks) / head.length);
}

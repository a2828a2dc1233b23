import { closeSync, openSync, readSync } from "node:fs";
import { StringDecoder } from "node:string_decoder";

/**
 * Calls `onLine` with each line of a file (without its "\n"), read as `eval` reads: synchronous
 * 64 KiB reads, no promise or iterator per line. `onLine` returns false to stop early.
 * The plainest fast way to read lines in Node, so the floor is not slowed by how it reads.
 */
export function forEachLine(file: string, onLine: (line: string) => boolean | void): void {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(64 * 1024);
    const decoder = new StringDecoder("utf8");
    let rest = "";
    for (let bytes = readSync(fd, buffer, 0, buffer.length, null); bytes > 0; bytes = readSync(fd, buffer, 0, buffer.length, null)) {
      const text = rest + decoder.write(buffer.subarray(0, bytes));
      let start = 0;
      for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
        if (onLine(text.slice(start, nl)) === false) return;
        start = nl + 1;
      }
      rest = text.slice(start);
    }
    rest += decoder.end();
    if (rest !== "") onLine(rest);
  } finally {
    closeSync(fd);
  }
}

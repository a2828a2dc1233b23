import { writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { forEachRow, type DataFile } from "../../src/snapshot/read.js";
import { tempDir } from "../helpers.js";

/** A field as a CRM might write it: plain, or quoted with commas, quotes, line breaks and non-ASCII letters inside. */
const field = fc.oneof(
  fc.stringMatching(/^[a-z0-9 ]{0,6}$/),
  // "é" and "😀" take two and four bytes: small chunks cut them in half.
  fc.array(fc.constantFrom("a", ",", '"', "\n", "\r\n", "\r", " ", "é", "😀"), { maxLength: 6 }).map((parts) => parts.join("")),
);

// size "max": fast-check's default size keeps arrays to about ten items whatever maxLength says.
const rowsOf = (width: number) => fc.array(fc.array(field, { minLength: width, maxLength: width }), { minLength: 1, maxLength: 40, size: "max" });

function quote(value: string): string {
  return /[",\r\n]/.test(value) || value === "" ? `"${value.replace(/"/g, '""')}"` : value;
}

function breaksIn(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

describe("CSV rows across chunk boundaries", () => {
  it("every row keeps its fields and the line it starts on, whatever the chunk size (even inside a character) and line ends", async () => {
    const { dir, cleanup } = await tempDir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(rowsOf(3), fc.constantFrom("\n", "\r\n"), fc.integer({ min: 1, max: 64 }), async (rows, newline, chunkBytes) => {
        const header = ["id", "b", "c"];
        let text = header.join(",") + newline;
        const expected: Array<{ line: number; fields: string[] }> = [];
        let line = 2;
        for (const row of rows) {
          const written = row.map(quote).join(",");
          expected.push({ line, fields: row });
          text += written + newline;
          line += breaksIn(written) + 1;
        }
        const absolute = path.join(dir, `leads-${run++}.csv`);
        await writeFile(absolute, text);
        const file: DataFile = { kind: "leads", file: "leads.csv", absolute, format: "csv", bytes: Buffer.byteLength(text) };
        const seen: Array<{ line: number; fields: string[] }> = [];
        await forEachRow(
          file,
          (event) => {
            if ("error" in event) throw new Error(`line ${event.line}: ${event.error}`);
            seen.push({ line: event.line, fields: header.map((h) => String(event.record.get(h))) });
          },
          { chunkBytes },
        );
        // A row of three empty fields is written `"","",""`: it is a row, not a blank line.
        expect(seen).toEqual(expected);
      }),
      { numRuns: 150 },
    );
    await cleanup();
  });
});

describe("the quote-free fast path", () => {
  /** Rows without quotes, but with what goes wrong in real exports: too few or many fields, blank lines, stray breaks. */
  const piece = fc.constantFrom("a", "b", "é", "😀", " ", ",", ";", "\n", "\r", "\r\n", "");
  const body = fc.array(fc.array(piece, { maxLength: 12, size: "max" }).map((p) => p.join("")), { minLength: 1, maxLength: 30, size: "max" });

  it("reports the same rows, errors and lines as papaparse alone, at any chunk size", async () => {
    const { dir, cleanup } = await tempDir();
    let run = 0;
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom("\n", "\r\n", "\r"), fc.constantFrom(",", ";"), fc.integer({ min: 1, max: 64 }), async (lines, newline, delimiter, chunkBytes) => {
        const header = ["id", "b", "c"].join(delimiter);
        const text = `${header}${newline}${lines.join(newline)}${run % 2 === 0 ? newline : ""}`;
        const absolute = path.join(dir, `fast-${run++}.csv`);
        await writeFile(absolute, text);
        const file: DataFile = { kind: "leads", file: "leads.csv", absolute, format: "csv", bytes: Buffer.byteLength(text) };
        const collect = async (fast: boolean) => {
          const seen: unknown[] = [];
          try {
            await forEachRow(file, (event) => seen.push("error" in event ? { ...event } : { line: event.line, fields: ["id", "b", "c"].map((h) => event.record.get(h)) }), { chunkBytes, quoteFreeFastPath: fast });
          } catch (error) {
            // A header the generator broke (a break inside it, a column twice) stops both alike.
            seen.push({ stopped: (error as Error).message });
          }
          return seen;
        };
        const fast = await collect(true);
        expect(fast).toEqual(await collect(false));
      }),
      { numRuns: 300 },
    );
    await cleanup();
  });
});

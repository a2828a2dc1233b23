import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isoInstant } from "../../src/engine/time.js";

function viaDate(ms: number): string {
  try {
    return new Date(ms).toISOString();
  } catch (error) {
    return `throws ${(error as Error).name}`;
  }
}

function viaIsoInstant(ms: number): string {
  try {
    return isoInstant(ms);
  } catch (error) {
    return `throws ${(error as Error).name}`;
  }
}

/** The instants toISOString writes with a four-digit year, and their neighbours. */
const FROM = -62_167_219_200_000;
const UNTIL = 253_402_300_800_000;

describe("isoInstant writes what Date's toISOString writes", () => {
  it("for whole milliseconds in and around years 0000 to 9999", () => {
    fc.assert(
      fc.property(fc.integer({ min: FROM - 1e11, max: UNTIL + 1e11 }), (ms) => {
        expect(viaIsoInstant(ms)).toBe(viaDate(ms));
      }),
      { numRuns: 5000 },
    );
  });

  it("for any number, including fractions, the edges of Date's range and not-a-number", () => {
    fc.assert(
      fc.property(fc.oneof(fc.double(), fc.double({ min: -9e15, max: 9e15 }), fc.constantFrom(-0, 0, -62_167_219_200_000, -62_167_219_200_001, UNTIL - 1, UNTIL, 8.64e15, -8.64e15, 8.64e15 + 1)), (ms) => {
        expect(viaIsoInstant(ms)).toBe(viaDate(ms));
      }),
      { numRuns: 5000 },
    );
  });

  it("for the times a day and a year hold: every minute of a leap day, and each year's first millisecond", () => {
    const leapDay = Date.UTC(2028, 1, 29);
    for (let minute = 0; minute < 1440; minute++) expect(isoInstant(leapDay + minute * 60_000 + 999)).toBe(new Date(leapDay + minute * 60_000 + 999).toISOString());
    for (let year = 0; year < 10_000; year += 7) {
      const first = new Date(0).setUTCFullYear(year, 0, 1);
      expect(isoInstant(first)).toBe(new Date(first).toISOString());
      expect(isoInstant(first - 1)).toBe(new Date(first - 1).toISOString());
    }
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayOfDate } from "../../src/engine/time.js";

/** The reference: the platform's own calendar, which rolls 2026-02-30 over into March. */
function referenceDay(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  const real = date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  return real ? Math.floor(date.getTime() / 86_400_000) : NaN;
}

describe("dates", () => {
  it("a date's day number agrees with the platform's calendar, inside the table's years and out", () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 1890, max: 2210 }), fc.integer({ min: 1, max: 9999 })), fc.integer({ min: -1, max: 14 }), fc.integer({ min: -1, max: 33 }), (year, month, day) => {
        expect(dayOfDate(year, month, day)).toBe(referenceDay(year, month, day));
      }),
      { numRuns: 20_000 },
    );
  });

  it("knows leap days and the last days of months", () => {
    expect(dayOfDate(2024, 2, 29)).toBe(referenceDay(2024, 2, 29));
    expect(dayOfDate(2026, 2, 29)).toBeNaN();
    expect(dayOfDate(1900, 2, 29)).toBeNaN();
    expect(dayOfDate(2000, 2, 29)).toBe(referenceDay(2000, 2, 29));
    expect(dayOfDate(2199, 12, 31)).toBe(referenceDay(2199, 12, 31));
    expect(dayOfDate(2026, 4, 31)).toBeNaN();
    expect(dayOfDate(1970, 1, 1)).toBe(0);
  });
});

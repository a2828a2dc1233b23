import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dayOfDate, MINUTE, Zone } from "../../src/engine/time.js";

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

describe("local wall-clock times to instants", () => {
  it("the per-day shortcut gives what two offset look-ups give, in zones with and without clock changes", () => {
    const zones = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata", "UTC", "America/Santiago"].map((name) => new Zone(name));
    const twoLookUps = (zone: Zone, local: number) => local - zone.offsetAt(local - zone.offsetAt(local) * MINUTE) * MINUTE;
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: Date.UTC(1985, 0, 1), max: Date.UTC(2075, 0, 1) }), (zone, local) => {
        expect(zone.utcOfLocal(local)).toBe(twoLookUps(zone, local));
      }),
      { numRuns: 5000 },
    );
    // Every quarter hour around New York's 2026 clock changes, where the shortcut must step aside.
    const newYork = zones[0]!;
    for (const day of [Date.UTC(2026, 2, 8), Date.UTC(2026, 10, 1)]) {
      for (let local = day - 86_400_000; local < day + 2 * 86_400_000; local += 15 * MINUTE) expect(newYork.utcOfLocal(local)).toBe(twoLookUps(newYork, local));
    }
  });
});

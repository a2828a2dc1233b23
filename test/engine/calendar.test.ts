import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { BusinessCalendar, type DayHours } from "../../src/engine/calendar.js";
import { HOUR, MINUTE } from "../../src/engine/time.js";

type Week = Partial<Record<"mon" | "tue" | "wed" | "thu" | "fri" | "sat" | "sun", DayHours>>;
const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;

function calendar(zone: string, week: Week, holidays: string[] = []): BusinessCalendar {
  const map = new Map<number, DayHours>();
  DAYS.forEach((d, i) => {
    const hours = week[d];
    if (hours) map.set(i + 1, hours);
  });
  return new BusinessCalendar({ id: "test", zone, week: map, holidays });
}
const h = (from: number, to: number): DayHours => [[from * 60, to * 60]];
const weekdays = (hours: DayHours): Week => ({ mon: hours, tue: hours, wed: hours, thu: hours, fri: hours });
const at = (zone: string, local: string) => DateTime.fromFormat(local, "yyyy-MM-dd HH:mm", { zone }).toMillis();
const local = (zone: string, ms: number) => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd HH:mm");

/**
 * Vectors from bokmann/business_time, test/test_business_hours.rb (MIT): its default calendar is
 * Monday to Friday 09:00-17:00. We use New York; the vectors do not cross clock changes.
 */
describe("business hours: vectors from business_time (Ruby)", () => {
  const zone = "America/New_York";
  const nineToFive = calendar(zone, weekdays(h(9, 17)));
  const cases: Array<[string, BusinessCalendar, string, number, string]> = [
    ["8 business hours move to tomorrow", nineToFive, "2010-08-04 09:35", 8, "2010-08-05 09:35"],
    ["a weekend when adding an hour", nineToFive, "2010-04-09 16:50", 1, "2010-04-12 09:50"],
    ["a holiday", calendar(zone, weekdays(h(9, 17)), ["2010-07-05"]), "2010-07-02 16:50", 1, "2010-07-06 09:50"],
    ["hours in the middle of the workday", nineToFive, "2010-04-12 09:50", 3, "2010-04-12 12:50"],
    ["work_hours mon, fri 9-17, sat 10-15", calendar(zone, { mon: h(9, 17), fri: h(9, 17), sat: h(10, 15) }), "2010-12-24 15:00", 9, "2010-12-27 11:00"],
    ["work_hours, starting before the workday", calendar(zone, { mon: h(9, 17), fri: h(9, 17), sat: h(10, 15) }), "2010-12-24 08:00", 15, "2010-12-27 11:00"],
    ["some 24-hour days", calendar(zone, { mon: h(0, 24), fri: h(0, 24), sat: h(11, 15) }), "2010-12-24 15:00", 24, "2010-12-27 11:00"],
    ["within the same day, ending at closing time", calendar(zone, { fri: h(9, 17) }), "2010-12-24 08:00", 8, "2010-12-24 17:00"],
    ["24-hour days, starting on a Saturday before opening", calendar(zone, { mon: h(0, 24), fri: h(0, 24), sat: h(11, 15) }), "2010-12-25 08:00", 15, "2010-12-27 11:00"],
  ];
  for (const [name, cal, start, hours, expected] of cases) {
    it(name, () => {
      expect(local(zone, cal.addBusinessMinutes(at(zone, start), hours * 60))).toBe(expected);
    });
  }
});

/**
 * Vectors from alberthild/opening_hours, spec/opening_hours_spec.rb (MIT), itself from the
 * RPCFN #10 "business hours" challenge: open 09:00-15:00 every day unless closed, Europe/Berlin.
 * Left out: its "flip the edge" case (a deadline at closing time is moved to the next opening
 * there; we keep the closing instant: no business time lies between the two) and its per-date
 * opening hours, which the policy language does not have.
 */
describe("business hours: vectors from opening_hours (RPCFN #10)", () => {
  const berlin = "Europe/Berlin";
  const every = (hours: DayHours): Week => ({ ...weekdays(hours), sat: hours, sun: hours });
  const daily = calendar(berlin, every(h(9, 15)));
  const noSunWed = calendar(berlin, { ...every(h(9, 15)), sun: undefined, wed: undefined });
  const cases: Array<[string, BusinessCalendar, string, number, string]> = [
    ["start during open hours", daily, "2010-06-07 09:10", 60, "2010-06-07 10:10"],
    ["start before open hours", daily, "2010-06-07 08:45", 120, "2010-06-07 11:00"],
    ["start after open hours", daily, "2010-06-07 22:45", 120, "2010-06-08 11:00"],
    ["finish the next day", daily, "2010-06-07 14:45", 120, "2010-06-08 10:45"],
    ["a long job over several days", daily, "2010-06-07 10:45", 20 * 60, "2010-06-10 12:45"],
    ["into summer time, 8 hours", daily, "2010-03-27 14:00", 8 * 60, "2010-03-29 10:00"],
    ["into summer time, 2 hours", daily, "2010-03-27 14:00", 120, "2010-03-28 10:00"],
    ["out of summer time, 8 hours", daily, "2010-10-31 14:00", 8 * 60, "2010-11-02 10:00"],
    ["out of summer time, 2 hours", daily, "2010-10-31 14:00", 120, "2010-11-01 10:00"],
    ["skip closed weekdays", noSunWed, "2010-06-05 14:45", 120, "2010-06-07 10:45"],
    ["start on a closed weekday", noSunWed, "2010-06-06 11:45", 120, "2010-06-07 11:00"],
    ["skip a closed date", calendar(berlin, every(h(9, 15)), ["2010-12-25"]), "2010-12-24 14:45", 120, "2010-12-26 10:45"],
    ["start on a closed date", calendar(berlin, every(h(9, 15)), ["2010-12-25"]), "2010-12-25 11:45", 120, "2010-12-26 11:00"],
    ["closed weekdays and a date", calendar(berlin, { ...every(h(9, 15)), sun: undefined, wed: undefined }, ["2010-12-25"]), "2010-12-24 14:45", 120, "2010-12-27 10:45"],
    ["longer Fridays", calendar(berlin, { ...every(h(9, 15)), fri: h(10, 17) }), "2010-06-03 09:00", 14 * 60, "2010-06-05 10:00"],
    ["original test #1", calendar(berlin, { ...every(h(9, 15)), fri: h(10, 17), sun: undefined, wed: undefined }), "2010-06-07 09:10", 120, "2010-06-07 11:10"],
    ["original test #2", calendar(berlin, { ...every(h(9, 15)), fri: h(10, 17), sun: undefined, wed: undefined }), "2010-06-08 14:48", 15, "2010-06-10 09:03"],
  ];
  for (const [name, cal, start, minutes, expected] of cases) {
    it(name, () => {
      expect(local(berlin, cal.addBusinessMinutes(at(berlin, start), minutes))).toBe(expected);
    });
  }

  it("time zones: a start given in another zone (Moscow calendar)", () => {
    const moscow = calendar("Europe/Moscow", every(h(9, 15)));
    const start = DateTime.fromISO("2010-12-23T20:00:00-09:00").toMillis();
    expect(local("Europe/Moscow", moscow.addBusinessMinutes(start, 240))).toBe("2010-12-24 13:00");
    const atClose = DateTime.fromISO("2010-12-23T20:00:00+08:00").toMillis();
    expect(local("Europe/Moscow", moscow.addBusinessMinutes(atClose, 0))).toBe("2010-12-24 09:00");
  });
});

describe("business hours: clock changes in the agreement's zone", () => {
  const zone = "America/New_York";
  it("an hour removed by spring-forward inside open hours is not counted", () => {
    // Open 01:00-05:00 on Sunday 2026-03-08: the clock jumps from 02:00 to 03:00, so 3 real hours.
    const cal = calendar(zone, { sun: h(1, 5) });
    const start = at(zone, "2026-03-08 01:00");
    expect(cal.businessMillisBetween(start, start + 10 * HOUR)).toBe(3 * HOUR);
    expect(local(zone, cal.addBusinessMinutes(start, 150))).toBe("2026-03-08 04:30");
  });

  it("an hour added by fall-back inside open hours is counted", () => {
    // Open 00:00-04:00 on Sunday 2026-11-01: 01:00-02:00 happens twice, so 5 real hours.
    const cal = calendar(zone, { sun: h(0, 4) });
    const start = at(zone, "2026-11-01 00:00");
    expect(cal.businessMillisBetween(start, start + 10 * HOUR)).toBe(5 * HOUR);
    expect(cal.addBusinessMinutes(start, 5 * 60) - start).toBe(5 * HOUR);
  });

  it("a clock starting on a weekend starts at Monday's opening", () => {
    const cal = calendar(zone, weekdays(h(9, 17)));
    expect(local(zone, cal.addBusinessMinutes(at(zone, "2026-11-21 11:00"), 5 * 60))).toBe("2026-11-23 14:00");
  });

  it("several intervals a day: lunch is not counted", () => {
    const cal = calendar(zone, { thu: [[9 * 60, 12 * 60], [13 * 60, 18 * 60]] });
    expect(local(zone, cal.addBusinessMinutes(at(zone, "2026-11-19 11:00"), 120))).toBe("2026-11-19 14:00");
  });

  it("business days: the same time on the n-th next open day", () => {
    const cal = calendar(zone, weekdays(h(9, 17)), ["2026-11-26"]);
    expect(local(zone, cal.addBusinessDays(at(zone, "2026-11-25 10:30"), 1))).toBe("2026-11-27 10:30");
    expect(local(zone, cal.addBusinessDays(at(zone, "2026-11-27 18:00"), 2))).toBe("2026-12-02 09:00");
  });
});

/** Random calendars: 1-3 intervals on random weekdays, in zones with clock changes. */
const calendarArb = fc
  .record({
    zone: fc.constantFrom("America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kathmandu", "UTC"),
    days: fc.array(
      fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 0, max: 22 }), fc.integer({ min: 1, max: 6 })),
      { minLength: 1, maxLength: 7 },
    ),
    holidays: fc.array(fc.date({ min: new Date("2026-01-01"), max: new Date("2027-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)), { maxLength: 5 }),
  })
  .map(({ zone, days, holidays }) => {
    const week = new Map<number, Array<[number, number]>>();
    for (const [day, startHour, length] of days) {
      if (week.has(day)) continue;
      week.set(day, [[startHour * 60, Math.min(24, startHour + length) * 60]]);
    }
    return new BusinessCalendar({ id: "random", zone, week, holidays });
  });
const instantArb = fc.integer({ min: Date.parse("2026-01-01T00:00:00Z"), max: Date.parse("2027-12-01T00:00:00Z") });
const minutesArb = fc.integer({ min: 0, max: 3 * 24 * 60 });

describe("business-hour laws (fast-check)", () => {
  it("a deadline never lands inside closed hours", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, (cal, start, minutes) => {
        const d = cal.addBusinessMinutes(start, minutes);
        const day = cal.zone.localDay(d);
        const intervals = [...cal.openOn(day - 1), ...cal.openOn(day), ...cal.openOn(day + 1)];
        expect(intervals.some(([s, e]) => s <= d && d <= e)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  // For positive durations: a policy cannot have a zero one (E0403), and adding zero at a
  // closing instant moves to the next opening (opening_hours' vector above), which a + 0 does not.
  it("adding a then b equals adding a + b", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, minutesArb, (cal, start, a, b) => {
        fc.pre(a > 0 && b > 0);
        expect(cal.addBusinessMinutes(cal.addBusinessMinutes(start, a), b)).toBe(cal.addBusinessMinutes(start, a + b));
      }),
      { numRuns: 300 },
    );
  });

  it("deadlines never decrease as the start moves later", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, fc.integer({ min: 0, max: 5 * 24 * 60 }), minutesArb, (cal, start, later, minutes) => {
        expect(cal.addBusinessMinutes(start + later * MINUTE, minutes)).toBeGreaterThanOrEqual(cal.addBusinessMinutes(start, minutes));
      }),
      { numRuns: 300 },
    );
  });

  it("the business time between a start and its deadline is exactly the duration", () => {
    fc.assert(
      fc.property(calendarArb, instantArb, minutesArb, (cal, start, minutes) => {
        const d = cal.addBusinessMinutes(start, minutes);
        expect(cal.businessMillisBetween(start, d)).toBe(minutes * MINUTE);
      }),
      { numRuns: 300 },
    );
  });
});

import { DateTime } from "luxon";

/** The days a period literal covers: `first` included, `next` excluded, as ISO dates (yyyy-mm-dd). */
export interface PeriodSpan {
  first: string;
  next: string;
}

/**
 * The calendar days of a period written as a report names it (SPEC §4 period keys): a day
 * 2027-01-15, an ISO week 2027-W05, a month 2027-01, a quarter 2027-Q1, a year 2027. Undefined
 * for text that names no real period (2027-13, 2027-W54, 12345).
 */
export function periodSpan(text: string): PeriodSpan | undefined {
  const iso = (d: DateTime) => d.toISODate() ?? "";
  let start: DateTime;
  let end: DateTime;
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text))) {
    start = DateTime.fromISO(text, { zone: "UTC" });
    end = start.plus({ days: 1 });
  } else if ((m = /^(\d{4})-W(\d{2})$/.exec(text))) {
    start = DateTime.fromObject({ weekYear: Number(m[1]), weekNumber: Number(m[2]), weekday: 1 }, { zone: "UTC" });
    if (start.isValid && start.weekNumber !== Number(m[2])) return undefined;
    end = start.plus({ weeks: 1 });
  } else if ((m = /^(\d{4})-Q([1-4])$/.exec(text))) {
    start = DateTime.fromObject({ year: Number(m[1]), month: (Number(m[2]) - 1) * 3 + 1, day: 1 }, { zone: "UTC" });
    end = start.plus({ months: 3 });
  } else if ((m = /^(\d{4})-(\d{2})$/.exec(text))) {
    start = DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: 1 }, { zone: "UTC" });
    end = start.plus({ months: 1 });
  } else if ((m = /^(\d{4})$/.exec(text))) {
    start = DateTime.fromObject({ year: Number(m[1]), month: 1, day: 1 }, { zone: "UTC" });
    end = start.plus({ years: 1 });
  } else {
    return undefined;
  }
  if (!start.isValid || !end.isValid) return undefined;
  return { first: iso(start), next: iso(end) };
}

import { dayOfIsoDate, DAY, HOUR, isoWeekday, MINUTE, Zone } from "./time.js";

/** Open hours of one weekday, in minutes after local midnight: [[540, 720], [780, 1080]]. */
export type DayHours = ReadonlyArray<readonly [number, number]>;

export interface CalendarSpec {
  id: string;
  zone: string;
  /** Index 1 (Monday) … 7 (Sunday); a missing day is closed. */
  week: ReadonlyMap<number, DayHours>;
  /** Closed local dates, yyyy-mm-dd. */
  holidays: readonly string[];
}

/** Open instants of one local day: [start, end] pairs in epoch milliseconds, in order. */
type Intervals = ReadonlyArray<readonly [number, number]>;

/** Searching further than this for open time means the calendar is (practically) never open. */
const MAX_DAYS_AHEAD = 3660;

/**
 * Business time on a calendar (SPEC §4): elapsed time inside open hours. Closed hours and
 * holidays (whole local dates) are skipped; a clock that starts outside hours starts at the
 * next opening; open hours are converted to instants day by day, so an hour removed by a clock
 * change is not counted and an hour added is.
 */
export class BusinessCalendar {
  readonly id: string;
  readonly zone: Zone;
  private readonly week: ReadonlyMap<number, DayHours>;
  private readonly holidays: ReadonlySet<number>;
  private readonly cache = new Map<number, Intervals>();

  constructor(spec: CalendarSpec) {
    this.id = spec.id;
    this.zone = new Zone(spec.zone);
    this.week = spec.week;
    this.holidays = new Set(spec.holidays.map(dayOfIsoDate));
  }

  /** The earliest instant showing this local time: on a fall-back night 01:30 happens twice. */
  private opening(day: number, minute: number): number {
    const later = this.zone.instant(day, minute);
    const earlier = later - HOUR;
    if (this.zone.localDay(earlier) === day && this.zone.localMinuteOfDay(earlier) === minute) return earlier;
    return later;
  }

  /** Open intervals of a local day, as instants. */
  openOn(day: number): Intervals {
    let intervals = this.cache.get(day);
    if (intervals === undefined) {
      const hours = this.holidays.has(day) ? undefined : this.week.get(isoWeekday(day));
      intervals = (hours ?? [])
        .map(([from, to]) => [this.opening(day, from), this.zone.instant(day, to)] as const)
        .filter(([s, e]) => e > s);
      this.cache.set(day, intervals);
    }
    return intervals;
  }

  isOpen(ms: number): boolean {
    return this.openOn(this.zone.localDay(ms)).some(([s, e]) => s <= ms && ms < e);
  }

  /** The instant business time starts counting from `ms`: itself when open, else the next opening. */
  nextOpening(ms: number): number {
    const first = this.zone.localDay(ms);
    for (let day = first; day < first + MAX_DAYS_AHEAD; day++) {
      for (const [s, e] of this.openOn(day)) {
        if (ms < e) return Math.max(s, ms);
      }
    }
    return Infinity;
  }

  /**
   * The deadline `minutes` of business time after `start`. It always lies inside open hours
   * (its closing instant included). Infinity when the calendar never opens again.
   */
  addBusinessMinutes(start: number, minutes: number): number {
    let remaining = minutes * MINUTE;
    if (remaining <= 0) return this.nextOpening(start);
    let t = start;
    const first = this.zone.localDay(start);
    for (let day = first; day < first + MAX_DAYS_AHEAD; day++) {
      for (const [s, e] of this.openOn(day)) {
        if (e <= t) continue;
        const from = Math.max(s, t);
        const available = e - from;
        if (remaining <= available) return from + remaining;
        remaining -= available;
        t = e;
      }
    }
    return Infinity;
  }

  /**
   * `n` business days: the same time of day on the n-th following open day, counted from the
   * next opening. On a shorter day, the deadline is that day's last open instant before that time.
   */
  addBusinessDays(start: number, n: number): number {
    const from = this.nextOpening(start);
    if (!Number.isFinite(from) || n <= 0) return from;
    const minute = this.zone.localMinuteOfDay(from);
    let day = this.zone.localDay(from);
    for (let found = 0, guard = 0; found < n; guard++) {
      if (guard > MAX_DAYS_AHEAD) return Infinity;
      day++;
      if (this.openOn(day).length > 0) found++;
    }
    const target = this.zone.instant(day, minute);
    const intervals = this.openOn(day);
    let best = intervals[0]![0];
    for (const [s, e] of intervals) {
      if (s <= target) best = Math.min(target, e);
    }
    return best;
  }

  /** Business milliseconds between two instants (0 when b is not after a). */
  businessMillisBetween(a: number, b: number): number {
    if (b <= a) return 0;
    let total = 0;
    const last = this.zone.localDay(b);
    for (let day = this.zone.localDay(a); day <= last; day++) {
      for (const [s, e] of this.openOn(day)) {
        const lo = Math.max(s, a);
        const hi = Math.min(e, b);
        if (hi > lo) total += hi - lo;
      }
    }
    return total;
  }
}

export type DurationSpec =
  | { business: false; ms: number }
  | { business: true; unit: "minutes" | "days"; amount: number; calendar: BusinessCalendar };

/** The deadline of a duration started at `start`. */
export function deadlineOf(start: number, duration: DurationSpec): number {
  if (!duration.business) return start + duration.ms;
  return duration.unit === "days"
    ? duration.calendar.addBusinessDays(start, duration.amount)
    : duration.calendar.addBusinessMinutes(start, duration.amount);
}

export const PLAIN_UNIT_MS = { minutes: MINUTE, hours: HOUR, days: DAY, weeks: 7 * DAY } as const;

import { DateTime, IANAZone } from "luxon";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
const QUARTER_HOUR = 15 * MINUTE;
const OFFSET_CACHE_FIRST = Math.floor(Date.UTC(1990, 0, 1) / QUARTER_HOUR);
const OFFSET_CACHE_SIZE = Math.floor(Date.UTC(2070, 0, 1) / QUARTER_HOUR) - OFFSET_CACHE_FIRST;
/**
 * The offset caches below hold an offset in minutes plus OFFSET_BIAS, so that 0, what a new
 * array holds, means "not looked up yet": they need no filling, and only the pages for the
 * years a snapshot has are ever touched (filled, the 5.6 MB of quarter hours cost each zone
 * 1,400 page faults at start-up). Offsets are within a day (±1,440 minutes): none is stored as 0 or 1.
 */
const OFFSET_BIAS = 0x2000;
const UNKNOWN_OFFSET = 0;
const CHANGING_OFFSET = 1;
const STEADY_CACHE_FIRST_DAY = Math.floor(Date.UTC(1990, 0, 1) / (24 * 60 * MINUTE));
const STEADY_CACHE_DAYS = Math.floor(Date.UTC(2070, 0, 1) / (24 * 60 * MINUTE)) - STEADY_CACHE_FIRST_DAY;

/** Days since 1970-01-01 for a civil date (proleptic Gregorian); Howard Hinnant's algorithm. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

const TABLE_FIRST_YEAR = 1900;
const TABLE_YEARS = 300;
/** Day number of the first of each month from 1900 to 2199, and of January 2200 at the end. */
const MONTH_STARTS = Int32Array.from({ length: TABLE_YEARS * 12 + 1 }, (_, i) => daysFromCivil(TABLE_FIRST_YEAR + Math.floor(i / 12), (i % 12) + 1, 1));

/**
 * The day number of a date, or NaN when there is no such date (2026-02-30, month 13). Two array
 * reads for the years CRM data holds, so that reading a million timestamps does no calendar
 * arithmetic.
 */
export function dayOfDate(year: number, month: number, day: number): number {
  const i = (year - TABLE_FIRST_YEAR) * 12 + month - 1;
  if (i >= 0 && i < TABLE_YEARS * 12 && month >= 1 && month <= 12) {
    const first = MONTH_STARTS[i]!;
    return day >= 1 && day <= MONTH_STARTS[i + 1]! - first ? first + day - 1 : NaN;
  }
  if (!(month >= 1 && month <= 12 && day >= 1 && Number.isInteger(year))) return NaN;
  const dayNumber = daysFromCivil(year, month, day);
  return civilFromDays(dayNumber).day === day ? dayNumber : NaN;
}

export function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO weekday of a day number: 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(dayNumber: number): number {
  return (((dayNumber + 3) % 7) + 7) % 7 + 1;
}

export function isoDateOfDay(dayNumber: number): string {
  const { year, month, day } = civilFromDays(dayNumber);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** The instants whose year has four digits (0000 to 9999): isoInstant writes these itself. */
const FOUR_DIGIT_YEARS_FROM = daysFromCivil(0, 1, 1) * DAY;
const FOUR_DIGIT_YEARS_UNTIL = daysFromCivil(10000, 1, 1) * DAY;
const ZERO = 48;

/**
 * `new Date(ms).toISOString()`, the same text: written from the day number and the time of
 * day, as reports name a million leads' times. One string made from its 24 character codes:
 * toISOString took about 1.3 µs a call and a text joined from parts more (it is flattened
 * again when written), this 0.3 µs (bench/README.md). Other instants (fractions of a
 * millisecond, years outside 0000–9999, not a time at all) are left to toISOString.
 */
export function isoInstant(ms: number): string {
  if (!(ms >= FOUR_DIGIT_YEARS_FROM && ms < FOUR_DIGIT_YEARS_UNTIL) || !Number.isInteger(ms)) return new Date(ms).toISOString();
  const days = Math.floor(ms / DAY);
  let rest = ms - days * DAY;
  const { year, month, day } = civilFromDays(days);
  const h = Math.floor(rest / HOUR);
  rest -= h * HOUR;
  const m = Math.floor(rest / MINUTE);
  rest -= m * MINUTE;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  return String.fromCharCode(
    ZERO + Math.floor(year / 1000), ZERO + (Math.floor(year / 100) % 10), ZERO + (Math.floor(year / 10) % 10), ZERO + (year % 10), 0x2d,
    ZERO + Math.floor(month / 10), ZERO + (month % 10), 0x2d, ZERO + Math.floor(day / 10), ZERO + (day % 10), 0x54,
    ZERO + Math.floor(h / 10), ZERO + (h % 10), 0x3a, ZERO + Math.floor(m / 10), ZERO + (m % 10), 0x3a, ZERO + Math.floor(s / 10), ZERO + (s % 10), 0x2e,
    ZERO + Math.floor(milli / 100), ZERO + (Math.floor(milli / 10) % 10), ZERO + (milli % 10), 0x5a,
  );
}

export function dayOfIsoDate(iso: string): number {
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return daysFromCivil(y, m, d);
}

/**
 * An IANA zone with the two conversions the engine needs. Offsets come from the platform's
 * time-zone data through luxon; nothing here hard-codes an offset.
 */
export class Zone {
  readonly name: string;
  private readonly zone: IANAZone;

  constructor(name: string) {
    this.name = name;
    this.zone = IANAZone.create(name);
    if (!this.zone.isValid) throw new Error(`unknown time zone '${name}'`);
  }

  /**
   * Offset from UTC in minutes at an instant. Zones change offset only at quarter-hour
   * boundaries, so the answer is cached per quarter hour: a snapshot's million timestamps cost
   * a few thousand look-ups in the platform's time-zone data instead of a million.
   */
  offsetAt(ms: number): number {
    const bucket = Math.floor(ms / QUARTER_HOUR);
    const index = bucket - OFFSET_CACHE_FIRST;
    if (index >= 0 && index < OFFSET_CACHE_SIZE) {
      const cached = this.offsets[index]!;
      if (cached !== UNKNOWN_OFFSET) return cached - OFFSET_BIAS;
      this.fillDay(bucket);
      return this.offsets[index]! - OFFSET_BIAS;
    }
    return this.zone.offset(ms);
  }

  /**
   * Fills the cache for the UTC day holding `bucket`. A day whose two ends have the same offset
   * has it throughout (clocks do not change twice in a day); only a day with a change is looked
   * up quarter by quarter.
   */
  private fillDay(bucket: number): void {
    const perDay = DAY / QUARTER_HOUR;
    const firstBucket = Math.floor(bucket / perDay) * perDay;
    const start = this.zone.offset(firstBucket * QUARTER_HOUR);
    const end = this.zone.offset((firstBucket + perDay) * QUARTER_HOUR - 1);
    for (let b = firstBucket; b < firstBucket + perDay; b++) {
      const i = b - OFFSET_CACHE_FIRST;
      if (i < 0 || i >= OFFSET_CACHE_SIZE) continue;
      this.offsets[i] = (start === end ? start : this.zone.offset(b * QUARTER_HOUR)) + OFFSET_BIAS;
    }
  }

  /**
   * The instant at a local wall-clock time, given as milliseconds since 1970 as if the zone
   * were UTC. Two offset look-ups (at the local time, then at the first guess) find it across a
   * clock change; on a day with no change anywhere near, the day's one offset is the answer,
   * so it is kept per day and the common case costs one array read.
   */
  utcOfLocal(local: number): number {
    const index = Math.floor(local / DAY) - STEADY_CACHE_FIRST_DAY;
    if (index >= 0 && index < STEADY_CACHE_DAYS) {
      let steady = this.steadyOffsets[index]!;
      if (steady === UNKNOWN_OFFSET) this.steadyOffsets[index] = steady = this.steadyOffsetOn(index + STEADY_CACHE_FIRST_DAY);
      if (steady !== CHANGING_OFFSET) return local - (steady - OFFSET_BIAS) * MINUTE;
    }
    const guess = local - this.offsetAt(local) * MINUTE;
    return local - this.offsetAt(guess) * MINUTE;
  }

  /**
   * The offset in force throughout the local day `day` and the 14 hours either side (no zone is
   * further than that from UTC) plus OFFSET_BIAS, or CHANGING_OFFSET when it changes in that
   * span. Offsets change at most twice a year, so equal offsets at both ends mean no change between.
   */
  private steadyOffsetOn(day: number): number {
    const first = this.offsetAt(day * DAY - 14 * HOUR);
    return this.offsetAt((day + 1) * DAY + 14 * HOUR) === first ? first + OFFSET_BIAS : CHANGING_OFFSET;
  }

  /** By local day from 1990 to 2070: the day's steady offset plus OFFSET_BIAS, UNKNOWN_OFFSET or CHANGING_OFFSET. */
  private readonly steadyOffsets = new Int16Array(STEADY_CACHE_DAYS);

  /** Quarter hours from 1990 to 2070: the offset in minutes plus OFFSET_BIAS, or UNKNOWN_OFFSET; a typed array is cheaper than a map here. */
  private readonly offsets = new Int16Array(OFFSET_CACHE_SIZE);
  private readonly midnights = new Map<number, number>();

  /** The local calendar day (days since 1970-01-01) that an instant falls on. */
  localDay(ms: number): number {
    return Math.floor((ms + this.offsetAt(ms) * MINUTE) / DAY);
  }

  /** Minutes after local midnight at an instant. */
  localMinuteOfDay(ms: number): number {
    const local = ms + this.offsetAt(ms) * MINUTE;
    return Math.floor((local - Math.floor(local / DAY) * DAY) / MINUTE);
  }

  /**
   * The instant at a local day and minute. A local time skipped by a clock change (02:30 on a
   * spring-forward night) moves forward by the gap, as clocks do; 24:00 is the next midnight.
   */
  instant(dayNumber: number, minuteOfDay: number): number {
    const extraDays = Math.floor(minuteOfDay / 1440);
    const minute = minuteOfDay - extraDays * 1440;
    const { year, month, day } = civilFromDays(dayNumber + extraDays);
    return DateTime.fromObject(
      { year, month, day, hour: Math.floor(minute / 60), minute: minute % 60 },
      { zone: this.zone },
    ).toMillis();
  }

  /** Local midnight starting a day, as an instant. */
  startOfDay(dayNumber: number): number {
    let midnight = this.midnights.get(dayNumber);
    if (midnight === undefined) {
      midnight = this.instant(dayNumber, 0);
      this.midnights.set(dayNumber, midnight);
    }
    return midnight;
  }
}

import type { Period } from "../lang/ast.js";
import { civilFromDays, daysFromCivil, isoWeekday, type Zone } from "./time.js";

export interface PeriodSlot {
  /** Stable label: 2026-11-22, 2026-W47, 2026-11, 2026-Q4, 2026, or "all" when there is no `per`. */
  key: string;
  start: number;
  /** Exclusive. */
  end: number;
  /** 0, 1, 2… in the order its index made them: result tables find a period's cells by it. */
  id: number;
}

const ALL: PeriodSlot = { key: "all", start: -Infinity, end: Infinity, id: 0 };

/** Days from 1990 to 2070. */
const DAYS_CACHED = 29_220;

/**
 * Calendar periods in the agreement's zone (SPEC §4). Weeks are ISO weeks, starting Monday.
 * Lookups are cached per local day: a million leads cost a few thousand zone conversions.
 */
export class PeriodIndex {
  private readonly byKey = new Map<string, PeriodSlot>();

  constructor(
    readonly unit: Period | undefined,
    private readonly zone: Zone,
  ) {}

  of(ms: number): PeriodSlot {
    if (this.unit === undefined) return ALL;
    // A period depends only on the local day: one cache entry per day, found by array index.
    const day = this.zone.localDay(ms);
    const index = day - this.firstDay;
    if (index >= 0 && index < DAYS_CACHED) {
      const cached = this.byDay[index];
      if (cached !== undefined) return cached;
    }
    let slot = this.compute(ms, this.byKey.size);
    const known = this.byKey.get(slot.key);
    if (known) slot = known;
    else this.byKey.set(slot.key, slot);
    if (index >= 0 && index < DAYS_CACHED) this.byDay[index] = slot;
    return slot;
  }

  private readonly firstDay = Math.floor(Date.UTC(1990, 0, 1) / 86_400_000);
  /** Filled up front: an array written first at index 13,000 is kept as a dictionary, and read slowly. */
  private readonly byDay: Array<PeriodSlot | undefined> = new Array<PeriodSlot | undefined>(DAYS_CACHED).fill(undefined);

  /** Day arithmetic on the local calendar; only the two boundary midnights touch the zone. */
  private compute(ms: number, id: number): PeriodSlot {
    const day = this.zone.localDay(ms);
    const { year, month } = civilFromDays(day);
    let first: number;
    let next: number;
    let key: string;
    switch (this.unit!) {
      case "day":
        first = day;
        next = day + 1;
        key = isoDate(day);
        break;
      case "week": {
        first = day - (isoWeekday(day) - 1);
        next = first + 7;
        const thursday = civilFromDays(first + 3);
        const week = Math.floor((first + 3 - daysFromCivil(thursday.year, 1, 1)) / 7) + 1;
        key = `${thursday.year}-W${String(week).padStart(2, "0")}`;
        break;
      }
      case "month":
        first = daysFromCivil(year, month, 1);
        next = month === 12 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, month + 1, 1);
        key = `${year}-${String(month).padStart(2, "0")}`;
        break;
      case "quarter": {
        const q = Math.floor((month - 1) / 3);
        first = daysFromCivil(year, q * 3 + 1, 1);
        next = q === 3 ? daysFromCivil(year + 1, 1, 1) : daysFromCivil(year, q * 3 + 4, 1);
        key = `${year}-Q${q + 1}`;
        break;
      }
      case "year":
        first = daysFromCivil(year, 1, 1);
        next = daysFromCivil(year + 1, 1, 1);
        key = String(year);
        break;
    }
    return { key, start: this.zone.startOfDay(first), end: this.zone.startOfDay(next), id };
  }

  /** Every period from the one holding `from` to the one holding `to`, in order. */
  range(from: number, to: number): PeriodSlot[] {
    if (this.unit === undefined) return [ALL];
    const slots: PeriodSlot[] = [];
    for (let slot = this.of(from); slot.start <= to; slot = this.of(slot.end)) slots.push(slot);
    return slots;
  }
}

/** Days of a period that the agreement is in force, when it took effect during the period. */
export interface Proration {
  daysInForce: number;
  daysInPeriod: number;
}

const DAY_MS = 86_400_000;

/**
 * A period that began before the effective date (`judgedFrom`) and ends after it is only partly
 * in force (SPEC §8.1): its count and goal targets are prorated by days in force. So is the
 * part of a period a version judges when a newer version takes effect during it
 * (`judgedUntil`, `eval --versions`). Null for a period wholly in force, and for all time (an
 * SLA without `per`). Days are rounded: a clock change makes one 23 or 25 hours long.
 */
export function prorationOf(period: PeriodSlot, judgedFrom: number, judgedUntil = Infinity): Proration | null {
  // All time (no `per`) has no days to prorate by: its count target stands whole.
  if (!Number.isFinite(period.start) || !Number.isFinite(period.end)) return null;
  const from = Math.max(period.start, judgedFrom);
  const until = Math.min(period.end, judgedUntil);
  if (!(from < until) || (from === period.start && until === period.end)) return null;
  return { daysInForce: Math.round((until - from) / DAY_MS), daysInPeriod: Math.round((period.end - period.start) / DAY_MS) };
}

/** A target for the days in force of a prorated period; the whole target otherwise. */
export function proratedTarget(target: number, proration: Proration | null): number {
  return proration === null ? target : (target * proration.daysInForce) / proration.daysInPeriod;
}

function isoDate(day: number): string {
  const { year, month, day: d } = civilFromDays(day);
  return `${year}-${String(month).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

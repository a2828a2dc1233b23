import { DateTime } from "luxon";
import type { Period } from "../lang/ast.js";
import type { Zone } from "./time.js";

export interface PeriodSlot {
  /** Stable label: 2026-11-22, 2026-W47, 2026-11, 2026-Q4, 2026, or "all" when there is no `per`. */
  key: string;
  start: number;
  /** Exclusive. */
  end: number;
}

const ALL: PeriodSlot = { key: "all", start: -Infinity, end: Infinity };

/** Offsets change at most every quarter hour, so instants in one bucket share a period. */
const BUCKET = 15 * 60_000;

/**
 * Calendar periods in the agreement's zone (SPEC §4). Weeks are ISO weeks, starting Monday.
 * Lookups are cached per quarter hour: a million leads cost a few thousand zone conversions.
 */
export class PeriodIndex {
  private readonly cache = new Map<number, PeriodSlot>();
  private readonly byKey = new Map<string, PeriodSlot>();

  constructor(
    readonly unit: Period | undefined,
    private readonly zone: Zone,
  ) {}

  of(ms: number): PeriodSlot {
    if (this.unit === undefined) return ALL;
    const bucket = Math.floor(ms / BUCKET);
    let slot = this.cache.get(bucket);
    if (slot === undefined) {
      slot = this.compute(ms);
      const known = this.byKey.get(slot.key);
      if (known) slot = known;
      else this.byKey.set(slot.key, slot);
      this.cache.set(bucket, slot);
    }
    return slot;
  }

  private compute(ms: number): PeriodSlot {
    const unit = this.unit!;
    const start = DateTime.fromMillis(ms, { zone: this.zone.name }).startOf(unit);
    const end = start.plus({ [`${unit}s`]: 1 });
    return { key: labelOf(start, unit), start: start.toMillis(), end: end.toMillis() };
  }

  /** Every period from the one holding `from` to the one holding `to`, in order. */
  range(from: number, to: number): PeriodSlot[] {
    if (this.unit === undefined) return [ALL];
    const slots: PeriodSlot[] = [];
    for (let slot = this.of(from); slot.start <= to; slot = this.of(slot.end)) slots.push(slot);
    return slots;
  }
}

function labelOf(start: DateTime, unit: Period): string {
  switch (unit) {
    case "day":
      return start.toISODate()!;
    case "week":
      return `${start.weekYear}-W${String(start.weekNumber).padStart(2, "0")}`;
    case "month":
      return start.toFormat("yyyy-MM");
    case "quarter":
      return `${start.year}-Q${start.quarter}`;
    case "year":
      return String(start.year);
  }
}

import type { PeriodSlot } from "./periods.js";

/**
 * Result cells by period and group. Found by the period's number first (periods are canonical:
 * one object per period, numbered by the one PeriodIndex a table is used with), then by the
 * group label: no key string is built per lead, and one map look-up instead of two.
 */
export class CellTable<C extends { period: PeriodSlot; group: string }> {
  private readonly byPeriod: Array<Map<string, C> | undefined> = [];
  /** Every cell, in the order made. */
  readonly all: C[] = [];

  constructor(private readonly make: (period: PeriodSlot, group: string) => C) {}

  /** The cell, made empty the first time it is asked for. */
  get(period: PeriodSlot, group: string): C {
    let byGroup = this.byPeriod[period.id];
    if (!byGroup) this.byPeriod[period.id] = byGroup = new Map();
    let cell = byGroup.get(group);
    if (!cell) {
      cell = this.make(period, group);
      byGroup.set(group, cell);
      this.all.push(cell);
    }
    return cell;
  }

  find(period: PeriodSlot, group: string): C | undefined {
    return this.byPeriod[period.id]?.get(group);
  }
}

import type { DateTime } from "luxon";

/**
 * What the CRM presets' sample generators share: a seeded random source (the scripts' and the
 * benchmark's too, through scripts/script-support.ts) and CSV writing as the CRMs write it.
 */

/** mulberry32: small, fast, and the same sequence on every machine. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from lists and flips coins on one seeded sequence. */
export class Dice {
  private readonly random: () => number;
  constructor(seed: number) {
    this.random = rng(seed);
  }
  next(): number {
    return this.random();
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  /** An integer in [low, high]. */
  between(low: number, high: number): number {
    return low + Math.floor(this.random() * (high - low + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }
}

/** `t`, or when it falls outside a rep's day (weekends, before 8:00, from 19:00) the next weekday morning. */
export function repHours(t: DateTime, dice: Dice): DateTime {
  let day = t.hour >= 19 ? t.plus({ days: 1 }).startOf("day") : t;
  while (day.weekday > 5) day = day.plus({ days: 1 }).startOf("day");
  return day.hour < 8 ? day.set({ hour: 8 + dice.between(0, 2), minute: dice.between(0, 59) }) : day;
}

/** One CSV record: a field quoted only when it must be (as HubSpot and Salesforce write them), CRLF-free. */
export function csvRecord(fields: readonly string[], quoteAll = false): string {
  return fields.map((f) => (quoteAll || /[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(",");
}

/** A CSV file: header and records, one per line, ending with a line break. */
export function csvFile(header: readonly string[], rows: ReadonlyArray<readonly string[]>, quoteAll = false): string {
  return `${[header, ...rows].map((r) => csvRecord(r, quoteAll)).join("\n")}\n`;
}

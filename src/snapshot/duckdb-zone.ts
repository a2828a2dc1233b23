import { IANAZone } from "luxon";
import { zoneOffsetMs } from "../engine/sql/dialect.js";
import { DAY, type Zone } from "../engine/time.js";

const QUARTER_HOUR = 15 * 60_000;
const YEAR = 365.25 * DAY;
/** Zone.offsetAt answers per quarter hour from 1990 to 2070: transitions found there are found as the file reader sees them. */
const CACHED_FROM = Date.UTC(1990, 0, 1);
const CACHED_TO = Date.UTC(2070, 0, 1);
/** The scan's step: no zone changes its offset twice within a week (the file reader assumes none in 52 hours). */
const STEP = 7 * DAY;

/** DuckDB macro: the instant (epoch ms) of a local wall-clock time given as epoch ms as if the zone were UTC; pass it a column (a macro repeats its argument). */
export const LOCAL_MACRO = "sp_local_ms";

/**
 * The zone's offset changes (instant, offset after, both ms) from `from` to `to`, as the file
 * reader's Zone sees them: a weekly scan, each change then found to the quarter hour by
 * bisection. Zone.offsetAt answers a quarter hour's start by luxon's offset there; luxon is
 * asked directly, as the scan's points are such starts: Zone.offsetAt would fill whole days of
 * its cache around each change first (some 2,400 look-ups over twelve years, 20 ms at start-up).
 */
export function zoneTransitions(zone: Zone, from: number, to: number): Array<[number, number]> {
  const luxon = IANAZone.create(zone.name);
  const offsetAt = (quarter: number): number => luxon.offset(quarter * QUARTER_HOUR);
  const found: Array<[number, number]> = [];
  let before = offsetAt(Math.floor(from / QUARTER_HOUR));
  for (let at = from; at < to; at += STEP) {
    const after = offsetAt(Math.floor((at + STEP) / QUARTER_HOUR));
    if (after === before) continue;
    let lo = Math.floor(at / QUARTER_HOUR);
    let hi = Math.floor((at + STEP) / QUARTER_HOUR);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (offsetAt(mid) === before) lo = mid;
      else hi = mid;
    }
    found.push([hi * QUARTER_HOUR, after * 60_000]);
    before = after;
  }
  return found;
}

/**
 * A macro that reads local times by the file reader's rule (Zone.utcOfLocal: the offset at the
 * local time read as UTC gives a guess, the offset at the guess the answer) without a time-zone
 * look-up per value. From ten years before `around` to two after, the offset the rule subtracts
 * is a step function of the local time, found here from the zone's changes: a balanced CASE over
 * its steps (a few comparisons per value). Outside that span, DuckDB's ICU as the portable SQL
 * reads it (dialect.ts zoneOffsetMs), which needs the session's TimeZone set to the zone.
 */
export function zoneMacros(zone: Zone, around: number): string[] {
  const from = Math.max(CACHED_FROM, Math.floor((around - 10 * YEAR) / DAY) * DAY);
  const to = Math.min(CACHED_TO, Math.floor((around + 2 * YEAR) / DAY) * DAY);
  const fallback = zoneOffsetMs("duckdb", `l - ${zoneOffsetMs("duckdb", "l")}`);
  // A day inside the span either side: the guess (the local time less an offset under a day) stays in it.
  const steps = from + DAY < to - DAY ? localSteps([[from, zone.offsetAt(from) * 60_000], ...zoneTransitions(zone, from, to)], from + DAY, to - DAY) : [];
  const offset = steps.length === 0 ? fallback : `CASE WHEN l >= ${from + DAY} AND l < ${to - DAY} THEN ${tree(steps, 0, steps.length)} ELSE ${fallback} END`;
  return [`CREATE OR REPLACE TEMP MACRO ${LOCAL_MACRO}(l) AS l - ${offset}`];
}

/**
 * The rule's offset, offset(l - offset(l)), as steps of the local time l over [from, to): it can
 * change only where offset(l) does (a change's instant) or where l - offset(l) reaches a change
 * (a change's instant plus one of the offsets), so it is evaluated at each such point and equal
 * neighbours merged.
 */
function localSteps(changes: ReadonlyArray<[number, number]>, from: number, to: number): Array<[number, number]> {
  const offsetAt = (u: number): number => {
    let found = changes[0]![1];
    for (const [at, offset] of changes) if (u >= at) found = offset;
    return found;
  };
  const offsets = [...new Set(changes.map(([, o]) => o))];
  const points = new Set<number>([from]);
  for (const [at] of changes.slice(1)) for (const p of [at, ...offsets.map((o) => at + o)]) if (p > from && p < to) points.add(p);
  const steps: Array<[number, number]> = [];
  for (const p of [...points].sort((a, b) => a - b)) {
    const value = offsetAt(p - offsetAt(p));
    if (steps.length === 0 || steps.at(-1)![1] !== value) steps.push([p, value]);
  }
  return steps;
}

/**
 * The step holding `l` among steps [lo, hi) (each: its start and offset), by halves. The
 * recursion's depth is log2 of the steps' number (a few dozen at most over twelve years).
 */
function tree(segments: ReadonlyArray<[number, number]>, lo: number, hi: number): string {
  if (hi - lo === 1) return String(segments[lo]![1]);
  const mid = Math.floor((lo + hi) / 2);
  return `CASE WHEN l < ${segments[mid]![0]} THEN ${tree(segments, lo, mid)} ELSE ${tree(segments, mid, hi)} END`;
}

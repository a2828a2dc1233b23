import { zoneOffsetMs } from "../engine/sql/dialect.js";
import { DAY, type Zone } from "../engine/time.js";

const QUARTER_HOUR = 15 * 60_000;
const YEAR = 365.25 * DAY;
/** Zone.offsetAt answers per quarter hour from 1990 to 2070: transitions found there are found as the file reader sees them. */
const CACHED_FROM = Date.UTC(1990, 0, 1);
const CACHED_TO = Date.UTC(2070, 0, 1);
/** The scan's step: no zone changes its offset twice within a week (the file reader assumes none in 52 hours). */
const STEP = 7 * DAY;

/** DuckDB macro: the zone's offset (ms) at an instant (epoch ms). */
export const OFFSET_MACRO = "sp_zone_offset";
/** DuckDB macro: the instant (epoch ms) of a local wall-clock time given as epoch ms as if the zone were UTC. */
export const LOCAL_MACRO = "sp_local_ms";

/**
 * The zone's offset changes (instant, offset after, both ms) from `from` to `to`, by the file
 * reader's own Zone: a weekly scan, each change then found to the quarter hour by bisection.
 */
export function zoneTransitions(zone: Zone, from: number, to: number): Array<[number, number]> {
  const found: Array<[number, number]> = [];
  let before = zone.offsetAt(from);
  for (let at = from; at < to; at += STEP) {
    const after = zone.offsetAt(at + STEP);
    if (after === before) continue;
    let lo = Math.floor(at / QUARTER_HOUR);
    let hi = Math.floor((at + STEP) / QUARTER_HOUR);
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (zone.offsetAt(mid * QUARTER_HOUR) === before) lo = mid;
      else hi = mid;
    }
    found.push([hi * QUARTER_HOUR, after * 60_000]);
    before = after;
  }
  return found;
}

/**
 * Two macros that read local times by the file reader's rule (Zone.utcOfLocal: the offset at
 * the local time read as UTC gives a guess, the offset at the guess the answer) without a
 * time-zone look-up per value: from ten years before `around` to two after, the offset is a
 * balanced CASE over the zone's changes in that span (a few comparisons); outside it, DuckDB's
 * ICU as the portable SQL reads it (dialect.ts zoneOffsetMs). Needs the session's TimeZone set
 * to the zone (the fallback reads it).
 */
export function zoneMacros(zone: Zone, around: number): string[] {
  const from = Math.max(CACHED_FROM, Math.floor((around - 10 * YEAR) / DAY) * DAY);
  const to = Math.min(CACHED_TO, Math.floor((around + 2 * YEAR) / DAY) * DAY);
  const fallback = zoneOffsetMs("duckdb", "u");
  const offset =
    from >= to
      ? fallback
      : (() => {
          const segments: Array<[number, number]> = [[from, zone.offsetAt(from) * 60_000], ...zoneTransitions(zone, from, to)];
          return `CASE WHEN u >= ${from} AND u < ${to} THEN ${tree(segments, 0, segments.length)} ELSE ${fallback} END`;
        })();
  return [`CREATE OR REPLACE TEMP MACRO ${OFFSET_MACRO}(u) AS ${offset}`, `CREATE OR REPLACE TEMP MACRO ${LOCAL_MACRO}(l) AS l - ${OFFSET_MACRO}(l - ${OFFSET_MACRO}(l))`];
}

/** The offset of `u` among segments [lo, hi) (each: its start and offset), by halves: depth log2 of their number. */
function tree(segments: ReadonlyArray<[number, number]>, lo: number, hi: number): string {
  if (hi - lo === 1) return String(segments[lo]![1]);
  const mid = Math.floor((lo + hi) / 2);
  return `CASE WHEN u < ${segments[mid]![0]} THEN ${tree(segments, lo, mid)} ELSE ${tree(segments, mid, hi)} END`;
}

import { TimestampReader } from "./convert.js";
import { dayOfIsoDate, type Zone } from "../engine/time.js";

/**
 * The instant of `as_of`: ISO 8601 with an offset, or local time in the agreement's zone.
 * A date alone means the end of that day, so "as of 2026-11-22" includes all of the 22nd.
 */
export function parseAsOf(text: string, zone: Zone): number | undefined {
  const trimmed = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) {
    if (new TimestampReader(zone).read(trimmed) === undefined) return undefined;
    return zone.startOfDay(dayOfIsoDate(trimmed) + 1);
  }
  return new TimestampReader(zone).read(trimmed);
}

import { IANAZone } from "luxon";
import type * as A from "../ast.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { didYouMean } from "../suggest.js";
import { WEEKDAYS, WEEKDAY_LONG_NAMES } from "../vocabulary.js";
import type { CheckContext } from "./context.js";


export function weekdayOf(name: string): A.Weekday | undefined {
  const lower = name.toLowerCase();
  if ((WEEKDAYS as readonly string[]).includes(lower)) return lower as A.Weekday;
  return WEEKDAY_LONG_NAMES[lower];
}

/** The weekdays a day spec covers (`mon-thu` → mon, tue, wed, thu), or undefined when misspelt. */
export function daysOf(spec: A.DaySpec): A.Weekday[] | undefined {
  const from = weekdayOf(spec.from.name);
  const to = spec.to ? weekdayOf(spec.to.name) : from;
  if (from === undefined || to === undefined) return undefined;
  const start = WEEKDAYS.indexOf(from);
  const end = WEEKDAYS.indexOf(to);
  return end >= start ? WEEKDAYS.slice(start, end + 1) : undefined;
}

/**
 * The longest business duration, in weeks of a calendar's open time. The engine looks for a
 * deadline at most 3,660 days ahead and, past that, has none; 5 years of weeks leaves room for
 * years' worth of holidays, and no agreement promises a reply in more.
 */
export const MAX_BUSINESS_WEEKS = 5 * 52;

/** Open minutes and open days in one ordinary week of a calendar (holidays aside). */
export function openWeek(cal: A.CalendarBlock): { minutes: number; days: number } {
  const perDay = new Map<A.Weekday, number>();
  for (const hours of cal.hours) {
    const open = hours.intervals.reduce((sum, t) => sum + Math.max(0, t.end.minutes - t.start.minutes), 0);
    for (const day of hours.days.flatMap((d) => daysOf(d) ?? [])) perDay.set(day, (perDay.get(day) ?? 0) + open);
  }
  const days = [...perDay.values()].filter((m) => m > 0);
  return { minutes: days.reduce((a, b) => a + b, 0), days: days.length };
}

let zoneNames: string[] | undefined;
function knownZones(): string[] {
  zoneNames ??= Intl.supportedValuesOf("timeZone");
  return zoneNames;
}

export function checkZone(zone: A.StringLit, file: string, diagnostics: Diagnostic[]): void {
  if (IANAZone.isValidZone(zone.value)) return;
  diagnostics.push(
    diagnostic(
      "E0603",
      `unknown time zone "${zone.value}"${didYouMean(zone.value, knownZones())}: use an IANA name such as "America/New_York" or "Europe/Berlin"`,
      file,
      zone.range,
    ),
  );
}

export function checkCalendar(cal: A.CalendarBlock, file: string, diagnostics: Diagnostic[], hasDefaultZone: boolean): void {
  if (cal.timezone) checkZone(cal.timezone, file, diagnostics);
  else if (!hasDefaultZone) {
    diagnostics.push(
      diagnostic("E0103", `calendar '${cal.id.name}' needs a timezone (or the agreement's timezone)`, file, cal.id.range),
    );
  }
  if (cal.hours.length === 0) {
    diagnostics.push(
      diagnostic("E0103", `calendar '${cal.id.name}' has no open hours; add e.g. 'hours mon-fri 09:00-17:00'`, file, cal.id.range),
    );
  }

  const byDay = new Map<A.Weekday, A.TimeRange[]>();
  for (const hours of cal.hours) {
    const days: A.Weekday[] = [];
    for (const spec of hours.days) {
      for (const part of [spec.from, spec.to]) {
        if (part && weekdayOf(part.name) === undefined) {
          diagnostics.push(
            diagnostic(
              "E0605",
              `unknown day '${part.name}'${didYouMean(part.name, WEEKDAYS)}: days are mon, tue, wed, thu, fri, sat, sun`,
              file,
              part.range,
            ),
          );
        }
      }
      const covered = daysOf(spec);
      if (covered) days.push(...covered);
      else if (weekdayOf(spec.from.name) && spec.to && weekdayOf(spec.to.name)) {
        diagnostics.push(
          diagnostic("E0605", `day range '${spec.from.name}-${spec.to.name}' runs backwards; write it from the earlier day`, file, spec.range),
        );
      }
    }
    for (const interval of hours.intervals) {
      if (interval.end.minutes <= interval.start.minutes) {
        diagnostics.push(
          diagnostic(
            "E0601",
            `hours ${interval.start.text}-${interval.end.text} end before they start; write the opening time first`,
            file,
            interval.range,
          ),
        );
        continue;
      }
      for (const day of days) {
        const existing = byDay.get(day) ?? [];
        const clash = existing.find((e) => e.start.minutes < interval.end.minutes && interval.start.minutes < e.end.minutes);
        if (clash) {
          diagnostics.push(
            diagnostic(
              "E0602",
              `hours ${interval.start.text}-${interval.end.text} on ${day} overlap ${clash.start.text}-${clash.end.text}`,
              file,
              interval.range,
            ),
          );
          break;
        }
        existing.push(interval);
        byDay.set(day, existing);
      }
    }
  }

  const seen = new Set<string>();
  for (const holiday of cal.holidays) {
    if (seen.has(holiday.value)) {
      diagnostics.push(diagnostic("W0104", `holiday ${holiday.value} is listed twice`, file, holiday.range));
    }
    seen.add(holiday.value);
  }
}

/** The registry's entry: a calendar without its own zone may use the agreement's. */
export function calendarBlock(cal: A.CalendarBlock, file: string, ctx: CheckContext): void {
  checkCalendar(cal, file, ctx.diagnostics, ctx.symbols.agreement?.node.timezone !== undefined);
}

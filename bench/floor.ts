/**
 * The floor: what the example policy costs when written by hand for this data and nothing
 * else. No library, no generality: naive comma splitting (the generator writes no quotes), the
 * four lead definitions as if statements, wall-clock minutes in New York (business hours never
 * touch the 02:00 clock change), the calendar and holidays written out. Same classification,
 * counting and touch matching as `eval`; its counts are compared with eval's by bench/run.ts.
 *
 *   node --import tsx bench/floor.ts bench/data/1000000   → one JSON line on stdout
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { forEachLine } from "./lines.js";

function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}
const c0 = 48;
/** "2026-12-03 14:22" → local minutes since 1970 (wall clock), or -1 when empty. */
function minutes(s: string): number {
  if (s.length < 16) return -1;
  const y = (s.charCodeAt(0) - c0) * 1000 + (s.charCodeAt(1) - c0) * 100 + (s.charCodeAt(2) - c0) * 10 + (s.charCodeAt(3) - c0);
  const m = (s.charCodeAt(5) - c0) * 10 + (s.charCodeAt(6) - c0);
  const d = (s.charCodeAt(8) - c0) * 10 + (s.charCodeAt(9) - c0);
  const h = (s.charCodeAt(11) - c0) * 10 + (s.charCodeAt(12) - c0);
  const mi = (s.charCodeAt(14) - c0) * 10 + (s.charCodeAt(15) - c0);
  return daysFromCivil(y, m, d) * 1440 + h * 60 + mi;
}

const HOLIDAYS = new Set([daysFromCivil(2026, 11, 26), daysFromCivil(2026, 12, 25), daysFromCivil(2027, 1, 1)]);
/** us_office: Mon–Thu 09:00–17:00, Fri 09:00–15:00. */
function openOn(day: number): [number, number] | null {
  if (HOLIDAYS.has(day)) return null;
  const weekday = (((day + 3) % 7) + 7) % 7; // 0 = Monday
  if (weekday <= 3) return [540, 1020];
  if (weekday === 4) return [540, 900];
  return null;
}
function businessDeadline(start: number, minutesNeeded: number): number {
  let left = minutesNeeded;
  let day = Math.floor(start / 1440);
  let t = start;
  for (;;) {
    const open = openOn(day);
    if (open) {
      const s = day * 1440 + open[0];
      const e = day * 1440 + open[1];
      if (e > t) {
        const from = Math.max(s, t);
        if (left <= e - from) return from + left;
        left -= e - from;
        t = e;
      }
    }
    day++;
  }
}

export function floor(dir: string) {
  const asOfLine = /as_of:\s*(\S+)/.exec(readFileSync(path.join(dir, "snapshot.yaml"), "utf8"))![1]!;
  // as_of is written with a -05:00 offset: its wall clock is the text before the offset.
  const asOf = minutes(asOfLine.replace("T", " "));
  const defs = { inbound: 0, mql: 0, sales_ready: 0, won: 0 };
  const volume = new Map<string, number>();
  // Per sales-ready lead: clock, deadlines, first touch, touches in 16 days.
  const tracked = new Map<string, number>();
  const clock: number[] = [];
  const ftDeadline: number[] = [];
  const capDeadline: number[] = [];
  const first: number[] = [];
  const count: number[] = [];
  let noClock = 0;
  let header = true;
  forEachLine(path.join(dir, "leads.csv"), (line) => {
    if (header) {
      header = false;
      return;
    }
    const f = line.split(",");
    const stage = f[2]!;
    const score = Number(f[3]);
    const employees = Number(f[4]);
    const created = minutes(f[10]!);
    const mqlAt = minutes(f[11]!);
    const sqlAt = minutes(f[12]!);
    if (created >= 0) defs.inbound++;
    const mql = stage === "marketingqualifiedlead" || stage === "salesqualifiedlead" || stage === "opportunity" || (score >= 60 && employees >= 50);
    if (!mql) {
      if (f[13] === "closedwon") defs.won++;
      return;
    }
    defs.mql++;
    // --as-of cuts everything (SPEC §8.1): a clock that starts after as_of is not counted yet.
    if (mqlAt >= 0 && mqlAt <= asOf) {
      const day = new Date(Math.floor(mqlAt / 1440) * 86_400_000);
      const key = `${day.getUTCFullYear()}-${day.getUTCMonth()}|${f[8]}`;
      volume.set(key, (volume.get(key) ?? 0) + 1);
    }
    const level = f[6];
    const ready = (f[7] === "true" || level === "VP" || level === "C-level") && !f[1]!.toLowerCase().endsWith("@gmail.com") && f[5] !== "";
    if (f[13] === "closedwon") defs.won++;
    if (!ready) return;
    defs.sales_ready++;
    if (sqlAt < 0) {
      noClock++;
      return;
    }
    if (sqlAt > asOf) return;
    tracked.set(f[0]!, clock.length);
    clock.push(sqlAt);
    ftDeadline.push(businessDeadline(sqlAt, 300));
    capDeadline.push(sqlAt + 16 * 1440);
    first.push(Infinity);
    count.push(0);
  });
  header = true;
  forEachLine(path.join(dir, "activities.csv"), (line) => {
    if (header) {
      header = false;
      return;
    }
    const c1 = line.indexOf(",");
    const c2 = line.indexOf(",", c1 + 1);
    const i = tracked.get(line.slice(0, c1));
    if (i === undefined) return;
    const type = line.slice(c1 + 1, c2);
    if (type !== "call" && type !== "email") return;
    const at = minutes(line.slice(c2 + 1, c2 + 17));
    if (at > asOf || at < clock[i]!) return;
    if (at < first[i]!) first[i] = at;
    if (at <= capDeadline[i]!) count[i]!++;
  });
  const firstTouch = { met: 0, breached: 0, pending: 0, noClock };
  const attemptCap = { met: 0, breached: 0, pending: 0, noClock };
  for (let i = 0; i < clock.length; i++) {
    if (first[i]! <= ftDeadline[i]!) firstTouch.met++;
    else if (asOf < ftDeadline[i]!) firstTouch.pending++;
    else firstTouch.breached++;
    if (count[i]! > 4) attemptCap.breached++;
    else if (asOf >= capDeadline[i]!) attemptCap.met++;
    else attemptCap.pending++;
  }
  let mqlVolume = 0;
  for (const n of volume.values()) mqlVolume += n;
  return { definitions: defs, firstTouch, attemptCap, mqlVolume };
}

if (process.argv[1]?.endsWith("floor.ts")) {
  const counts = floor(process.argv[2] ?? "bench/data/100000");
  process.stdout.write(`${JSON.stringify(counts)}\n`);
}

import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import { rng } from "../../scripts/script-support.js";

/**
 * A realistic team for the dashboard tests: 40 reps over 12 months (2026-12 to 2027-11) in the
 * example policy's column layout, from a seed (the same seed writes the same files). Every lead
 * is sales-ready; each rep answers in time with their own probability, and one rep (the 8th)
 * answered no lead at all in 2027-03, so the dashboard must show a 0% result.
 */
export const TEAM_SIZE = 40;
export const ZERO_REP_INDEX = 7;
export const ZERO_MONTH = "2027-03";
const ZONE = "America/New_York";
const NAMES = [
  "Aaliyah", "Bruno", "Chiara", "Dmitri", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Keanu", "Leila", "Mateo", "Nadia",
  "Oskar", "Priya", "Quinn", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wen", "Xena", "Yusuf", "Zoe", "Amara", "Bo", "Cyrus",
  "Dalia", "Emil", "Freya", "Gael", "Hana", "Ivan", "Jade", "Kofi", "Lucia", "Milan", "Noor",
];
export const REPS = NAMES.slice(0, TEAM_SIZE).map((n) => n.toLowerCase());

export function writeTeamSnapshot(dir: string, seed: number): { leads: number } {
  const random = rng(seed);
  const start = DateTime.fromISO("2026-12-01T09:00:00", { zone: ZONE });
  const asOf = DateTime.fromISO("2027-11-20T17:00:00", { zone: ZONE });
  const quality = REPS.map(() => 0.8 + random() * 0.2);
  const leads: string[] = [];
  const activities: string[][] = [];
  const local = (t: DateTime) => t.setZone(ZONE).toFormat("yyyy-MM-dd HH:mm");
  const days = Math.floor(asOf.diff(start, "days").days) - 3;
  let id = 0;
  for (let d = 0; d < days; d++) {
    for (const [r, rep] of REPS.entries()) {
      if (random() > 0.14) continue;
      const created = start.plus({ days: d, hours: Math.floor(random() * 8) });
      const sql = created.plus({ hours: 1 });
      const lead = `T${String(++id).padStart(5, "0")}`;
      const products = ["Analytics", "Automation", "Connect"];
      const closed = sql.plus({ days: 20 });
      const won = random() < 0.1 && closed < asOf;
      const deal = won ? ["closedwon", String(20_000 + Math.round(random() * 400) * 100), local(closed)] : ["", "", ""];
      leads.push([lead, `person.${id}@acme-corp.com`, "salesqualifiedlead", "80", "200", "US", "VP", "true", products[id % 3], rep, local(created), local(created), local(sql), ...deal].join(","));
      const silent = r === ZERO_REP_INDEX && sql.toFormat("yyyy-MM") === ZERO_MONTH;
      if (silent) continue;
      const late = random() > (quality[r] ?? 1);
      const touch = sql.plus(late ? { days: 3 } : { minutes: 20 });
      if (touch < asOf) activities.push([lead, "call", touch.toUTC().toISO({ suppressMilliseconds: true }) ?? "", rep]);
    }
  }
  const header = "id,email,lifecycle_stage,HubSpot Score,Number of Employees,country,job_level,demo_requested,product,Contact owner,Create Date,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,deal_stage,deal_amount,Close Date";
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "leads.csv"), [header, ...leads].join("\n") + "\n");
  activities.sort((a, b) => (a[2] ?? "").localeCompare(b[2] ?? ""));
  writeFileSync(path.join(dir, "activities.csv"), ["lead_id,type,at,owner", ...activities.map((a) => a.join(","))].join("\n") + "\n");
  writeFileSync(path.join(dir, "snapshot.yaml"), `# Written by test/report/team-snapshot.ts (seed ${seed}); synthetic.\nas_of: ${asOf.toUTC().toISO({ suppressMilliseconds: true })}\n`);
  return { leads: leads.length };
}

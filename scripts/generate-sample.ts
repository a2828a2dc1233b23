/**
 * Writes the bundled sample snapshot (snapshots/sample/) from a fixed seed, in the example
 * policy's column layout: a HubSpot-like export of leads and their sales activities.
 *
 *   npx tsx scripts/generate-sample.ts [--leads 800] [--seed 42] [--out snapshots/sample]
 *
 * The same seed always writes the same files; the tests evaluate the committed copy.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import { arg, rng } from "./script-support.js";

const ZONE = "America/New_York";
const count = Number(arg("leads", "800"));
const random = rng(Number(arg("seed", "42")));
const out = arg("out", "snapshots/sample");
const start = DateTime.fromISO("2026-12-01T00:00:00", { zone: ZONE });
const asOf = DateTime.fromISO("2027-03-15T17:00:00", { zone: ZONE });

const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;
const products = ["Analytics", "Automation", "Connect"] as const;
const owners = ["alice", "bob", "carmen", "deshawn", "emma"] as const;
const countries = ["US", "US", "US", "CA", "GB", "DE", ""] as const;
const levels = ["IC", "IC", "Manager", "Manager", "Director", "VP", "C-level"] as const;
const domains = ["acme-corp.com", "globex.io", "initech.com", "umbrella.co", "hooli.com", "gmail.com"] as const;
const first = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivo", "Jo", "Kai", "Lena", "Mo", "Nia"] as const;

function csvField(value: string): string {
  return /[",\r\n;]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
/** HubSpot writes local times without an offset. */
const local = (t: DateTime) => t.setZone(ZONE).toFormat("yyyy-MM-dd HH:mm");
/** Activity systems write UTC. */
const utc = (t: DateTime) => t.toUTC().toISO({ suppressMilliseconds: true })!;

/** A time during US office hours, mostly: leads arrive around the clock but peak in the day. */
function arrival(day: DateTime): DateTime {
  const hour = chance(0.75) ? 8 + Math.floor(random() * 10) : Math.floor(random() * 24);
  return day.set({ hour, minute: Math.floor(random() * 60) });
}

const leadRows: string[][] = [];
const activityRows: string[][] = [];
const spanDays = Math.floor(asOf.diff(start, "days").days);

for (let i = 1; i <= count; i++) {
  const id = `L${String(i).padStart(5, "0")}`;
  const created = arrival(start.plus({ days: Math.floor(random() * spanDays) }));
  const score = Math.floor(random() * 100);
  const employees = Math.floor(Math.exp(random() * Math.log(5000)));
  const product = pick(products);
  const owner = pick(owners);
  const level = pick(levels);
  const domain = pick(domains);
  const email = `${pick(first).toLowerCase()}.${i}@${domain}`;
  const demo = chance(0.3);
  let stage = "lead";
  let mqlAt: DateTime | undefined;
  let sqlAt: DateTime | undefined;
  let dealStage = "";
  let amount = "";
  let closedAt: DateTime | undefined;

  if ((score >= 55 && employees >= 30) || chance(0.12)) {
    mqlAt = created.plus({ hours: 1 + random() * 72 });
    stage = "marketingqualifiedlead";
    const fit = demo || level === "VP" || level === "C-level";
    if (fit && domain !== "gmail.com" && chance(0.8)) {
      sqlAt = mqlAt.plus({ hours: 2 + random() * 96 });
      stage = "salesqualifiedlead";
      if (chance(0.45)) {
        stage = "opportunity";
        dealStage = pick(["appointmentscheduled", "qualifiedtobuy", "presentationscheduled"]);
        if (chance(0.55)) {
          closedAt = sqlAt.plus({ days: 7 + random() * 40 });
          if (closedAt < asOf) {
            const won = chance(0.55);
            dealStage = won ? "closedwon" : "closedlost";
            stage = won ? "customer" : "opportunity";
            amount = String(Math.round((8_000 + random() * 50_000) / 100) * 100);
          } else {
            closedAt = undefined;
          }
        }
      }
    }
  }
  // Exports are taken at as_of: nothing can have happened later.
  if (mqlAt && mqlAt > asOf) {
    mqlAt = undefined;
    stage = "lead";
  }
  if (sqlAt && sqlAt > asOf) {
    sqlAt = undefined;
    if (stage !== "lead") stage = "marketingqualifiedlead";
  }

  leadRows.push([
    id,
    email,
    stage,
    String(score),
    String(employees),
    pick(countries),
    level,
    demo ? "true" : "false",
    product,
    owner,
    local(created),
    mqlAt ? local(mqlAt) : "",
    sqlAt ? local(sqlAt) : "",
    dealStage,
    amount,
    closedAt ? local(closedAt) : "",
  ]);

  if (sqlAt) {
    // Most reps answer within the hour; some are slow; a few never call.
    const responsiveness = random();
    if (responsiveness < 0.94) {
      let t = sqlAt.plus({ minutes: responsiveness < 0.8 ? 5 + random() * 90 : 300 + random() * 2000 });
      const attempts = chance(0.08) ? 5 + Math.floor(random() * 3) : 1 + Math.floor(random() * 4);
      for (let a = 0; a < attempts && t < asOf; a++) {
        activityRows.push([id, a === 0 ? pick(["call", "email"]) : pick(["call", "email", "email"]), utc(t), owner]);
        t = t.plus({ hours: 20 + random() * 70 });
      }
      if (chance(0.3)) activityRows.push([id, "meeting", utc(sqlAt.plus({ days: 3 + random() * 10 }).set({ hour: 14 })), owner]);
    }
  }
  // Marketing nurture e-mails do not count as sales touches.
  if (mqlAt && chance(0.5)) activityRows.push([id, "marketing_email", utc(mqlAt.plus({ hours: 1 })), "marketing"]);
}

const header = [
  "id", "email", "lifecycle_stage", "HubSpot Score", "Number of Employees", "country", "job_level", "demo_requested",
  "product", "Contact owner", "Create Date", "Became a Marketing Qualified Lead Date", "Became a Sales Qualified Lead Date",
  "deal_stage", "deal_amount", "Close Date",
];
activityRows.sort((a, b) => a[2]!.localeCompare(b[2]!));
mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, "leads.csv"), [header, ...leadRows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n");
writeFileSync(
  path.join(out, "activities.csv"),
  [["lead_id", "type", "at", "owner"], ...activityRows].map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n",
);
writeFileSync(
  path.join(out, "snapshot.yaml"),
  [
    `# Written by scripts/generate-sample.ts (seed ${arg("seed", "42")}); synthetic data, no real people.`,
    `as_of: ${asOf.toUTC().toISO({ suppressMilliseconds: true })}`,
    "source: HubSpot contacts export and sales activity log (synthetic sample)",
    "notes: Lead dates are local New York times without an offset, as HubSpot exports them.",
    "",
  ].join("\n"),
);
console.log(`wrote ${leadRows.length} leads and ${activityRows.length} activities to ${out}`);

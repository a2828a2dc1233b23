/**
 * A seeded synthetic CRM export in the example policy's column layout (policies/), for the
 * benchmark: `leads` leads and about three activities per lead. Timestamps are written as
 * HubSpot writes them, local New York time without an offset.
 *
 *   npx tsx bench/generate.ts --leads 1000000 --out bench/data/1000000 [--seed 7]
 */
import { mkdirSync, openSync, writeSync, closeSync, writeFileSync } from "node:fs";
import path from "node:path";
import { arg, rng } from "../scripts/script-support.js";

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
/** Local wall-clock minutes since 2026-12-01 00:00 → "yyyy-mm-dd HH:MM" (no zone arithmetic needed). */
const MONTH_DAYS = [31, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30]; // Dec 2026 … Nov 2027
const MONTH_LABEL = ["2026-12", "2027-01", "2027-02", "2027-03", "2027-04", "2027-05", "2027-06", "2027-07", "2027-08", "2027-09", "2027-10", "2027-11"];
function local(minutes: number): string {
  let day = Math.floor(minutes / 1440);
  const m = minutes - day * 1440;
  let month = 0;
  while (month < 11 && day >= MONTH_DAYS[month]!) day -= MONTH_DAYS[month++]!;
  return `${MONTH_LABEL[month]}-${pad2(day + 1)} ${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`;
}

export function generate(leads: number, out: string, seed: number): { leads: number; activities: number } {
  mkdirSync(out, { recursive: true });
  const random = rng(seed);
  const products = ["Analytics", "Automation", "Connect", "Insights", "Studio"];
  const owners = Array.from({ length: 40 }, (_, i) => `rep${String(i + 1).padStart(2, "0")}`);
  const countries = ["US", "US", "US", "CA", "GB", "DE", "FR", ""];
  const levels = ["IC", "IC", "Manager", "Manager", "Director", "VP", "C-level"];
  const stages = ["lead", "lead", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer"];
  const span = 100 * 1440; // Dec 1 to Mar 10, local minutes
  const leadsFd = openSync(path.join(out, "leads.csv"), "w");
  const actsFd = openSync(path.join(out, "activities.csv"), "w");
  writeSync(
    leadsFd,
    "id,email,lifecycle_stage,HubSpot Score,Number of Employees,country,job_level,demo_requested,product,Contact owner,Create Date,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,deal_stage,deal_amount,Close Date\n",
  );
  writeSync(actsFd, "lead_id,type,at,owner\n");
  let leadBuf = "";
  let actBuf = "";
  let activities = 0;
  for (let i = 1; i <= leads; i++) {
    const id = `L${i}`;
    const created = Math.floor(random() * span);
    const score = Math.floor(random() * 100);
    const employees = Math.floor(Math.exp(random() * 8.5));
    const stage = stages[Math.floor(random() * stages.length)]!;
    const owner = owners[Math.floor(random() * owners.length)]!;
    const demo = random() < 0.3;
    const mqlAt = stage !== "lead" || (score >= 60 && employees >= 50) ? created + 60 + Math.floor(random() * 4000) : -1;
    const sqlAt = mqlAt >= 0 && stage !== "marketingqualifiedlead" && random() < 0.7 ? mqlAt + 60 + Math.floor(random() * 6000) : -1;
    const won = stage === "customer" && sqlAt >= 0;
    const closed = won ? sqlAt + 1440 * (5 + Math.floor(random() * 30)) : -1;
    const email = `p${i}@${random() < 0.15 ? "gmail.com" : "corp.example"}`;
    leadBuf += `${id},${email},${stage},${score},${employees},${countries[Math.floor(random() * countries.length)]},${levels[Math.floor(random() * levels.length)]},${demo},${products[Math.floor(random() * products.length)]},${owner},${local(created)},${mqlAt >= 0 ? local(mqlAt) : ""},${sqlAt >= 0 ? local(sqlAt) : ""},${won ? "closedwon" : ""},${won ? 5000 + Math.floor(random() * 60000) : ""},${won ? local(closed) : ""}\n`;
    // About three activities per lead: sales attempts after the SQL date, marketing e-mails before.
    const n = Math.floor(random() * 7);
    for (let k = 0; k < n; k++) {
      const base = sqlAt >= 0 ? sqlAt : created;
      const at = base + Math.floor(random() * (k === 0 ? 600 : 30000));
      const type = sqlAt >= 0 ? (random() < 0.55 ? "call" : random() < 0.8 ? "email" : "meeting") : "marketing_email";
      actBuf += `${id},${type},${local(at)},${owner}\n`;
      activities++;
    }
    if (i % 20000 === 0) {
      writeSync(leadsFd, leadBuf);
      writeSync(actsFd, actBuf);
      leadBuf = "";
      actBuf = "";
    }
  }
  writeSync(leadsFd, leadBuf);
  writeSync(actsFd, actBuf);
  closeSync(leadsFd);
  closeSync(actsFd);
  writeFileSync(path.join(out, "snapshot.yaml"), `# Synthetic benchmark data (bench/generate.ts, seed ${seed}).\nas_of: 2027-03-10T17:00:00-05:00\nsource: bench/generate.ts\n`);
  return { leads, activities };
}

if (process.argv[1]?.endsWith("generate.ts")) {
  const leads = Number(arg("leads", "100000"));
  const out = arg("out", `bench/data/${leads}`);
  const result = generate(leads, out, Number(arg("seed", "7")));
  console.log(`wrote ${result.leads} leads and ${result.activities} activities to ${out}`);
}

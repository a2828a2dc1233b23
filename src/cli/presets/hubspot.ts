/**
 * `init --crm hubspot`: fields that read a HubSpot contacts export and a HubSpot activity
 * export as HubSpot writes them: its column names ("Record ID", "Contact owner"), its labels
 * ("Marketing Qualified Lead"), owners by name, local times in the account's zone
 * ("2027-01-12 10:00"). Sources: docs/snapshots.md, "From HubSpot".
 */
import { DateTime } from "luxon";
import { agreementFile, manifest } from "./common.js";
import type { Preset, SampleSnapshot } from "./preset.js";
import { csvFile, Dice, repHours } from "./sample-support.js";

const ZONE = "America/New_York";
const TIME = "yyyy-MM-dd HH:mm";

const FIELDS = `
# The columns of a HubSpot contacts export (a contacts view, Export, CSV), named and written as
# HubSpot writes them. Other columns are ignored.
fields {
  id                 text from "Record ID"
  lifecycle_stage    text one of ["Subscriber", "Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer", "Evangelist", "Other"] from "Lifecycle Stage"
  owner              text from "Contact owner"
  became_mql_at      time from "Became a Marketing Qualified Lead Date" format "${TIME}"
  became_sql_at      time from "Became a Sales Qualified Lead Date" format "${TIME}"
  became_customer_at time from "Became a Customer Date" format "${TIME}"
  deal_amount        money USD from "Recent Deal Amount" format "1,234.56"
  # More of the export's columns, for your definitions, SLAs and goals (uncomment to use):
  # email       text pii from "Email"
  # lead_status text from "Lead Status"
  # lead_score  number from "HubSpot Score"
  # employees   number from "Number of Employees" format "1,234.56"
  # source      text from "Original Source"
  # created_at  time from "Create Date" format "${TIME}"
}

# An activity export (calls, e-mails and meetings with their contact's Record ID).
activity fields {
  lead_id text from "Associated Contact IDs"
  type    text from "Activity Type"
  at      time from "Activity date" format "${TIME}"
  owner   text from "Activity assigned to"
  outcome text from "Call outcome"
}
`;

const AGREEMENT = agreementFile(
  "# Its fields read HubSpot's exports as HubSpot writes them (smarketing-policy init --crm hubspot).\n",
  "HubSpot writes times in the account's zone (Settings > Account Defaults): the same here",
  FIELDS,
);

const LEADS = `lead mql "Marketing qualified lead" {
  when lifecycle_stage in ["Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer"]
  since became_mql_at
}

lead sales_ready "Sales-ready lead" {
  when lifecycle_stage in ["Sales Qualified Lead", "Opportunity", "Customer"]
  since became_sql_at
}

lead won "Customer" {
  when lifecycle_stage = "Customer"
  since became_customer_at
}
`;

const SLAS = `# Marketing delivers 40 MQLs a month.
sla mql_volume "40 MQLs a month" {
  owner marketing
  leads mql
  expect count >= 40
  per month
}

# Sales makes a first attempt within 5 business hours.
sla first_touch "First attempt within 5 business hours" {
  owner sales
  leads sales_ready
  touches type in ["Call", "Email"]
  expect first touch within 5 business hours
  target 90%
  per month
  by owner
}

# No more than 4 attempts in 16 days.
sla attempt_cap "No more than 4 attempts in 16 days" {
  owner sales
  leads sales_ready
  touches type in ["Call", "Email"]
  expect touches within 16 days <= 4
}
`;

const GOALS = `# Revenue worked backwards: 300,000 / 20,000 = 15 deals; at 25% won, 60 sales-ready
# leads; at 50% sales-ready, 120 MQLs a quarter.
goal revenue "Quarterly revenue" {
  owner sales, marketing
  revenue 300_000 USD per quarter from deal_amount
  average deal 20_000 USD
  funnel mql -> sales_ready 50% -> won 25%
}
`;

const TESTS = `# The agreement's own tests: npx smarketing-policy test
# Values are written as the export writes them (times "2027-01-12 10:00", in the agreement's zone).
as_of: 2027-01-15T17:00:00-05:00

tests:
  - name: The lifecycle stage makes an MQL or a sales-ready lead
    leads:
      - { id: "101", lifecycle_stage: Sales Qualified Lead, owner: Alice Moreau, became_sql_at: "2027-01-12 10:00" }
      - { id: "102", lifecycle_stage: Lead }
      - { id: "103", lifecycle_stage: Marketing Qualified Lead }
    activities:
      - { lead_id: "101", type: Call, at: "2027-01-12 11:00" }
    expect:
      leads:
        "101": { in: [mql, sales_ready], not_in: [won], slas: { first_touch: met, attempt_cap: pending } }
        "102": { not_in: [mql, sales_ready] }
        "103": { in: [mql], not_in: [sales_ready] }

  - name: A call after 5 business hours misses first touch; a fifth attempt breaks the cap
    leads:
      - { id: slow, lifecycle_stage: Sales Qualified Lead, owner: Ben Okafor, became_sql_at: "2027-01-04 09:00" }
    activities:
      - { lead_id: slow, type: Call, at: "2027-01-05 09:00" }
      - { lead_id: slow, type: Call, at: "2027-01-06 09:00" }
      - { lead_id: slow, type: Email, at: "2027-01-07 09:00" }
      - { lead_id: slow, type: Call, at: "2027-01-08 09:00" }
      - { lead_id: slow, type: Call, at: "2027-01-11 09:00" }
    expect:
      leads:
        slow: { slas: { first_touch: breached, attempt_cap: breached } }

  - name: MQLs are counted in the month they qualified
    leads:
      - { id: m1, lifecycle_stage: Marketing Qualified Lead, became_mql_at: "2027-01-04 10:00" }
      - { id: m2, lifecycle_stage: Opportunity, became_mql_at: "2027-01-05 10:00" }
    expect:
      slas:
        - { sla: mql_volume, period: 2027-01, value: 2 }

  - name: The revenue goal needs 15 deals, 60 sales-ready leads and 120 MQLs a quarter
    leads:
      - { id: w1, lifecycle_stage: Customer, deal_amount: 20000, became_customer_at: "2027-01-10 12:00" }
    expect:
      leads:
        w1: { in: [won] }
      goals:
        - { goal: revenue, stage: won, required: 15, actual: 1 }
        - { goal: revenue, stage: sales_ready, required: 60 }
        - { goal: revenue, stage: mql, required: 120 }
`;

const EXPORTING = `## Exporting from HubSpot

1. **Contacts**: in Contacts, open a view with the contacts the agreement covers, *Export*,
   file format CSV, "include all properties" (or at least the columns \`policies/agreement.policy\`
   reads). Save it as \`snapshots/YYYY-MM-DD/leads.csv\`.
2. **Activities**: export the calls, e-mails and meetings of the same period with their
   *Activity Type*, *Activity date*, *Activity assigned to* and *Associated Contact IDs* as
   \`snapshots/YYYY-MM-DD/activities.csv\`.
3. Write \`snapshots/YYYY-MM-DD/snapshot.yaml\` with \`as_of:\` (when you exported).

HubSpot writes times in the account's time zone without an offset: keep \`timezone\` in
\`policies/agreement.policy\` the same as Settings > Account Defaults > Time Zone.
`;

const OWNERS = ["Alice Moreau", "Ben Okafor", "Chen Wei", "Dana Kowalski"] as const;
const SOURCES = ["Organic Search", "Paid Search", "Direct Traffic", "Social Media", "Email Marketing", "Referrals", "Offline Sources"] as const;
const FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Keiko", "Luis", "Maya", "Nils"] as const;
const LAST = ["Lopez", "Smith", "Nguyen", "Patel", "Schmidt", "Rossi", "Kim", "Dubois", "Silva", "Novak"] as const;
const COMPANIES = ["Northwind", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark Logistics", "Wayne Foods"] as const;
const STAGES = ["Subscriber", "Lead", "Marketing Qualified Lead", "Sales Qualified Lead", "Opportunity", "Customer"] as const;
type Stage = (typeof STAGES)[number];

const LEAD_HEADER = [
  "Record ID", "First Name", "Last Name", "Email", "Phone Number", "Company Name", "Job Title", "Lifecycle Stage", "Lead Status",
  "HubSpot Score", "Number of Employees", "Original Source", "Contact owner", "Create Date", "Became a Marketing Qualified Lead Date",
  "Became a Sales Qualified Lead Date", "Became a Customer Date", "Recent Deal Amount", "Last Activity Date",
];
const ACTIVITY_HEADER = ["Record ID", "Activity Type", "Activity date", "Activity assigned to", "Call outcome", "Call direction", "Associated Contact", "Associated Contact IDs"];

const START = DateTime.fromISO("2027-01-04T00:00", { zone: ZONE });
const AS_OF = DateTime.fromISO("2027-02-15T17:00", { zone: ZONE });
const local = (t: DateTime | undefined) => (t ? t.setZone(ZONE).toFormat(TIME) : "");

/** A weekday time during or near office hours, `days` after START. */
function workTime(dice: Dice, days: number): DateTime {
  let t = START.plus({ days });
  while (t.weekday > 5) t = t.plus({ days: 1 });
  return t.set({ hour: dice.between(8, 18), minute: dice.between(0, 59) });
}

/** How far a contact got, and when: each stage some hours or days after the previous one, never after as_of. */
function journey(dice: Dice, created: DateTime): { stage: Stage; mql?: DateTime; sql?: DateTime; customer?: DateTime } {
  const target = STAGES[Math.min(STAGES.length - 1, Math.floor(dice.next() * dice.next() * 9))]!;
  const reached = (stage: Stage) => STAGES.indexOf(target) >= STAGES.indexOf(stage);
  const mql = reached("Marketing Qualified Lead") ? created.plus({ minutes: dice.between(5, 600) }) : undefined;
  const sql = mql && reached("Sales Qualified Lead") ? mql.plus({ hours: dice.between(2, 72) }) : undefined;
  const customer = sql && target === "Customer" ? sql.plus({ days: dice.between(5, 25) }) : undefined;
  if (customer && customer > AS_OF) return { stage: "Opportunity", mql, sql };
  if (sql && sql > AS_OF) return { stage: "Marketing Qualified Lead", mql };
  if (mql && mql > AS_OF) return { stage: "Lead" };
  return { stage: target, mql, sql, customer };
}

interface Touch {
  type: "Call" | "Email" | "Meeting";
  at: DateTime;
  owner: string;
}

/** A sales-ready contact's touches: mostly a call within hours, sometimes late; a few follow-ups. */
function touches(dice: Dice, sql: DateTime, owner: string): Touch[] {
  const first = repHours(sql.plus({ minutes: dice.chance(0.85) ? dice.between(10, 240) : dice.between(1500, 4000) }), dice);
  const out: Touch[] = [{ type: dice.chance(0.8) ? "Call" : "Email", at: first, owner }];
  let at = first;
  for (let k = dice.between(0, 4); k > 0; k--) {
    at = repHours(at.plus({ hours: dice.between(20, 90) }), dice);
    out.push({ type: dice.pick(["Call", "Email", "Email", "Meeting"] as const), at, owner: dice.chance(0.9) ? owner : dice.pick(OWNERS) });
  }
  return out.filter((t) => t.at <= AS_OF);
}

/** The sample: about 240 contacts created in January and early February 2027, and their activities. */
function sample(seed: number): SampleSnapshot {
  const dice = new Dice(seed);
  const leads: string[][] = [];
  const activities: string[][] = [];
  for (let i = 1; i <= 240; i++) {
    const id = String(70_180_000_000 + i * 97);
    const [first, last] = [dice.pick(FIRST), dice.pick(LAST)];
    const company = dice.pick(COMPANIES);
    const created = workTime(dice, dice.between(0, 38));
    const j = journey(dice, created);
    const owner = j.mql ? dice.pick(OWNERS) : dice.chance(0.5) ? dice.pick(OWNERS) : "";
    const done = j.sql ? touches(dice, j.sql, owner) : [];
    for (const t of done) {
      const call = t.type === "Call";
      const outcome = call ? dice.pick(["Connected", "No answer", "Left live message", "Left voicemail", "Busy"]) : "";
      activities.push([String(90_000_000 + activities.length * 13 + 1), t.type, local(t.at), t.owner, outcome, call ? "Outbound" : "", `${first} ${last}`, id]);
    }
    const status = j.customer ? "Open Deal" : done.length > 0 ? dice.pick(["Connected", "Attempted to Contact", "In Progress"]) : j.mql ? "New" : dice.pick(["", "New", "Unqualified"]);
    leads.push([
      id, first, last, `${first}.${last}${i}@${company.toLowerCase().replace(/ /g, "")}.example`.toLowerCase(), `+1 555 01${String(i).padStart(2, "0").slice(-2)}`, company,
      dice.pick(["Marketing Manager", "VP Sales", "Head of Operations", "Analyst", "CTO", ""]), j.stage, status, String(dice.between(j.mql ? 45 : 0, 100)),
      String(Math.round(Math.exp(dice.next() * Math.log(8000)))), dice.pick(SOURCES), owner, local(created), local(j.mql), local(j.sql), local(j.customer),
      j.customer ? String(dice.between(8, 40) * 1000) : "", local(done[done.length - 1]?.at),
    ]);
  }
  activities.sort((a, b) => (a[2]! < b[2]! ? -1 : a[2]! > b[2]! ? 1 : 0));
  return { leads: csvFile(LEAD_HEADER, leads), activities: csvFile(ACTIVITY_HEADER, activities), manifest: manifest("HubSpot", AS_OF.toISO({ suppressMilliseconds: true, suppressSeconds: true })!) };
}

export const HUBSPOT: Preset = {
  name: "HubSpot",
  policies: { "agreement.policy": AGREEMENT, "leads.policy": LEADS, "slas.policy": SLAS, "goals.policy": GOALS, "agreement.test.yaml": TESTS },
  sample,
  exporting: EXPORTING,
};

/**
 * `init --crm salesforce`: fields that read a Salesforce lead report and an activity report
 * ("Details Only", CSV) as Salesforce writes them: report column labels ("Lead ID", "Lead
 * Owner", "Lead Status", "Created Date"), picklist labels ("Working - Contacted"), owners by
 * name, dates and times in the exporting user's locale and zone ("1/12/2027 10:05 AM" for
 * English (United States)). Sources: docs/snapshots.md, "From Salesforce".
 */
import { DateTime } from "luxon";
import { agreementFile, manifest } from "./common.js";
import type { Preset, SampleSnapshot } from "./preset.js";
import { csvFile, Dice, repHours } from "./sample-support.js";

const ZONE = "America/New_York";
const TIME = "M/d/yyyy h:mm a";
const DATE = "M/d/yyyy";

const FIELDS = `
# The columns of a Salesforce lead report (Details Only, exported as CSV), named and written as
# Salesforce writes them for a user whose locale is English (United States). Other columns are
# ignored. Another locale writes other dates: English (United Kingdom) "dd/MM/yyyy HH:mm".
fields {
  id             text from "Lead ID"
  status         text one of ["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"] from "Lead Status"
  source         text from "Lead Source"
  owner          text from "Lead Owner"
  employees      number from "No. of Employees" format "1,234.56"
  annual_revenue money USD from "Annual Revenue" format "1,234.56"
  created_at     time from "Created Date" format "${TIME}"
  is_converted   boolean from "Converted"
  converted_at   date from "Converted Date" format "${DATE}"
  # More of the report's columns, for your definitions, SLAs and goals (uncomment to use):
  # email  text pii from "Email"
  # rating text from "Rating"
}

# An activity report (Tasks and Events with the lead's ID). A task's "Date" is its due date,
# without a time; when the call or e-mail was logged is its "Created Date".
activity fields {
  lead_id text from "Lead ID"
  type    text from "Type"
  at      time from "Created Date" format "${TIME}"
  owner   text from "Assigned"
  result  text from "Call Result"
}
`;

const AGREEMENT = agreementFile(
  "# Its fields read Salesforce report exports as Salesforce writes them (smarketing-policy init --crm salesforce).\n",
  "Salesforce writes times in the exporting user's zone: the same here",
  FIELDS,
);

const LEADS = `lead inbound "Inbound lead: it came to us" {
  when source in ["Web", "Phone Inquiry", "Partner Referral"]
  since created_at
}

lead accepted "Accepted by sales: being worked or converted" {
  when status in ["Working - Contacted", "Closed - Converted"]
  since created_at
}

lead converted "Converted to a contact and an opportunity" {
  when is_converted
  since converted_at
}

lead target_account "From a target account: 1,000 employees or $50M revenue" {
  when employees >= 1_000 or annual_revenue >= 50_000_000 USD
  since created_at
}
`;

const SLAS = `# Marketing delivers 60 inbound leads a month.
sla inbound_volume "60 inbound leads a month" {
  owner marketing
  leads inbound
  expect count >= 60
  per month
}

# At least 30% of inbound leads are worth working.
sla inbound_quality "At least 30% of inbound leads accepted" {
  owner marketing
  leads inbound
  expect rate of accepted >= 30%
  per quarter
  severity soft
}

# Sales calls or e-mails every inbound lead within 4 business hours.
sla first_touch "First attempt within 4 business hours" {
  owner sales
  leads inbound
  touches type in ["Call", "Email"]
  expect first touch within 4 business hours
  target 90%
  per month
  by owner
}

# Sales converts at least 15% of the leads from target accounts.
sla target_conversion "At least 15% of target-account leads converted" {
  owner sales
  leads target_account
  expect rate of converted >= 15%
  per quarter
  severity soft
}

# No more than 6 attempts in 14 days.
sla attempt_cap "No more than 6 attempts in 14 days" {
  owner sales
  leads inbound
  touches type in ["Call", "Email"]
  expect touches within 14 days <= 6
}
`;

const TESTS = `# The agreement's own tests: npx smarketing-policy test
# Lead values are written as the export writes them (times "1/12/2027 10:00 AM", in the
# agreement's zone); activity times in ISO 8601.
as_of: 2027-01-15T17:00:00-05:00

tests:
  - name: Lead Source makes an inbound lead, Lead Status an accepted one
    leads:
      - { id: 00Q5f000001AbcA, source: Web, status: Working - Contacted, owner: Priya Shah, created_at: "1/12/2027 10:00 AM" }
      - { id: 00Q5f000001AbcB, source: Purchased List, status: Open - Not Contacted, annual_revenue: "$75,000,000.00" }
      - { id: 00Q5f000001AbcC, source: Phone Inquiry, status: Closed - Not Converted, created_at: "1/13/2027 9:00 AM" }
    activities:
      - { lead_id: 00Q5f000001AbcA, type: Call, at: 2027-01-12T11:00:00-05:00 }
    expect:
      leads:
        00Q5f000001AbcA: { in: [inbound, accepted], not_in: [converted], slas: { first_touch: met, attempt_cap: pending } }
        00Q5f000001AbcB: { in: [target_account], not_in: [inbound, accepted] }
        00Q5f000001AbcC: { in: [inbound], not_in: [accepted] }

  - name: A call the next afternoon misses first touch; a seventh attempt breaks the cap
    leads:
      - { id: slow, source: Web, status: Working - Contacted, owner: Tom Becker, created_at: "1/4/2027 9:00 AM" }
    activities:
      - { lead_id: slow, type: Call, at: 2027-01-05T14:00:00-05:00 }
      - { lead_id: slow, type: Email, at: 2027-01-05T15:00:00-05:00 }
      - { lead_id: slow, type: Call, at: 2027-01-06T09:00:00-05:00 }
      - { lead_id: slow, type: Call, at: 2027-01-07T09:00:00-05:00 }
      - { lead_id: slow, type: Email, at: 2027-01-08T09:00:00-05:00 }
      - { lead_id: slow, type: Call, at: 2027-01-11T09:00:00-05:00 }
      - { lead_id: slow, type: Call, at: 2027-01-12T09:00:00-05:00 }
    expect:
      leads:
        slow: { slas: { first_touch: breached, attempt_cap: breached } }

  - name: Inbound leads are counted in the month they were created
    leads:
      - { id: n1, source: Web, status: Open - Not Contacted, created_at: "1/4/2027 10:00 AM" }
      - { id: n2, source: Partner Referral, status: Closed - Converted, is_converted: true, converted_at: "1/9/2027", employees: 2500, created_at: "1/5/2027 10:00 AM" }
    expect:
      leads:
        n1: { not_in: [target_account, converted] }
        n2: { in: [inbound, accepted, converted, target_account] }
      slas:
        - { sla: inbound_volume, period: 2027-01, value: 2 }
        - { sla: inbound_quality, period: 2027-Q1, value: 0.5, leads: 2 }
        - { sla: target_conversion, period: 2027-Q1, value: 1, leads: 1 }
`;

const EXPORTING = `## Exporting from Salesforce

1. **Leads**: a lead report (Leads, or Leads with converted lead information) with the columns
   \`policies/agreement.policy\` reads (*Lead ID*, *Lead Owner*, *Lead Status*, *Lead Source*,
   *Created Date*, …). *Export*, **Details Only**, format *Comma Delimited .csv*, encoding UTF-8.
   Save it as \`snapshots/YYYY-MM-DD/leads.csv\`.
2. **Activities**: a Tasks and Events report with *Lead ID*, *Type*, *Created Date*,
   *Assigned* and *Call Result*, exported the same way, as \`snapshots/YYYY-MM-DD/activities.csv\`.
3. Write \`snapshots/YYYY-MM-DD/snapshot.yaml\` with \`as_of:\` (when you exported).

Salesforce writes dates in the exporting user's locale and times in that user's zone, without
an offset: keep \`timezone\` in \`policies/agreement.policy\` the same as the user's, and if
the locale is not English (United States), change the fields' \`format\` to match the file
(for example "dd/MM/yyyy HH:mm" for English (United Kingdom)).
`;

const OWNERS = ["Priya Shah", "Tom Becker", "Lucia Ferraro", "Sam Adeyemi"] as const;
const SOURCES = ["Web", "Web", "Phone Inquiry", "Partner Referral", "Purchased List", "Other"] as const;
const FIRST = ["Ana", "Ben", "Chloe", "Dev", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Keiko", "Luis", "Maya", "Nils"] as const;
const LAST = ["Lopez", "Smith", "Nguyen", "Patel", "Schmidt", "Rossi", "Kim", "Dubois", "Silva", "Novak"] as const;
const COMPANIES = ["Northwind", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark Logistics", "Wayne Foods"] as const;
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

const LEAD_HEADER = [
  "Lead ID", "Lead Owner", "First Name", "Last Name", "Title", "Company / Account", "Email", "Phone", "Lead Source", "Lead Status",
  "Rating", "No. of Employees", "Annual Revenue", "Created Date", "Converted", "Converted Date", "Last Activity",
];
const ACTIVITY_HEADER = ["Assigned", "Subject", "Type", "Call Result", "Date", "Created Date", "Lead ID", "Company / Account"];

const START = DateTime.fromISO("2027-01-04T00:00", { zone: ZONE });
const AS_OF = DateTime.fromISO("2027-02-15T17:00", { zone: ZONE });
const us = (t: DateTime | undefined) => (t ? t.setZone(ZONE).toFormat(TIME, { locale: "en-US" }) : "");
const usDate = (t: DateTime | undefined) => (t ? t.setZone(ZONE).toFormat(DATE) : "");
/** Salesforce writes currency with its symbol and separators: "$1,250,000.00". */
const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** A 15-character lead id: the 00Q key prefix, the pod, then base-62 characters. */
function leadId(dice: Dice): string {
  let id = "00Q5f00000";
  while (id.length < 15) id += ALPHABET[dice.between(0, ALPHABET.length - 1)];
  return id;
}

interface Touch {
  type: "Call" | "Email" | "Meeting";
  at: DateTime;
  owner: string;
}

/** A worked lead's touches: a call or e-mail within hours (sometimes the next day), then follow-ups. */
function touches(dice: Dice, created: DateTime, owner: string): Touch[] {
  const first = repHours(created.plus({ minutes: dice.chance(0.8) ? dice.between(15, 200) : dice.between(1300, 3000) }), dice);
  const out: Touch[] = [{ type: dice.chance(0.7) ? "Call" : "Email", at: first, owner }];
  let at = first;
  for (let k = dice.between(0, 5); k > 0; k--) {
    at = repHours(at.plus({ hours: dice.between(18, 70) }), dice);
    out.push({ type: dice.pick(["Call", "Call", "Email", "Meeting"] as const), at, owner: dice.chance(0.9) ? owner : dice.pick(OWNERS) });
  }
  return out.filter((t) => t.at <= AS_OF);
}

/** The sample: about 260 leads created in January and early February 2027, and their activities. */
function sample(seed: number): SampleSnapshot {
  const dice = new Dice(seed);
  const leads: string[][] = [];
  const activities: Array<{ at: DateTime; row: string[] }> = [];
  for (let i = 1; i <= 260; i++) {
    const id = leadId(dice);
    const [first, last, company] = [dice.pick(FIRST), dice.pick(LAST), dice.pick(COMPANIES)];
    let created = START.plus({ days: dice.between(0, 41) });
    while (created.weekday > 5) created = created.plus({ days: 1 });
    created = created.set({ hour: dice.between(7, 19), minute: dice.between(0, 59) });
    if (created > AS_OF) created = created.minus({ weeks: 1 });
    const owner = dice.pick(OWNERS);
    const worked = dice.chance(0.88);
    const done = worked ? touches(dice, created, owner) : [];
    const convertedAt = done.length >= 3 && dice.chance(0.3) ? done[done.length - 1]!.at.plus({ days: 1 }) : undefined;
    const converted = convertedAt !== undefined && convertedAt <= AS_OF;
    const status = converted ? "Closed - Converted" : done.length === 0 ? "Open - Not Contacted" : dice.chance(0.15) ? "Closed - Not Converted" : "Working - Contacted";
    for (const t of done) {
      const subject = t.type === "Call" ? "Call" : t.type === "Email" ? `Email: Following up with ${company}` : "Intro meeting";
      const result = t.type === "Call" ? dice.pick(["Connected", "Left Voicemail", "No Answer", ""]) : "";
      activities.push({ at: t.at, row: [t.owner, subject, t.type, result, usDate(t.at), us(t.at), id, company] });
    }
    leads.push([
      id, owner, first, last, dice.pick(["Marketing Manager", "VP Sales", "Head of Operations", "Analyst", "CTO", ""]), company,
      `${first}.${last}${i}@${company.toLowerCase().replace(/ /g, "")}.example`.toLowerCase(), `(555) 555-${String(1000 + i).slice(-4)}`,
      dice.pick(SOURCES), status, dice.pick(["Hot", "Warm", "Cold", ""]), Math.round(Math.exp(dice.next() * Math.log(20000))).toLocaleString("en-US"),
      usd(dice.between(1, 500) * 50_000), us(created), converted ? "1" : "0", converted ? usDate(convertedAt) : "", usDate(done[done.length - 1]?.at),
    ]);
  }
  activities.sort((a, b) => a.at.toMillis() - b.at.toMillis());
  return {
    // A "Details Only" export quotes every field.
    leads: csvFile(LEAD_HEADER, leads, true),
    activities: csvFile(ACTIVITY_HEADER, activities.map((a) => a.row), true),
    manifest: manifest("Salesforce", AS_OF.toISO({ suppressMilliseconds: true, suppressSeconds: true })!),
  };
}

export const SALESFORCE: Preset = {
  name: "Salesforce",
  policies: { "agreement.policy": AGREEMENT, "leads.policy": LEADS, "slas.policy": SLAS, "agreement.test.yaml": TESTS },
  sample,
  exporting: EXPORTING,
};

/**
 * The starter repository `smarketing-policy init` writes: the seed agreement of SPEC §1, its
 * tests, a small sample snapshot that complies with it, the workflows, CODEOWNERS and a README.
 */
import { agreementFile } from "./presets/common.js";

// The parties and the calendar are the presets' too (presets/common.ts): written once.
export const AGREEMENT = agreementFile("", "periods and calendars are read in this zone", `
# The columns of your CRM export, and their types.
fields {
  email           text pii
  lifecycle_stage text one of ["lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer"]
  lead_score      number from "HubSpot Score"
  product         text
  owner           text from "Contact owner"
  demo_requested  boolean
  became_mql_at   time from "Became a Marketing Qualified Lead Date"
  became_sql_at   time from "Became a Sales Qualified Lead Date"
  deal_stage      text
  deal_amount     money USD
  closed_at       time from "Close Date"
}
`);

export const LEADS = `lead mql "Marketing qualified lead" {
  when lifecycle_stage in ["marketingqualifiedlead", "salesqualifiedlead", "opportunity"]
    or lead_score >= 60
  since became_mql_at
}

lead sales_ready "Sales-ready lead" {
  when mql and demo_requested and not (email ends with "@gmail.com")
  since became_sql_at
}

lead won "Closed-won customer" {
  when deal_stage = "closedwon"
  since closed_at
}
`;

export const SLAS = `# Marketing delivers 75 MQLs per product per month.
sla mql_volume "75 MQLs per product per month" {
  owner marketing
  leads mql
  expect count >= 75
  per month
  by product
}

# Sales makes a first attempt within 5 business hours.
sla first_touch "First attempt within 5 business hours" {
  owner sales
  leads sales_ready
  touches type in ["call", "email"]
  expect first touch within 5 business hours
  target 95%
  per month
  by owner
}

# No more than 4 attempts in 16 days.
sla attempt_cap "No more than 4 attempts in 16 days" {
  owner sales
  leads sales_ready
  touches type in ["call", "email"]
  expect touches within 16 days <= 4
}
`;

export const GOALS = `# Revenue worked backwards: 600,000 / 20,000 = 30 deals; at 25% won, 120 sales-ready
# leads; at 50% sales-ready, 240 MQLs a quarter.
goal revenue "Quarterly revenue" {
  owner sales, marketing
  revenue 600_000 USD per quarter from deal_amount
  average deal 20_000 USD
  funnel mql -> sales_ready 50% -> won 25%
}
`;

export const TESTS = `# The agreement's own tests: npx smarketing-policy test
as_of: 2027-01-15T17:00:00-05:00

tests:
  - name: A high score makes an MQL; a demo request makes it sales-ready
    leads:
      - { id: t1, lifecycle_stage: lead, lead_score: 70, demo_requested: true, email: ana@corp.example, owner: alice, became_sql_at: 2027-01-12T10:00:00-05:00 }
      - { id: t2, lifecycle_stage: lead, lead_score: 30, demo_requested: true }
      - { id: t3, lifecycle_stage: marketingqualifiedlead, demo_requested: true, email: me@gmail.com }
    activities:
      - { lead_id: t1, type: call, at: 2027-01-12T11:00:00-05:00 }
    expect:
      leads:
        t1: { in: [mql, sales_ready], not_in: [won], slas: { first_touch: met, attempt_cap: pending } }
        t2: { not_in: [mql, sales_ready] }
        t3: { in: [mql], not_in: [sales_ready] }

  - name: A call after 5 business hours misses first touch; a fifth attempt breaks the cap
    leads:
      - { id: slow, lifecycle_stage: salesqualifiedlead, demo_requested: true, owner: bob, became_sql_at: 2027-01-04T09:00:00-05:00 }
    activities:
      - { lead_id: slow, type: call, at: 2027-01-05T09:00:00-05:00 }
      - { lead_id: slow, type: call, at: 2027-01-06T09:00:00-05:00 }
      - { lead_id: slow, type: email, at: 2027-01-07T09:00:00-05:00 }
      - { lead_id: slow, type: call, at: 2027-01-08T09:00:00-05:00 }
      - { lead_id: slow, type: call, at: 2027-01-11T09:00:00-05:00 }
    expect:
      leads:
        slow: { slas: { first_touch: breached, attempt_cap: breached } }

  - name: MQLs are counted per product in the month they qualified
    leads:
      - { id: m1, lifecycle_stage: marketingqualifiedlead, product: Core, became_mql_at: 2027-01-04T10:00:00-05:00 }
      - { id: m2, lifecycle_stage: marketingqualifiedlead, product: Core, became_mql_at: 2027-01-05T10:00:00-05:00 }
    expect:
      slas:
        - { sla: mql_volume, period: 2027-01, group: Core, value: 2 }

  - name: The revenue goal needs 30 deals, 120 sales-ready leads and 240 MQLs a quarter
    leads:
      - { id: w1, deal_stage: closedwon, deal_amount: 20000, closed_at: 2027-01-10T12:00:00-05:00 }
    expect:
      leads:
        w1: { in: [won] }
      goals:
        - { goal: revenue, stage: won, required: 30, actual: 1 }
        - { goal: revenue, stage: sales_ready, required: 120 }
        - { goal: revenue, stage: mql, required: 240 }
`;

/** The files of a sample snapshot folder. */
export interface SampleFiles {
  leads: string;
  activities: string;
  manifest: string;
}

/** A compliant half month of data: 120 MQLs over two products, all called within the hour. */
export function sampleSnapshot(): SampleFiles {
  const header = [
    "id", "email", "lifecycle_stage", "HubSpot Score", "product", "Contact owner", "demo_requested",
    "Became a Marketing Qualified Lead Date", "Became a Sales Qualified Lead Date", "deal_stage", "deal_amount", "Close Date",
  ];
  const rows: string[] = [header.join(",")];
  const activities: string[] = ["lead_id,type,at,owner"];
  const products = ["Core", "Plus"];
  const owners = ["alice", "bob", "chen"];
  const pad = (n: number) => String(n).padStart(2, "0");
  const weekdays = [4, 5, 6, 7, 8, 11, 12, 13, 14]; // January 2027, Monday to Friday
  for (let i = 0; i < 160; i++) {
    const id = `S${String(i + 1).padStart(4, "0")}`;
    const day = weekdays[i % weekdays.length]!;
    const hour = 9 + (i % 6);
    const minute = (i * 7) % 40;
    const mql = i < 140;
    const ready = mql && i % 2 === 0;
    const won = ready && i % 10 === 0;
    const stage = won ? "customer" : ready ? "salesqualifiedlead" : mql ? "marketingqualifiedlead" : "lead";
    const local = (h: number, m: number) => `2027-01-${pad(day)} ${pad(h)}:${pad(m)}`;
    const owner = owners[i % owners.length]!;
    rows.push(
      [
        id, `contact${i + 1}@example.com`, stage, String(mql ? 70 : 20), products[i % 2]!, owner, ready ? "true" : "false",
        mql ? local(hour, minute) : "", ready ? local(hour, minute) : "", won ? "closedwon" : "", won ? "20000" : "", won ? local(16, 0) : "",
      ].join(","),
    );
    // Called 20 minutes after becoming sales-ready (New York is UTC-5 in January).
    if (ready) activities.push(`${id},call,2027-01-${pad(day)}T${pad(hour)}:${pad(minute + 20)}:00-05:00,${owner}`);
  }
  return {
    leads: `${rows.join("\n")}\n`,
    activities: `${activities.join("\n")}\n`,
    manifest: "# A small sample export; replace it with your CRM's.\nas_of: 2027-01-15T17:00:00-05:00\nsource: sample data written by smarketing-policy init\n",
  };
}

export const PACKAGE_JSON = `{
  "name": "our-smarketing-agreement",
  "private": true,
  "description": "The agreement between Sales and Marketing, as code.",
  "scripts": {
    "validate": "smarketing-policy validate policies",
    "test": "smarketing-policy validate policies && smarketing-policy test policies",
    "eval": "smarketing-policy eval --snapshot snapshots/sample"
  },
  "devDependencies": {
    "smarketing-policy": "^0.1.0"
  }
}
`;

export const CODEOWNERS = `# GitHub asks both sides to review changes to the agreement. CODEOWNERS is satisfied by
# any one owner: branch protection should also require the 'smarketing-policy/agreement' check.
/policies/ @your-org/marketing-leads @your-org/sales-managers
# The sign-off workflows, and the packages they install, decide what counts as a signature:
# changes to them need your admins.
/.github/ @your-org/admins
/package.json @your-org/admins
/package-lock.json @your-org/admins
`;

/** What git should not track: installed packages and the reports the commands write. */
export const GITIGNORE = `node_modules/
reports/
`;

export const README = `# Our smarketing agreement

What Marketing and Sales owe each other, written down as code and checked on every CRM export.

- \`policies/\`: the agreement: lead definitions, SLAs, goals, and the teams that sign.
- \`policies/*.test.yaml\`: its tests: example leads and what the agreement should say about them.
- \`snapshots/\`: CRM exports (one folder per export, named by date); \`snapshots/sample\` is an example.
- \`.github/workflows/\`: the pull-request sign-off and the compliance report.

## Every day

\`\`\`sh
npm install
npx smarketing-policy validate policies                  # is the agreement well formed?
npx smarketing-policy test policies                      # does it say what we mean?
npx smarketing-policy eval --snapshot snapshots/sample   # who met what
\`\`\`

## Changing the agreement

Open a pull request that changes \`policies/\`. A comment shows what changes, in words, and
what it would have done to the newest export. The pull request can merge when both teams have
approved its latest commit.

## Setting up GitHub

1. Replace \`@your-org/...\` in \`policies/agreement.policy\` and \`.github/CODEOWNERS\`.
2. A ruleset on \`main\`: require pull requests, a review from code owners, and the
   \`smarketing-policy/agreement\` check (set by \`.github/workflows/signoff.yml\`).
3. So that no one but that workflow can set the check, create the sign-off GitHub App and pin the
   check to it, as the smarketing-policy docs say (docs/github.md, "Setting it up").
   Its token also reads organization team members, which \`@org/team\` approvers need.
`;

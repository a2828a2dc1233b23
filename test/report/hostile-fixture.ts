import { execFileSync } from "node:child_process";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import yaml from "js-yaml";

/**
 * A small agreement whose groups read a `pii` field (owner) and a free-text field (product),
 * written with a snapshot and a test file into `dir`. Tests fill the values with e-mail
 * addresses and hostile text and check what each command prints.
 */
export interface HostileLead {
  id: string;
  owner: string;
  product: string;
  notes: string;
  ready_at: string;
}

export interface HostileFixture {
  title?: string;
  leads: HostileLead[];
  /** Touch types are free text too. */
  touchType?: string;
}

/** A policy string literal: the language's own escapes, so any text (ESC, newlines) can be a title. */
export function policyString(text: string): string {
  return `"${[...text].map((ch) => (ch === '"' || ch === "\\" ? `\\${ch}` : ch.charCodeAt(0) < 0x20 || ch === "\u007f" ? `\\u{${ch.codePointAt(0)!.toString(16)}}` : ch)).join("")}"`;
}

export function hostilePolicy(title = "Deal desk"): string {
  return `agreement ${policyString(title)} {
  version 1
  effective 2026-10-01
  timezone "UTC"
}

team marketing "Marketing" {
  approvers @m
}

team sales "Sales" {
  approvers @s
}

fields {
  stage    text one of ["lead", "sql"]
  owner    text pii
  product  text
  notes    text
  ready_at time
}

lead ready ${policyString(title)} {
  when stage = "sql" and not (notes = "x")
  since ready_at
}

sla first_touch "First touch within a day" {
  owner sales
  leads ready
  touches type in ["call", "email"]
  expect first touch within 1 day
  target 50%
  per month
  by owner
}

sla volume "Leads per product" {
  owner marketing
  leads ready
  expect count >= 1
  per month
  by product
}
`;
}

export async function writeHostileFixture(dir: string, f: HostileFixture): Promise<void> {
  await mkdir(path.join(dir, "policies"), { recursive: true });
  await mkdir(path.join(dir, "snapshot"), { recursive: true });
  await writeFile(path.join(dir, "policies", "agreement.policy"), hostilePolicy(f.title));
  const leads = f.leads.map((l) => JSON.stringify({ ...l, stage: "sql" })).join("\n");
  await writeFile(path.join(dir, "snapshot", "leads.ndjson"), `${leads}\n`);
  const activities = f.leads.map((l, i) => JSON.stringify({ lead_id: l.id, type: i % 2 === 0 ? "call" : (f.touchType ?? "email"), at: "2026-11-03T12:00:00Z" })).join("\n");
  await writeFile(path.join(dir, "snapshot", "activities.ndjson"), `${activities}\n`);
  await writeFile(path.join(dir, "snapshot", "snapshot.yaml"), "as_of: 2026-11-30T20:00:00Z\n");
  // A policy test whose expectations name the same groups: its failures print them.
  const first = f.leads[0]!;
  const test = {
    as_of: "2026-11-30T20:00:00Z",
    tests: [
      {
        name: `groups of ${first.product} ${first.notes}`,
        leads: f.leads.map((l) => ({ id: l.id, stage: "sql", owner: l.owner, product: l.product, notes: l.notes, ready_at: l.ready_at })),
        expect: {
          leads: Object.fromEntries(f.leads.map((l) => [l.id, { in: ["ready"], slas: { first_touch: "met" } }])),
          slas: [
            { sla: "first_touch", period: "2026-11", group: `${first.owner}x`, status: "met" },
            { sla: "volume", period: "2026-11", group: first.product, status: "breached" },
          ],
        },
      },
    ],
  };
  await writeFile(path.join(dir, "policies", "agreement.test.yaml"), yaml.dump(test));
}

/**
 * The fixture as a git repository of two commits: the base as written, and a head whose policy
 * `changePolicy` rewrote (for `diff --base HEAD~1 --head HEAD` and the PR comment).
 */
export async function writeHostileRepo(dir: string, f: HostileFixture, changePolicy: (text: string) => string): Promise<{ baseSha: string; baseText: string; headText: string }> {
  await writeHostileFixture(dir, f);
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: dir, encoding: "utf8" });
  git("init", "-q", "-b", "main");
  git("add", ".");
  git("commit", "-qm", "base");
  const policy = path.join(dir, "policies", "agreement.policy");
  const baseText = await readFile(policy, "utf8");
  const headText = changePolicy(baseText);
  await writeFile(policy, headText);
  git("commit", "-qam", "head");
  return { baseSha: git("rev-parse", "HEAD~1").trim(), baseText, headText };
}

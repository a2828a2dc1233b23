import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "./helpers.js";

/** One version of the versions fixture's agreement: what changes from one commit to the next. */
export interface FixtureVersion {
  version: number;
  effective: string;
  /** The first-touch SLA's target, in percent. */
  target: number;
  /** The monthly count of sales-ready leads. */
  count: number;
}

/** 95% → 90% → 85%, effective 1 Nov, 1 Jan, 1 Feb (issue 19). */
export const THREE_VERSIONS: readonly FixtureVersion[] = [
  { version: 1, effective: "2026-11-01", target: 95, count: 10 },
  { version: 2, effective: "2027-01-01", target: 90, count: 9 },
  { version: 3, effective: "2027-02-01", target: 85, count: 8 },
];

/** The agreement of test/fixtures/versions at one version. */
export function versionPolicy(v: FixtureVersion): string {
  return `agreement "Versions" {
  version ${v.version}
  effective ${v.effective}
  timezone "UTC"
}

team marketing "Marketing" {
  approvers @m
}

team sales "Sales" {
  approvers @s
}

fields {
  stage       text
  ready_at    time
  deal_amount money USD
}

lead ready "Sales-ready" {
  when stage = "sql"
  since ready_at
}

sla first_touch "A call within a day" {
  owner sales
  leads ready
  expect first touch within 1 days
  target ${v.target}%
  per month
}

sla volume "Sales-ready leads a month" {
  owner marketing
  leads ready
  expect count >= ${v.count}
  per month
}

goal monthly "Two deals a month" {
  owner sales
  revenue 2_000 USD per month from deal_amount
  average deal 1_000 USD
  funnel ready
}
`;
}

/** Fixed names and dates: the commits, and so the goldens, are the same on every run. */
function gitEnv(i: number): NodeJS.ProcessEnv {
  const date = `2027-01-${String(i + 1).padStart(2, "0")}T12:00:00Z`;
  return {
    ...process.env,
    GIT_AUTHOR_NAME: "Test",
    GIT_AUTHOR_EMAIL: "test@example.invalid",
    GIT_COMMITTER_NAME: "Test",
    GIT_COMMITTER_EMAIL: "test@example.invalid",
    GIT_AUTHOR_DATE: date,
    GIT_COMMITTER_DATE: date,
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
  };
}

/**
 * A git repository in `dir` with the versions fixture's snapshot and one commit per version
 * of policies/agreement.policy (text given, or made from a FixtureVersion), oldest first.
 */
export function writeVersionsRepo(dir: string, versions: ReadonlyArray<FixtureVersion | string>): void {
  cpSync(path.join(ROOT, "test/fixtures/versions/snapshot"), path.join(dir, "snapshot"), { recursive: true });
  mkdirSync(path.join(dir, "policies"), { recursive: true });
  const git = (args: string[], i: number) => execFileSync("git", args, { cwd: dir, env: gitEnv(i), stdio: "pipe" });
  git(["init", "-q", "-b", "main"], 0);
  for (const [i, v] of versions.entries()) {
    writeFileSync(path.join(dir, "policies/agreement.policy"), typeof v === "string" ? v : versionPolicy(v));
    git(["add", "-A"], i);
    git(["commit", "-q", "-m", `version ${i + 1}`], i);
  }
}

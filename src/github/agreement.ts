import { analyzePolicySet } from "../lang/policy-set.js";
import { markdownCell, markdownText } from "../report/escape.js";
import { describeGitHubError, statusOf, type GitHub } from "./client.js";
import type { PullContext } from "./context.js";
import { LIMITS } from "./limits.js";
import { policySourcesFromGitHub } from "./policy-at.js";
import { changedUnder, IncompleteTreeError, mergeBase } from "./trees.js";

export interface TeamSignature {
  team: string;
  title: string | null;
  approvers: string[];
  /** Approvers (users) whose approval on the head commit signs for this team. */
  signedBy: string[];
  signed: boolean;
  /** Why a signature could not be confirmed: an unreadable team, a stale approval… */
  problems: string[];
}

export interface AgreementResult {
  /** False when the pull request changes no policy file: nothing to sign. */
  applies: boolean;
  passed: boolean;
  changedPolicyFiles: string[];
  teams: TeamSignature[];
  notes: string[];
}

interface Review {
  user: { login: string } | null;
  state: string;
  commit_id: string | null;
  submitted_at?: string | null;
  id: number;
}

const DECISIVE = new Set(["APPROVED", "CHANGES_REQUESTED", "DISMISSED"]);

/**
 * SPEC §6: a pull request that changes policy files passes only when every team of the base
 * branch's agreement has an approving review, on the head commit, from one of its approvers who
 * is not the author. A person's latest approval, change request or dismissal is what counts.
 */
export async function checkAgreement(gh: GitHub, pull: PullContext, policiesDir: string): Promise<AgreementResult> {
  const dir = policiesDir.replace(/^\.\/|\/$/g, "");
  const changedPolicyFiles = await policyChanges(gh, pull, dir);
  if (changedPolicyFiles.length === 0) {
    return { applies: false, passed: true, changedPolicyFiles, teams: [], notes: [`This pull request changes nothing in ${dir}/: no signatures are needed.`] };
  }

  // The parties and their approvers come from the base branch, never from the pull request itself.
  const baseSources = await policySourcesFromGitHub(gh, { owner: pull.owner, repo: pull.repo, sha: pull.baseSha }, dir);
  const where = `${dir}/ at ${pull.baseRef} ${pull.baseSha.slice(0, 7)}`;
  if (baseSources === null) return noSigners(changedPolicyFiles, `The base branch has no ${dir}/ folder (${where}), so it names no one who can sign.`);
  const base = analyzePolicySet(baseSources);
  const teams = [...base.symbols.teams.values()].map((t) => t.node);
  const notes: string[] = [];
  if (teams.length === 0) return noSigners(changedPolicyFiles, `The base branch's policy (${where}) declares no teams, so no one can sign.`);

  const reviews = (await gh.paginate(gh.rest.pulls.listReviews, { owner: pull.owner, repo: pull.repo, pull_number: pull.number, per_page: 100 })) as Review[];
  const signers = signersOf(reviews, pull, notes);

  const memberCache = new Map<string, Set<string> | Error>();
  const membersOf = async (org: string, slug: string): Promise<Set<string> | Error> => {
    const key = `${org}/${slug}`.toLowerCase();
    const cached = memberCache.get(key);
    if (cached) return cached;
    let result: Set<string> | Error;
    try {
      const members = await gh.paginate(gh.rest.teams.listMembersInOrg, { org, team_slug: slug, per_page: 100 });
      result = new Set(members.map((m) => m.login.toLowerCase()));
    } catch (error) {
      const status = statusOf(error);
      result = new Error(
        status === 403 || status === 404
          ? `cannot read the members of @${org}/${slug}: the token needs permission to read organization members (a GitHub App with "Members: read", or a token with the read:org scope; the workflow's GITHUB_TOKEN cannot). Pass one as SMARKETING_GITHUB_TOKEN.`
          : describeGitHubError(error, `reading the members of @${org}/${slug}`),
      );
    }
    memberCache.set(key, result);
    return result;
  };

  const results: TeamSignature[] = [];
  for (const team of teams) {
    const signedBy = new Set<string>();
    const problems: string[] = [];
    for (const handle of team.approvers) {
      const [org, slug] = handle.value.split("/");
      if (slug === undefined) {
        if (signers.has(handle.value.toLowerCase())) signedBy.add(handle.value);
        continue;
      }
      const members = await membersOf(org!, slug);
      if (members instanceof Error) {
        problems.push(members.message);
        continue;
      }
      for (const s of signers) if (members.has(s)) signedBy.add(s);
    }
    results.push({
      team: team.id.name,
      title: team.title?.value ?? null,
      approvers: team.approvers.map((h) => `@${h.value}`),
      signedBy: [...signedBy].sort(),
      signed: signedBy.size > 0,
      problems,
    });
  }
  return { applies: true, passed: results.every((t) => t.signed), changedPolicyFiles, teams: results, notes };
}

/**
 * Who signed: each person's latest decisive review, if an approval of the head commit by someone
 * other than the author. Own and stale approvals are noted, not counted.
 */
function signersOf(reviews: readonly Review[], pull: PullContext, notes: string[]): Set<string> {
  const latest = new Map<string, Review & { user: { login: string } }>();
  for (const r of [...reviews].sort((a, b) => (a.submitted_at ?? "").localeCompare(b.submitted_at ?? "") || a.id - b.id)) {
    if (r.user && DECISIVE.has(r.state)) latest.set(r.user.login.toLowerCase(), { ...r, user: r.user });
  }
  const signers = new Set<string>();
  const stale: string[] = [];
  for (const [login, r] of latest) {
    if (r.state !== "APPROVED") continue;
    if (login === pull.author.toLowerCase()) {
      notes.push(`@${r.user.login} approved their own pull request; an author cannot sign their own change.`);
    } else if (r.commit_id !== pull.headSha) {
      stale.push(r.user.login);
    } else {
      signers.add(login);
    }
  }
  for (const login of stale) notes.push(`@${login} approved an earlier commit; the approval must be renewed on the latest commit (${pull.headSha.slice(0, 7)}).`);
  return signers;
}

/**
 * What the pull request changes under `dir`, from git trees: the merge base against the head (what
 * merging would bring in). When GitHub cannot list it all, the change is assumed: fail closed.
 */
async function policyChanges(gh: GitHub, pull: PullContext, dir: string): Promise<string[]> {
  const repo = { owner: pull.owner, repo: pull.repo };
  const from = await mergeBase(gh, repo, pull.baseSha, pull.headSha);
  try {
    return await changedUnder(gh, { ...repo, sha: from }, { ...repo, sha: pull.headSha }, dir);
  } catch (error) {
    if (error instanceof IncompleteTreeError) return [`${dir}/ (${error.message}: treated as changed)`];
    throw error;
  }
}

function noSigners(changedPolicyFiles: string[], why: string): AgreementResult {
  const fix = "Add the teams in a first pull request approved by the repository's admins.";
  return { applies: true, passed: false, changedPolicyFiles, teams: [], notes: [`${why} ${fix}`] };
}

/** The result in words, for a status description, a comment or a job summary (Markdown). */
export function agreementMarkdown(result: AgreementResult): string {
  if (!result.applies) return `**Agreement:** ${result.notes.join(" ")}\n`;
  const shown = result.changedPolicyFiles.slice(0, 20).map(codeSpan).join(", ");
  const more = result.changedPolicyFiles.length > 20 ? ` and ${result.changedPolicyFiles.length - 20} more` : "";
  const lines = [
    `**Agreement:** ${result.passed ? "✅ signed by every party" : "❌ signatures missing"}`,
    "",
    `Changes ${shown}${more}.`,
    "",
    "| party | approvers | signed by |",
    "| --- | --- | --- |",
  ];
  for (const t of result.teams) {
    // A team's title is policy text: escaped, so it cannot split the row or add markup.
    lines.push(`| ${markdownCell(markdownText(t.title ?? t.team))} (\`${t.team}\`) | ${t.approvers.join(", ")} | ${t.signed ? t.signedBy.map((s) => `@${s}`).join(", ") : "**missing**"} |`);
  }
  const problems = result.teams.flatMap((t) => t.problems);
  if (problems.length || result.notes.length) lines.push("");
  for (const p of [...new Set(problems)]) lines.push(`- ⚠️ ${p}`);
  for (const n of result.notes) lines.push(`- ${n}`);
  return `${lines.join("\n")}\n`;
}

/** A path from the pull request as Markdown code: a backtick in it cannot end the span early. */
function codeSpan(text: string): string {
  return `\`${text.replace(/[`\r\n]/g, "?")}\``;
}

/** One line of at most 140 characters: the check run's title. */
export function agreementDescription(result: AgreementResult): string {
  if (!result.applies) return "No policy change: nothing to sign";
  const missing = result.teams.filter((t) => !t.signed).map((t) => t.team);
  const text = result.passed ? `Signed by ${result.teams.map((t) => t.team).join(" and ")}` : `Missing signatures: ${missing.join(", ")}`;
  return text.length > LIMITS.checkTitleChars ? `${text.slice(0, LIMITS.checkTitleChars - 1)}…` : text;
}

import { appendFile, stat } from "node:fs/promises";
import type { Diagnostic } from "../lang/diagnostics.js";
import { statusOf, type GitHub } from "./client.js";
import { fitWithin, LIMITS, utf8Bytes } from "./limits.js";

export const COMMENT_MARKER = "<!-- smarketing-policy:comment -->";

interface Repo {
  owner: string;
  repo: string;
}

/**
 * The login the token acts as: GraphQL's `viewer` answers for every kind of token (an App's or
 * the workflow's installation token gives "name[bot]", as comments show it); `GET /user` does not
 * for installation tokens. Undefined when neither answers.
 */
export async function ownLogin(gh: GitHub): Promise<string | undefined> {
  try {
    const data = await gh.graphql<{ viewer?: { login?: unknown } }>("query { viewer { login } }");
    if (typeof data.viewer?.login === "string") return data.viewer.login;
  } catch {
    // Fall through to the REST endpoint (GitHub Enterprise without GraphQL access, say).
  }
  try {
    const { data } = await gh.rest.users.getAuthenticated();
    return data.login;
  } catch {
    return undefined;
  }
}

/**
 * One comment per pull request, updated in place: the one carrying the hidden marker **and**
 * written by this token's own user, so a comment that someone else seeds with the marker is never
 * edited. When the token's user is unknown, a new comment is written. With `create: false`, only
 * an existing comment is updated ("none" when there is none). False without permission.
 */
export async function upsertComment(gh: GitHub, where: Repo & { number: number }, markdown: string, options: { create: boolean }): Promise<"created" | "updated" | "none" | false> {
  const body = fitWithin(`${COMMENT_MARKER}\n${markdown}`, LIMITS.commentChars);
  try {
    const me = (await ownLogin(gh))?.toLowerCase();
    const comments = me === undefined ? [] : await gh.paginate(gh.rest.issues.listComments, { owner: where.owner, repo: where.repo, issue_number: where.number, per_page: 100 });
    const existing = comments.find((c) => c.user?.login.toLowerCase() === me && c.body?.includes(COMMENT_MARKER));
    if (existing) {
      await gh.rest.issues.updateComment({ owner: where.owner, repo: where.repo, comment_id: existing.id, body });
      return "updated";
    }
    if (!options.create) return "none";
    await gh.rest.issues.createComment({ owner: where.owner, repo: where.repo, issue_number: where.number, body });
    return "created";
  } catch (error) {
    if (statusOf(error) === 403) return false;
    throw error;
  }
}

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: "notice" | "warning" | "failure";
  message: string;
  title: string;
}

export function annotationsOf(diagnostics: readonly Diagnostic[]): Annotation[] {
  return diagnostics.map((d) => {
    const sameLine = d.range.start.line === d.range.end.line;
    return {
      path: d.file,
      start_line: d.range.start.line,
      end_line: Math.max(d.range.start.line, d.range.end.line),
      ...(sameLine ? { start_column: d.range.start.column, end_column: Math.max(d.range.start.column, d.range.end.column - 1) } : {}),
      annotation_level: d.severity === "error" ? "failure" : "warning",
      message: d.message,
      title: `${d.severity}[${d.code}]`,
    };
  });
}

/**
 * A check run with the report as its summary and annotations on policy lines: at most 50
 * annotations per request, so the first request carries 50 and updates carry the rest.
 * False when the token may not create check runs (a fork, or a token without checks: write).
 */
export async function publishCheckRun(
  gh: GitHub,
  where: Repo & { sha: string },
  run: { name: string; conclusion: "success" | "failure" | "neutral"; title: string; summary: string; annotations: Annotation[] },
): Promise<boolean> {
  const summary = fitWithin(run.summary, LIMITS.checkSummaryChars);
  const batches: Annotation[][] = [];
  for (let i = 0; i < run.annotations.length; i += LIMITS.annotationsPerRequest) batches.push(run.annotations.slice(i, i + LIMITS.annotationsPerRequest));
  try {
    const { data } = await gh.rest.checks.create({
      owner: where.owner,
      repo: where.repo,
      name: run.name,
      head_sha: where.sha,
      status: "completed",
      conclusion: run.conclusion,
      output: { title: run.title, summary, annotations: batches[0] ?? [] },
    });
    for (const batch of batches.slice(1)) {
      await gh.rest.checks.update({ owner: where.owner, repo: where.repo, check_run_id: data.id, output: { title: run.title, summary, annotations: batch } });
    }
    return true;
  } catch (error) {
    if (statusOf(error) === 403) return false;
    throw error;
  }
}

/**
 * Appends to the job summary (GITHUB_STEP_SUMMARY), within its 1 MiB limit counting what the step
 * already wrote there; past it, cut with a note pointing to the artifact. False when there is none.
 */
export async function writeJobSummary(path: string | undefined, markdown: string): Promise<boolean> {
  if (!path) return false;
  const written = await stat(path).then((s) => s.size, () => 0);
  // Room for closing a cut <details> block and the final newline.
  const room = Math.max(0, LIMITS.jobSummaryBytes - written - 1024);
  await appendFile(path, `${fitWithin(markdown, room, utf8Bytes, "1 MiB per job summary")}\n`, "utf8");
  return true;
}

import { readFile } from "node:fs/promises";

/**
 * Something the GitHub commands need (a token, the repository, the pull request) is missing
 * from the environment and the flags: the CLI says so and exits 2, as for a usage mistake.
 */
export class GitHubContextError extends Error {}

export interface PullContext {
  owner: string;
  repo: string;
  number: number;
  baseSha: string;
  baseRef: string;
  headSha: string;
  author: string;
  /** True when the pull request comes from a fork: its token cannot write. */
  fromFork: boolean;
}

export interface GitHubFlags {
  repo?: string;
  pr?: string;
  token?: string;
  apiUrl?: string;
}

interface PullPayload {
  number: number;
  user: { login: string };
  base: { sha: string; ref: string; repo: { full_name: string } };
  head: { sha: string; repo: { full_name: string } | null };
}

/** The part of a `workflow_run` event used here: which commit the triggering run was about. */
interface WorkflowRunPayload {
  head_sha: string;
  pull_requests?: Array<{ number: number; base: { repo: { url?: string; name?: string } } }>;
}

interface EventPayload {
  pull_request?: PullPayload;
  workflow_run?: WorkflowRunPayload;
  inputs?: Record<string, unknown>;
  repository?: { full_name: string };
}

/**
 * Which pull request a command is about, as far as the event says: the whole of it (the
 * pull_request events), its number (--pr, a workflow_run of a same-repository pull request), or
 * only its head commit (a workflow_run of a fork's pull request: GitHub leaves `pull_requests` empty).
 */
export type PullLocator =
  | { kind: "known"; pull: PullContext }
  | { kind: "number"; owner: string; repo: string; number: number }
  | { kind: "head"; owner: string; repo: string; headSha: string };

export function tokenFrom(env: Readonly<Record<string, string | undefined>>): string {
  const token = env["SMARKETING_GITHUB_TOKEN"] || env["GITHUB_TOKEN"] || env["GH_TOKEN"];
  if (!token) {
    throw new GitHubContextError("no GitHub token: set GITHUB_TOKEN (in a workflow: env: GITHUB_TOKEN: ${{ github.token }}) or SMARKETING_GITHUB_TOKEN");
  }
  return token;
}

export function apiUrlFrom(env: Readonly<Record<string, string | undefined>>, flags: GitHubFlags): string {
  return flags.apiUrl ?? env["GITHUB_API_URL"] ?? "https://api.github.com";
}

async function readEvent(env: Readonly<Record<string, string | undefined>>): Promise<EventPayload | undefined> {
  const eventPath = env["GITHUB_EVENT_PATH"];
  if (!eventPath) return undefined;
  try {
    return JSON.parse(await readFile(eventPath, "utf8")) as EventPayload;
  } catch {
    throw new GitHubContextError(`cannot read the workflow event at GITHUB_EVENT_PATH (${eventPath})`);
  }
}

/**
 * The pull request a command is about: from --pr, from the workflow event (pull_request,
 * pull_request_target, pull_request_review; workflow_run, whose triggering run names the pull
 * request or at least its head commit), or a usage error. Base and head come from the API
 * unless the event carries them (see `completePull`).
 */
export async function pullFromEnvironment(env: Readonly<Record<string, string | undefined>>, flags: GitHubFlags): Promise<PullLocator> {
  const payload = await readEvent(env);
  const fullName = flags.repo ?? env["GITHUB_REPOSITORY"] ?? payload?.repository?.full_name;
  if (!fullName || !/^[^/]+\/[^/]+$/.test(fullName)) throw new GitHubContextError("which repository? set GITHUB_REPOSITORY or pass --repo owner/name");
  const [owner, repo] = fullName.split("/") as [string, string];
  const pr = payload?.pull_request;
  const run = payload?.workflow_run;
  const number = flags.pr !== undefined ? Number(flags.pr) : (pr?.number ?? run?.pull_requests?.[0]?.number);
  if (number === undefined && run?.head_sha) return { kind: "head", owner, repo, headSha: run.head_sha };
  if (number === undefined || !Number.isInteger(number) || number < 1) {
    throw new GitHubContextError("which pull request? run in a pull_request, pull_request_target or workflow_run workflow, or pass --pr NUMBER");
  }
  if (pr && pr.number === number) {
    return {
      kind: "known",
      pull: {
        owner,
        repo,
        number,
        baseSha: pr.base.sha,
        baseRef: pr.base.ref,
        headSha: pr.head.sha,
        author: pr.user.login,
        fromFork: pr.head.repo?.full_name !== pr.base.repo.full_name,
      },
    };
  }
  return { kind: "number", owner, repo, number };
}

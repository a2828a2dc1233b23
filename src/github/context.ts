import { readFile } from "node:fs/promises";
import { UsageError } from "../cli/exit-codes.js";

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

export function tokenFrom(env: Readonly<Record<string, string | undefined>>): string {
  const token = env["SMARKETING_GITHUB_TOKEN"] || env["GITHUB_TOKEN"] || env["GH_TOKEN"];
  if (!token) {
    throw new UsageError("no GitHub token: set GITHUB_TOKEN (in a workflow: env: GITHUB_TOKEN: ${{ github.token }}) or SMARKETING_GITHUB_TOKEN");
  }
  return token;
}

export function apiUrlFrom(env: Readonly<Record<string, string | undefined>>, flags: GitHubFlags): string {
  return flags.apiUrl ?? env["GITHUB_API_URL"] ?? "https://api.github.com";
}

/**
 * The pull request a command is about: from the workflow event (GITHUB_EVENT_PATH, for
 * pull_request, pull_request_target and pull_request_review events), or from --repo and --pr
 * (then base and head come from the API, see `completePull`).
 */
export async function pullFromEnvironment(env: Readonly<Record<string, string | undefined>>, flags: GitHubFlags): Promise<Partial<PullContext> & { owner: string; repo: string; number: number }> {
  let payload: { pull_request?: PullPayload; repository?: { full_name: string } } | undefined;
  const eventPath = env["GITHUB_EVENT_PATH"];
  if (eventPath) {
    try {
      payload = JSON.parse(await readFile(eventPath, "utf8")) as typeof payload;
    } catch {
      throw new UsageError(`cannot read the workflow event at GITHUB_EVENT_PATH (${eventPath})`);
    }
  }
  const fullName = flags.repo ?? env["GITHUB_REPOSITORY"] ?? payload?.repository?.full_name;
  if (!fullName || !/^[^/]+\/[^/]+$/.test(fullName)) throw new UsageError("which repository? set GITHUB_REPOSITORY or pass --repo owner/name");
  const [owner, repo] = fullName.split("/") as [string, string];
  const pr = payload?.pull_request;
  const number = flags.pr !== undefined ? Number(flags.pr) : pr?.number;
  if (number === undefined || !Number.isInteger(number) || number < 1) {
    throw new UsageError("which pull request? run in a pull_request or pull_request_review workflow, or pass --pr NUMBER");
  }
  if (pr && pr.number === number) {
    return {
      owner,
      repo,
      number,
      baseSha: pr.base.sha,
      baseRef: pr.base.ref,
      headSha: pr.head.sha,
      author: pr.user.login,
      fromFork: pr.head.repo?.full_name !== pr.base.repo.full_name,
    };
  }
  return { owner, repo, number };
}

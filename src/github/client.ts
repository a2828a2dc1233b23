import { retry } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";
import { Octokit } from "@octokit/rest";

export const GitHubClient = Octokit.plugin(retry, throttling);
export type GitHub = InstanceType<typeof GitHubClient>;

export interface ClientOptions {
  token: string;
  /** GITHUB_API_URL: https://api.github.com, or a GitHub Enterprise Server's /api/v3. */
  baseUrl: string;
  userAgent: string;
  /** Milliseconds per retry step; the plugin's default is a second. */
  retryBase?: number;
  warn: (message: string) => void;
}

/**
 * Octokit with retries on server errors and respect for rate limits. The token goes to Octokit
 * and nowhere else: it is never logged or printed.
 */
export function createGitHub(options: ClientOptions): GitHub {
  return new GitHubClient({
    auth: options.token,
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    userAgent: options.userAgent,
    retry: { retryAfterBaseValue: options.retryBase ?? 1000 },
    throttle: {
      onRateLimit: (retryAfter: number, _options: unknown, _octokit: unknown, retryCount: number) => {
        options.warn(`GitHub rate limit reached; retrying in ${retryAfter} s`);
        return retryCount < 2;
      },
      onSecondaryRateLimit: (retryAfter: number) => {
        options.warn(`GitHub secondary rate limit reached; retrying in ${retryAfter} s`);
        return true;
      },
    },
    log: { debug: () => {}, info: () => {}, warn: options.warn, error: options.warn },
  });
}

/** The HTTP status of an Octokit error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === "number" ? status : undefined;
}

/** A message for a person: what GitHub said, without request details (which could hold a token). */
export function describeGitHubError(error: unknown, doing: string): string {
  const status = statusOf(error);
  const message = (error as { response?: { data?: { message?: string } } })?.response?.data?.message;
  if (status === 401) return `GitHub refused the token while ${doing} (401): check that GITHUB_TOKEN is set and valid`;
  if (status === 403) return `GitHub denied permission while ${doing} (403)${message ? `: ${message}` : ""}`;
  if (status === 404) return `GitHub found nothing while ${doing} (404): check the repository and pull request, and that the token can see them`;
  if (status !== undefined && status >= 500) return `GitHub had a server error while ${doing} (${status}), even after retrying; try again later`;
  return `GitHub request failed while ${doing}: ${message ?? (error instanceof Error ? error.message : String(error))}`;
}

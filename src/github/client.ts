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

/** GitHub's token shapes (classic, fine-grained, OAuth, installation, refresh): redacted wherever they appear. */
const TOKEN_SHAPES = /\b(?:gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{16,})/g;

/** Text with the given secrets and anything shaped like a GitHub token replaced by "[redacted]". */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 8) out = out.split(secret).join("[redacted]");
  return out.replace(TOKEN_SHAPES, "[redacted]");
}

/** GitHub (or a proxy before it) answered with something that is not the JSON its API sends. */
export class InvalidReplyError extends Error {
  constructor(readonly status: number, readonly route: string) {
    super(`GitHub sent a reply that is not valid JSON (HTTP ${status}, ${route})`);
  }
}

/**
 * Octokit with retries on server errors and respect for rate limits. The token goes to Octokit
 * and nowhere else: it is never logged or printed, and a server message that echoes it back is
 * redacted before anyone reads it. A reply that is not JSON is an error here, at the one place
 * every request passes, rather than a string that later code mistakes for an object.
 */
export function createGitHub(options: ClientOptions): GitHub {
  const redact = (text: string) => redactSecrets(text, [options.token]);
  const gh = new GitHubClient({
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
    log: { debug: () => {}, info: () => {}, warn: (m: string) => options.warn(redact(m)), error: (m: string) => options.warn(redact(m)) },
  });
  gh.hook.wrap("request", async (request, endpoint) => {
    try {
      const response = await request(endpoint);
      if (typeof response.data === "string" && response.status !== 204) throw new InvalidReplyError(response.status, `${endpoint.method} ${endpoint.url}`);
      return response;
    } catch (error) {
      throw scrubbed(error, redact);
    }
  });
  return gh;
}

/** The error with every message it carries (its own, the server's) passed through `redact`. */
function scrubbed(error: unknown, redact: (text: string) => string): unknown {
  if (!(error instanceof Error)) return error;
  error.message = redact(error.message);
  const response = (error as { response?: { data?: unknown } }).response;
  const data = response?.data;
  if (data && typeof data === "object") {
    const d = data as { message?: unknown; errors?: unknown };
    if (typeof d.message === "string") d.message = redact(d.message);
    if (Array.isArray(d.errors)) d.errors = d.errors.map((e) => (typeof e === "string" ? redact(e) : e));
  } else if (typeof data === "string" && response) {
    response.data = redact(data);
  }
  return error;
}

/** Whether an error came from talking to GitHub (and can be told to a person with `describeGitHubError`). */
export function isGitHubError(error: unknown): boolean {
  return statusOf(error) !== undefined || error instanceof InvalidReplyError;
}

/** The HTTP status of an Octokit error, if it has one. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === "number" ? status : undefined;
}

/** A message for a person: what GitHub said, without request details (which could hold a token). */
export function describeGitHubError(error: unknown, doing: string): string {
  if (error instanceof InvalidReplyError) {
    return `GitHub sent a reply that is not valid JSON while ${doing} (HTTP ${error.status}, ${error.route}): a proxy's or server's error page, perhaps; check GITHUB_API_URL and try again`;
  }
  const status = statusOf(error);
  const message = (error as { response?: { data?: { message?: string } } })?.response?.data?.message;
  if (status === 401) return `GitHub refused the token while ${doing} (401): check that GITHUB_TOKEN is set and valid`;
  if (status === 403) return `GitHub denied permission while ${doing} (403)${message ? `: ${redactSecrets(message, [])}` : ""}`;
  if (status === 404) return `GitHub found nothing while ${doing} (404): check the repository and pull request, and that the token can see them`;
  if (status !== undefined && status >= 500) return `GitHub had a server error while ${doing} (${status}), even after retrying; try again later`;
  return `GitHub request failed while ${doing}: ${redactSecrets(message ?? (error instanceof Error ? error.message : String(error)), [])}`;
}

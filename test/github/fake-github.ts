import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  authorization: string | undefined;
}

export interface Review {
  id: number;
  user: { login: string };
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  commit_id: string;
  submitted_at: string;
}

export interface FakeState {
  owner: string;
  repo: string;
  pull: { number: number; author: string; baseSha: string; headSha: string; baseRef: string };
  files: string[];
  reviews: Review[];
  /** Policy files at the base commit: path → text. */
  baseFiles: Record<string, string>;
  /** org/slug → member logins; absent → 404. */
  teams: Record<string, string[]>;
  /** org/slug that answer 403 (the token cannot read them). */
  forbiddenTeams: string[];
  comments: Array<{ id: number; body: string }>;
  statusForbidden: boolean;
  checksForbidden: boolean;
  /** Fail the next N requests whose "METHOD path" starts with the key. */
  failures: Array<{ match: string; status: number; times: number }>;
}

/**
 * A small fake of the GitHub REST API on 127.0.0.1, enough for sign-off, comments and checks.
 * Octokit talks to it over real HTTP (baseUrl), so the tests see the exact requests made.
 */
export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  private server: Server | undefined;
  private nextId = 1000;
  url = "";

  constructor(readonly state: FakeState) {}

  async start(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Requests other than reads, as "METHOD path". */
  writes(): string[] {
    return this.requests.filter((r) => r.method !== "GET").map((r) => `${r.method} ${r.path}`);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://localhost");
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path: decodeURIComponent(url.pathname),
      query: Object.fromEntries(url.searchParams),
      body: raw ? JSON.parse(raw) : undefined,
      authorization: req.headers.authorization,
    };
    this.requests.push(recorded);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-ratelimit-remaining": "4999" });
      res.end(JSON.stringify(body));
    };
    const key = `${recorded.method} ${recorded.path}`;
    const failure = this.state.failures.find((f) => f.times > 0 && key.startsWith(f.match));
    if (failure) {
      failure.times--;
      send(failure.status, { message: failure.status >= 500 ? "Server Error" : "Resource not accessible by integration" });
      return;
    }
    const s = this.state;
    const repoPath = `/repos/${s.owner}/${s.repo}`;
    const pullPath = `${repoPath}/pulls/${s.pull.number}`;
    const page = Number(recorded.query["page"] ?? "1");
    const paged = <T>(items: T[]) => (page === 1 ? items : []);

    if (key === `GET ${pullPath}`) {
      return send(200, {
        number: s.pull.number,
        user: { login: s.pull.author },
        base: { sha: s.pull.baseSha, ref: s.pull.baseRef, repo: { full_name: `${s.owner}/${s.repo}` } },
        head: { sha: s.pull.headSha, repo: { full_name: `${s.owner}/${s.repo}` } },
      });
    }
    if (key === `GET ${pullPath}/files`) return send(200, paged(s.files.map((filename) => ({ filename, status: "modified" }))));
    if (key === `GET ${pullPath}/reviews`) return send(200, paged(s.reviews));
    if (recorded.method === "GET" && recorded.path.startsWith(`${repoPath}/contents/`)) {
      const p = recorded.path.slice(`${repoPath}/contents/`.length);
      if (recorded.query["ref"] !== s.pull.baseSha) return send(404, { message: "No commit found for the ref" });
      if (s.baseFiles[p] !== undefined) {
        return send(200, { type: "file", path: p, encoding: "base64", content: Buffer.from(s.baseFiles[p]!).toString("base64") });
      }
      const entries = Object.keys(s.baseFiles)
        .filter((f) => f.startsWith(`${p}/`))
        .map((f) => ({ type: "file", path: f, name: f.split("/").pop() }));
      return entries.length ? send(200, entries) : send(404, { message: "Not Found" });
    }
    const team = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/.exec(recorded.path);
    if (team && recorded.method === "GET") {
      const slug = `${team[1]}/${team[2]}`;
      if (s.forbiddenTeams.includes(slug)) return send(403, { message: "Resource not accessible by integration" });
      const members = s.teams[slug];
      return members ? send(200, paged(members.map((login) => ({ login })))) : send(404, { message: "Not Found" });
    }
    if (recorded.method === "POST" && recorded.path === `${repoPath}/statuses/${s.pull.headSha}`) {
      return s.statusForbidden ? send(403, { message: "Resource not accessible by integration" }) : send(201, { id: this.nextId++, ...(recorded.body as object) });
    }
    const issueComments = `${repoPath}/issues/${s.pull.number}/comments`;
    if (key === `GET ${issueComments}`) return send(200, paged(s.comments));
    if (key === `POST ${issueComments}`) {
      const comment = { id: this.nextId++, body: (recorded.body as { body: string }).body };
      s.comments.push(comment);
      return send(201, comment);
    }
    const commentEdit = new RegExp(`^${repoPath}/issues/comments/(\\d+)$`).exec(recorded.path);
    if (commentEdit && recorded.method === "PATCH") {
      const comment = s.comments.find((c) => c.id === Number(commentEdit[1]));
      if (!comment) return send(404, { message: "Not Found" });
      comment.body = (recorded.body as { body: string }).body;
      return send(200, comment);
    }
    if (key === `POST ${repoPath}/check-runs`) {
      return s.checksForbidden ? send(403, { message: "Resource not accessible by integration" }) : send(201, { id: this.nextId++ });
    }
    if (recorded.method === "PATCH" && recorded.path.startsWith(`${repoPath}/check-runs/`)) return send(200, { id: Number(recorded.path.split("/").pop()) });
    send(404, { message: `fake GitHub has no route for ${key}` });
  }
}

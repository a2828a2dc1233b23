import { createHash } from "node:crypto";
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

export interface IssueComment {
  id: number;
  body: string;
  user: { login: string; type: "User" | "Bot" };
}

export interface FakeState {
  owner: string;
  repo: string;
  /** mergeBaseSha: where head branched off base (default: baseSha). */
  /** headRepo: a fork's full name (default: this repository). */
  pull: { number: number; author: string; baseSha: string; headSha: string; baseRef: string; mergeBaseSha?: string; headRepo?: string };
  /** Every file of each commit: sha → path → text. Trees, blobs, compare and the PR's file list come from these. */
  commits: Record<string, Record<string, string>>;
  reviews: Review[];
  /** org/slug → member logins; absent → 404. */
  teams: Record<string, string[]>;
  /** org/slug that answer 403 (the token cannot read them). */
  forbiddenTeams: string[];
  comments: IssueComment[];
  /** Who the token is: GraphQL `viewer.login` (a bot's ends in "[bot]", as GitHub's does). */
  viewer: string;
  checksForbidden: boolean;
  /** Answer recursive tree requests with `truncated: true` and only part of the entries. */
  truncateTrees: boolean;
  /** Fail the next N requests whose "METHOD path" starts with the key; `raw` is sent as the body instead of a JSON message. */
  failures: Array<{ match: string; status: number; times: number; message?: string; raw?: string }>;
}

/** A fake GitHub's state with nothing reviewed, commented or failing: tests give what they are about. */
export function fakeState(given: Pick<FakeState, "owner" | "repo" | "pull" | "commits"> & Partial<FakeState>): FakeState {
  return {
    reviews: [],
    teams: {},
    forbiddenTeams: [],
    comments: [],
    viewer: "github-actions[bot]",
    checksForbidden: false,
    truncateTrees: false,
    failures: [],
    ...given,
  };
}

type GitObject = { type: "blob"; content: string } | { type: "tree"; entries: TreeEntry[] };
interface TreeEntry {
  path: string;
  mode: string;
  type: "blob" | "tree";
  sha: string;
}

/** GitHub's "list pull request files" stops at this many files (REST docs). */
export const PULL_FILES_CAP = 3000;

const gitHash = (kind: string, body: string) => createHash("sha1").update(`${kind} ${Buffer.byteLength(body)}\0${body}`).digest("hex");

/** Builds blob and tree objects for one commit's files; returns the root tree's sha. */
function buildTree(files: Record<string, string>, objects: Map<string, GitObject>): string {
  const build = (prefix: string): string => {
    const names = new Map<string, "blob" | "tree">();
    for (const p of Object.keys(files)) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const slash = rest.indexOf("/");
      names.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? "blob" : "tree");
    }
    const entries: TreeEntry[] = [...names].sort(([a], [b]) => a.localeCompare(b)).map(([name, type]) => {
      if (type === "tree") return { path: name, mode: "040000", type, sha: build(`${prefix}${name}/`) };
      const content = files[`${prefix}${name}`]!;
      const sha = gitHash("blob", content);
      objects.set(sha, { type: "blob", content });
      return { path: name, mode: "100644", type, sha };
    });
    const sha = gitHash("tree", entries.map((e) => `${e.mode} ${e.path} ${e.sha}`).join("\n"));
    objects.set(sha, { type: "tree", entries });
    return sha;
  };
  return build("");
}

/**
 * A small fake of the GitHub REST API on 127.0.0.1, enough for sign-off, comments and checks.
 * Octokit talks to it over real HTTP (baseUrl), so the tests see the exact requests made.
 * Responses follow GitHub's payload shapes and limits: pages with a Link header, at most
 * 3,000 files in a pull request's file list, trees with `truncated`.
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

  /** Requests other than reads (GraphQL queries aside), as "METHOD path". */
  writes(): string[] {
    return this.requests.filter((r) => r.method !== "GET" && r.path !== "/graphql").map((r) => `${r.method} ${r.path}`);
  }

  /** The files a pull request changes, as GitHub lists them (before its 3,000-file cap). */
  changedFiles(): string[] {
    const s = this.state;
    const before = s.commits[s.pull.mergeBaseSha ?? s.pull.baseSha] ?? {};
    const after = s.commits[s.pull.headSha] ?? {};
    return [...Object.keys(after).filter((p) => before[p] !== after[p]), ...Object.keys(before).filter((p) => !(p in after))];
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
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", "x-ratelimit-remaining": "4999", ...headers });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    const key = `${recorded.method} ${recorded.path}`;
    const failure = this.state.failures.find((f) => f.times > 0 && key.startsWith(f.match));
    if (failure) {
      failure.times--;
      const message = failure.message ?? (failure.status >= 500 ? "Server Error" : "Resource not accessible by integration");
      send(failure.status, failure.raw ?? { message });
      return;
    }
    const s = this.state;
    const repoPath = `/repos/${s.owner}/${s.repo}`;
    const pullPath = `${repoPath}/pulls/${s.pull.number}`;
    // Pages as GitHub sends them: per_page items, and a Link header to the next page.
    const paged = <T>(items: T[]) => {
      const perPage = Number(recorded.query["per_page"] ?? "30");
      const page = Number(recorded.query["page"] ?? "1");
      const slice = items.slice((page - 1) * perPage, page * perPage);
      const next: Record<string, string> = page * perPage < items.length ? { link: `<${this.url}${recorded.path}?per_page=${perPage}&page=${page + 1}>; rel="next"` } : {};
      send(200, slice, next);
    };

    const pull = {
      number: s.pull.number,
      state: "open",
      user: { login: s.pull.author },
      base: { sha: s.pull.baseSha, ref: s.pull.baseRef, repo: { full_name: `${s.owner}/${s.repo}` } },
      head: { sha: s.pull.headSha, repo: { full_name: s.pull.headRepo ?? `${s.owner}/${s.repo}` } },
    };
    if (key === `GET ${pullPath}`) return send(200, pull);
    if (key === `GET ${repoPath}/pulls`) return paged([{ ...pull, number: 7, head: { ...pull.head, sha: "5".repeat(40) } }, pull]);
    if (key === `GET ${pullPath}/files`) return paged(this.changedFiles().slice(0, PULL_FILES_CAP).map((filename) => ({ filename, status: "modified" })));
    if (key === `GET ${pullPath}/reviews`) return paged(s.reviews);
    if (recorded.method === "GET" && recorded.path.startsWith(`${repoPath}/`)) {
      const answer = this.gitRoute(recorded.path.slice(repoPath.length), recorded.query);
      if (answer) return send(answer[0], answer[1]);
    }
    if (key === "POST /graphql") {
      const query = (recorded.body as { query: string }).query;
      return /viewer\s*\{\s*login\s*\}/.test(query) ? send(200, { data: { viewer: { login: s.viewer } } }) : send(200, { errors: [{ message: "fake GitHub knows only viewer { login }" }] });
    }
    if (key === "GET /user") return send(403, { message: "Resource not accessible by integration" });
    const team = /^\/orgs\/([^/]+)\/teams\/([^/]+)\/members$/.exec(recorded.path);
    if (team && recorded.method === "GET") {
      const slug = `${team[1]}/${team[2]}`;
      if (s.forbiddenTeams.includes(slug)) return send(403, { message: "Resource not accessible by integration" });
      const members = s.teams[slug];
      return members ? paged(members.map((login) => ({ login }))) : send(404, { message: "Not Found" });
    }
    if (recorded.method === "POST" && recorded.path.startsWith(`${repoPath}/statuses/`)) return send(201, { id: this.nextId++, ...(recorded.body as object) });
    const issueComments = `${repoPath}/issues/${s.pull.number}/comments`;
    if (key === `GET ${issueComments}`) return paged(s.comments);
    if (key === `POST ${issueComments}`) {
      const comment: IssueComment = { id: this.nextId++, body: (recorded.body as { body: string }).body, user: { login: s.viewer, type: s.viewer.endsWith("[bot]") ? "Bot" : "User" } };
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
      return s.checksForbidden ? send(403, { message: "Resource not accessible by integration" }) : send(201, { id: this.nextId++, ...(recorded.body as object) });
    }
    if (recorded.method === "PATCH" && recorded.path.startsWith(`${repoPath}/check-runs/`)) return send(200, { id: Number(recorded.path.split("/").pop()) });
    send(404, { message: `fake GitHub has no route for ${key}` });
  }

  /** The git database routes (commits, trees, blobs) and compare, from `state.commits`. */
  private gitRoute(route: string, query: Record<string, string>): [number, unknown] | undefined {
    const s = this.state;
    const objects = new Map<string, GitObject>();
    const roots = new Map(Object.entries(s.commits).map(([sha, files]) => [sha, buildTree(files, objects)]));
    const notFound: [number, unknown] = [404, { message: "Not Found", documentation_url: "https://docs.github.com/rest" }];
    let m = /^\/git\/commits\/([0-9a-f]{40})$/.exec(route);
    if (m) {
      const tree = roots.get(m[1]!);
      return tree ? [200, { sha: m[1], tree: { sha: tree, url: `${this.url}/repos/${s.owner}/${s.repo}/git/trees/${tree}` }, parents: [], message: "a commit" }] : notFound;
    }
    m = /^\/git\/trees\/([0-9a-f]{40})$/.exec(route);
    if (m) {
      const tree = objects.get(m[1]!);
      if (tree?.type !== "tree") return notFound;
      if (query["recursive"] === undefined) return [200, { sha: m[1], tree: tree.entries, truncated: false }];
      const all: TreeEntry[] = [];
      const walk = (t: TreeEntry[], prefix: string) => {
        for (const e of t) {
          all.push({ ...e, path: `${prefix}${e.path}` });
          const child = objects.get(e.sha);
          if (child?.type === "tree") walk(child.entries, `${prefix}${e.path}/`);
        }
      };
      walk(tree.entries, "");
      return [200, { sha: m[1], tree: s.truncateTrees ? all.slice(0, 1) : all, truncated: s.truncateTrees }];
    }
    m = /^\/git\/blobs\/([0-9a-f]{40})$/.exec(route);
    if (m) {
      const blob = objects.get(m[1]!);
      if (blob?.type !== "blob") return notFound;
      const content = Buffer.from(blob.content).toString("base64").replace(/.{60}/g, "$&\n");
      return [200, { sha: m[1], size: Buffer.byteLength(blob.content), content, encoding: "base64" }];
    }
    m = /^\/compare\/([0-9a-f]{40})\.\.\.([0-9a-f]{40})$/.exec(route);
    if (m) {
      if (!roots.has(m[1]!) || !roots.has(m[2]!)) return notFound;
      const mergeBase = s.pull.mergeBaseSha ?? m[1]!;
      return [200, { status: "ahead", merge_base_commit: { sha: mergeBase, commit: { tree: { sha: roots.get(mergeBase) } } }, files: this.changedFiles().slice(0, 300) }];
    }
    return undefined;
  }
}

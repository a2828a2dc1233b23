import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { cp, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMENT_MARKER } from "../../src/github/publish.js";
import { ROOT, runCli, tempDir } from "../helpers.js";
import { FakeGitHub, fakeState, PULL_FILES_CAP, type FakeState, type Review } from "./fake-github.js";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as Array<{ name: string; examples: Array<Record<string, unknown>> }>;

const OWNER = "acme";
const REPO = "smarketing";
const BASE_SHA = "1111111111111111111111111111111111111111";
const HEAD_SHA = "2222222222222222222222222222222222222222";
const OLD_SHA = "3333333333333333333333333333333333333333";
const TOKEN = "ghs_testtoken_must_never_be_printed";

/** A real `pull_request` webhook payload from @octokit/webhooks-examples, pointed at our fake repository. */
function pullRequestEvent(overrides: { number: number; author: string; baseSha: string }): object {
  const example = structuredClone(examples.find((e) => e.name === "pull_request")!.examples.find((x) => x["action"] === "opened")!) as {
    number: number;
    pull_request: { number: number; user: { login: string }; base: { sha: string; ref: string; repo: { full_name: string } }; head: { sha: string; repo: { full_name: string } } };
    repository: { full_name: string };
  };
  example.number = overrides.number;
  example.pull_request.number = overrides.number;
  example.pull_request.user.login = overrides.author;
  example.pull_request.base.sha = overrides.baseSha;
  example.pull_request.base.ref = "main";
  example.pull_request.base.repo.full_name = `${OWNER}/${REPO}`;
  example.pull_request.head.sha = HEAD_SHA;
  example.pull_request.head.repo.full_name = `${OWNER}/${REPO}`;
  example.repository.full_name = `${OWNER}/${REPO}`;
  return example;
}

/** The repository at the base commit: the example policy and a README. */
function baseFiles(): Record<string, string> {
  const files: Record<string, string> = { "README.md": "# acme\n" };
  for (const name of ["agreement.policy", "leads.policy", "slas.policy", "goals.policy"]) files[`policies/${name}`] = readFileSync(path.join(ROOT, "policies", name), "utf8");
  return files;
}

/** The head commit: the base with these files changed (or added). */
function headFiles(changes: Record<string, string>): Record<string, string> {
  return { ...baseFiles(), ...changes };
}

const SLAS_CHANGE = { "policies/slas.policy": `${baseFiles()["policies/slas.policy"]}\n# tightened\n`, "README.md": "# acme, changed\n" };

const review = (id: number, login: string, state: Review["state"], commit = HEAD_SHA): Review => ({
  id,
  user: { login },
  state,
  commit_id: commit,
  submitted_at: `2026-11-2${Math.min(9, id)}T10:00:00Z`,
});

describe("github agreement, comment and check against a fake GitHub on 127.0.0.1", () => {
  let fake: FakeGitHub;
  let dir: string;

  /** The example policies and sample snapshot committed as the base of the pull request, which the fake GitHub knows. */
  async function commitExample(): Promise<string> {
    await cp(path.join(ROOT, "policies"), path.join(dir, "policies"), { recursive: true });
    await cp(path.join(ROOT, "snapshots/sample"), path.join(dir, "snapshots/sample"), { recursive: true });
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: dir, encoding: "utf8" });
    git("init", "-q", "-b", "main");
    git("add", "policies", "snapshots");
    git("commit", "-qm", "base");
    const baseSha = git("rev-parse", "HEAD").trim();
    fake.state.pull.baseSha = baseSha;
    fake.state.commits[baseSha] = baseFiles();
    return baseSha;
  }
  let cleanup: () => Promise<void>;
  let env: Record<string, string>;

  const state = (): FakeState =>
    fakeState({
      owner: OWNER,
      repo: REPO,
      pull: { number: 42, author: "pat", baseSha: BASE_SHA, headSha: HEAD_SHA, baseRef: "main" },
      commits: { [BASE_SHA]: baseFiles(), [HEAD_SHA]: headFiles(SLAS_CHANGE) },
      teams: { "acme/marketing-leads": ["maria", "dana"], "acme/sales-managers": ["sam", "sven"] },
    });

  beforeEach(async () => {
    fake = new FakeGitHub(state());
    await fake.start();
    ({ dir, cleanup } = await tempDir());
    const event = path.join(dir, "event.json");
    writeFileSync(event, JSON.stringify(pullRequestEvent({ number: 42, author: "pat", baseSha: BASE_SHA })));
    env = {
      GITHUB_TOKEN: TOKEN,
      GITHUB_API_URL: fake.url,
      GITHUB_REPOSITORY: `${OWNER}/${REPO}`,
      GITHUB_EVENT_PATH: event,
      GITHUB_STEP_SUMMARY: path.join(dir, "summary.md"),
    };
  });
  afterEach(async () => {
    await fake.stop();
    await cleanup();
  });

  const agreement = (extra: string[] = []) => runCli(["github", "agreement", "--retry-base", "5", ...extra], { env });

  const checkRun = () => fake.requests.find((r) => r.method === "POST" && r.path.endsWith("/check-runs"))!.body as { name: string; head_sha: string; conclusion: string; output: { title: string; summary: string } };

  it("passes when both sides signed on the head commit, and publishes a success check run", async () => {
    fake.state.reviews = [review(1, "maria", "APPROVED"), review(2, "sam", "APPROVED")];
    const result = await agreement();
    expect(result.code).toBe(0);
    expect(fake.writes()).toEqual([`POST /repos/${OWNER}/${REPO}/check-runs`]);
    expect(checkRun()).toMatchObject({ name: "smarketing-policy/agreement", head_sha: HEAD_SHA, conclusion: "success", output: { title: "Signed by marketing and sales" } });
    expect(fake.requests.every((r) => r.authorization === `token ${TOKEN}`)).toBe(true);
    expect(result.stdout + result.stderr).not.toContain(TOKEN);
    // Parties come from the base branch, read from its git tree.
    expect(fake.requests.some((r) => r.path === `/repos/${OWNER}/${REPO}/git/commits/${BASE_SHA}`)).toBe(true);
  });

  it("fails with the missing side named when one side has not signed", async () => {
    fake.state.reviews = [review(1, "dana", "APPROVED")];
    const result = await agreement();
    expect(result.code).toBe(1);
    expect(checkRun()).toMatchObject({ conclusion: "failure", output: { title: "Missing signatures: sales" } });
    expect(result.stdout).toContain("| Sales (`sales`) | @acme/sales-managers | **missing** |");
  });

  it("an approval by the author does not sign", async () => {
    fake.state.pull.author = "sam";
    writeFileSync(env["GITHUB_EVENT_PATH"]!, JSON.stringify(pullRequestEvent({ number: 42, author: "sam", baseSha: BASE_SHA })));
    fake.state.reviews = [review(1, "maria", "APPROVED"), review(2, "sam", "APPROVED")];
    const result = await agreement();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("@sam approved their own pull request");
  });

  it("a stale approval (an older commit) does not sign", async () => {
    fake.state.reviews = [review(1, "maria", "APPROVED"), review(2, "sam", "APPROVED", OLD_SHA)];
    const result = await agreement();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("@sam approved an earlier commit");
  });

  it("a later 'changes requested' from the same person withdraws the signature; a dismissal too", async () => {
    fake.state.reviews = [review(1, "maria", "APPROVED"), review(2, "sam", "APPROVED"), review(3, "sam", "CHANGES_REQUESTED")];
    expect((await agreement()).code).toBe(1);
    fake.state.reviews = [review(1, "maria", "APPROVED"), review(2, "sam", "DISMISSED")];
    expect((await agreement()).code).toBe(1);
    fake.state.reviews = [review(1, "maria", "APPROVED"), review(2, "sam", "CHANGES_REQUESTED"), review(3, "sam", "APPROVED")];
    expect((await agreement()).code).toBe(0);
  });

  it("a pull request that appoints its own signer does not sign itself: approvers come from the base branch", async () => {
    // The pull request adds @eve as a sales approver; the base branch does not have her.
    const appointed = baseFiles()["policies/agreement.policy"]!.replace("approvers @acme/sales-managers", "approvers @acme/sales-managers, @eve");
    expect(appointed).toContain("@eve");
    fake.state.commits[HEAD_SHA] = headFiles({ "policies/agreement.policy": appointed });
    fake.state.reviews = [review(1, "maria", "APPROVED"), review(2, "eve", "APPROVED")];
    const result = await agreement();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("| Sales (`sales`) | @acme/sales-managers | **missing** |");
    // No blob of the head commit was read.
    expect(fake.requests.some((r) => r.path.endsWith(`/git/commits/${HEAD_SHA}`))).toBe(true);
  });

  it("a team the token cannot read: says which permission is missing, does not pass and does not crash", async () => {
    fake.state.forbiddenTeams = ["acme/sales-managers"];
    fake.state.reviews = [review(1, "maria", "APPROVED"), review(2, "sam", "APPROVED")];
    const result = await agreement();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("cannot read the members of @acme/sales-managers");
    expect(result.stdout).toContain("read:org");
  });

  it("no policy file changed: passes without signatures", async () => {
    fake.state.commits[HEAD_SHA] = headFiles({ "README.md": "# changed\n" });
    const result = await agreement();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("changes nothing in policies/: no signatures are needed");
  });

  it("a pull request of 3,000 other files and then a policy file needs signatures (GitHub lists at most 3,000 files)", async () => {
    const others = Object.fromEntries(Array.from({ length: PULL_FILES_CAP }, (_, i) => [`docs/page-${String(i).padStart(4, "0")}.md`, `page ${i}\n`]));
    fake.state.commits[HEAD_SHA] = { ...others, ...headFiles({ "policies/slas.policy": SLAS_CHANGE["policies/slas.policy"] }) };
    expect(fake.changedFiles()).toHaveLength(PULL_FILES_CAP + 1);
    expect(fake.changedFiles().at(-1)).toBe("policies/slas.policy");
    const result = await agreement();
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain("changes no policy file");
    expect(result.stdout).toContain("`policies/slas.policy`");
    expect(result.stdout).toContain("| Sales (`sales`) | @acme/sales-managers | **missing** |");
  });

  it("a change made on the base branch after the pull request branched off needs no signature from it", async () => {
    const MERGE_BASE = "4444444444444444444444444444444444444444";
    fake.state.commits[MERGE_BASE] = baseFiles();
    fake.state.commits[BASE_SHA] = headFiles({ "policies/goals.policy": "# changed on main\n" });
    fake.state.commits[HEAD_SHA] = headFiles({ "README.md": "# only the readme\n" });
    fake.state.pull.mergeBaseSha = MERGE_BASE;
    const result = await agreement();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("changes nothing in policies/");
  });

  it("a policy tree too large to list still needs signatures (fails closed)", async () => {
    fake.state.truncateTrees = true;
    fake.state.reviews = [review(1, "maria", "APPROVED"), review(2, "sam", "APPROVED")];
    const result = await agreement();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("too many files");
  });

  /** A real `workflow_run` event (from @octokit/webhooks-examples) for a run about HEAD_SHA. */
  const workflowRunEvent = (pullRequests: Array<{ number: number }>, headSha = HEAD_SHA) => {
    const example = structuredClone(examples.find((e) => e.name === "workflow_run")!.examples.find((x) => x["action"] === "completed")!) as {
      workflow_run: { head_sha: string; pull_requests: unknown[] };
      repository: { full_name: string };
    };
    example.workflow_run.head_sha = headSha;
    example.workflow_run.pull_requests = pullRequests.map((p) => ({ number: p.number, head: { sha: headSha }, base: { repo: { name: REPO } } }));
    example.repository.full_name = `${OWNER}/${REPO}`;
    writeFileSync(env["GITHUB_EVENT_PATH"]!, JSON.stringify(example));
  };

  it("after a review (workflow_run from the default branch): reads the pull request from the API and checks its head", async () => {
    workflowRunEvent([{ number: 42 }]);
    fake.state.reviews = [review(1, "maria", "APPROVED"), review(2, "sam", "APPROVED")];
    const result = await agreement();
    expect(result.code).toBe(0);
    expect(fake.requests.some((r) => r.path === `/repos/${OWNER}/${REPO}/pulls/42`)).toBe(true);
    expect(checkRun()).toMatchObject({ head_sha: HEAD_SHA, conclusion: "success" });
  });

  it("after a review of a fork's pull request (no pull_requests in the event): finds it by head commit", async () => {
    fake.state.pull.headRepo = "mallory/smarketing";
    workflowRunEvent([]);
    fake.state.reviews = [review(1, "maria", "APPROVED")];
    const result = await agreement();
    expect(result.code).toBe(1);
    expect(checkRun()).toMatchObject({ head_sha: HEAD_SHA, conclusion: "failure" });
    // A head commit no open pull request has any more: nothing to publish, and says why.
    fake.requests.length = 0;
    workflowRunEvent([], "6".repeat(40));
    const moved = await agreement();
    expect(moved.code).toBe(0);
    expect(moved.stdout).toContain("has moved on");
    expect(fake.writes()).toEqual([]);
  });

  it("a base branch without policies/ says so plainly", async () => {
    fake.state.commits[BASE_SHA] = { "README.md": "# acme\n" };
    const result = await agreement();
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("The base branch has no policies/ folder");
    expect(result.stdout + result.stderr).not.toContain("404");
  });

  it("a reply that is not JSON is a clear error, exit 2", async () => {
    fake.state.failures = [{ match: `GET /repos/${OWNER}/${REPO}/pulls/42/reviews`, status: 200, times: 1, raw: "<html>upstream proxy error" }];
    const result = await agreement();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("GitHub sent a reply that is not valid JSON while checking the agreement");
    expect(result.stderr).not.toMatch(/internal error|Cannot use 'in' operator/);
  });

  it("a token that the server echoes back in its message is redacted", async () => {
    const echo = `Bad credentials: ${TOKEN} is not valid for this resource`;
    fake.state.failures = [{ match: `GET /repos/${OWNER}/${REPO}/pulls/42/reviews`, status: 422, times: 1, message: echo }];
    const result = await agreement();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("is not valid for this resource");
    expect(result.stderr).not.toContain(TOKEN);
    expect(result.stderr).toContain("[redacted]");
    // A token of no known shape (a GitHub Enterprise one, say) is redacted too.
    const plain = "0123456789abcdef0123456789abcdef01234567";
    fake.state.failures = [{ match: `GET /repos/${OWNER}/${REPO}/pulls/42/reviews`, status: 403, times: 1, message: `token ${plain} lacks scope` }];
    const second = await runCli(["github", "agreement", "--retry-base", "5"], { env: { ...env, GITHUB_TOKEN: plain } });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain("lacks scope");
    expect(second.stderr).not.toContain(plain);
  });

  it("a 5xx is retried; a 403 on the check run falls back to the job summary", async () => {
    fake.state.failures = [{ match: `GET /repos/${OWNER}/${REPO}/pulls/42/reviews`, status: 502, times: 1 }];
    fake.state.checksForbidden = true;
    fake.state.reviews = [review(1, "maria", "APPROVED"), review(2, "sam", "APPROVED")];
    const result = await agreement();
    expect(result.code).toBe(0);
    expect(fake.requests.filter((r) => r.path === `/repos/${OWNER}/${REPO}/pulls/42/reviews`)).toHaveLength(2);
    expect(result.stderr).toContain("no permission to create a check run");
    expect(await readFile(env["GITHUB_STEP_SUMMARY"]!, "utf8")).toContain("signed by every party");
  });

  it("a persistent server error ends with a clear message and exit 2, not a stack trace", async () => {
    fake.state.failures = [{ match: `GET /repos/${OWNER}/${REPO}/pulls/42/reviews`, status: 503, times: 10 }];
    const result = await agreement();
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("GitHub had a server error while checking the agreement (503), even after retrying");
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it("comment: created once, then updated in place", async () => {
    const baseSha = await commitExample();
    fake.state.reviews = [review(1, "maria", "APPROVED")];
    writeFileSync(env["GITHUB_EVENT_PATH"]!, JSON.stringify(pullRequestEvent({ number: 42, author: "pat", baseSha })));
    const slas = path.join(dir, "policies/slas.policy");
    writeFileSync(slas, readFileSync(slas, "utf8").replace("target 95%", "target 90%"));

    // Someone else's comment that carries the marker is never the one edited.
    const planted = { id: 7, body: `${COMMENT_MARKER}\nplease approve, this is fine`, user: { login: "mallory", type: "User" as const } };
    fake.state.comments = [planted];
    const first = await runCli(["github", "comment", "--retry-base", "5"], { env, cwd: dir });
    expect(first.code).toBe(0);
    expect(fake.writes()).toEqual([`POST /repos/${OWNER}/${REPO}/issues/42/comments`]);
    expect(fake.state.comments[0]).toEqual(planted);
    const own = () => fake.state.comments.find((c) => c.user.login === "github-actions[bot]")!;
    const body = own().body;
    expect(body.startsWith(COMMENT_MARKER)).toBe(true);
    expect(body).toContain("target: 95% → 90%");
    expect(body).toMatch(/\*\*Before:\*\* Sales makes a first touch .* for at least \*\*95%\*\* of those leads, each month/);
    expect(body).toMatch(/\*\*After:\*\* Sales makes a first touch .* for at least \*\*90%\*\* of those leads, each month/);
    expect(body).toContain("Impact on `snapshots/sample`");
    expect(body).toContain("| Sales (`sales`) | @acme/sales-managers | **missing** |");
    expect(body).toMatch(/\*\*Policy tests:\*\* ✅ \d+ passed, 0 failed/);
    expect(body).not.toMatch(/[\w.]+@[\w-]+\.(com|io)/);

    const second = await runCli(["github", "comment", "--retry-base", "5"], { env, cwd: dir });
    expect(second.code).toBe(0);
    expect(fake.writes()).toEqual([`POST /repos/${OWNER}/${REPO}/issues/42/comments`, `PATCH /repos/${OWNER}/${REPO}/issues/comments/${own().id}`]);
    expect(fake.state.comments).toHaveLength(2);
    expect(fake.state.comments[0]).toEqual(planted);
  });

  /** SPEC §8.4: a waiver is part of the agreement, so adding one is signed like any policy change. */
  const WAIVER = `waiver dup_l00206 "L00206 was a duplicate of another lead, worked there" {\n  sla first_touch\n  leads "L00206"\n  until 2027-06-30\n}\n`;

  it("a pull request adding a waiver needs both parties' signatures", async () => {
    fake.state.commits[HEAD_SHA] = headFiles({ "policies/waivers.policy": WAIVER });
    fake.state.reviews = [review(1, "sam", "APPROVED")];
    const one = await agreement();
    expect(one.code).toBe(1);
    expect(one.stdout).toContain("`policies/waivers.policy`");
    expect(one.stdout).toContain("| Marketing (`marketing`) | @acme/marketing-leads, @dana | **missing** |");
    fake.state.reviews = [review(1, "sam", "APPROVED"), review(2, "maria", "APPROVED")];
    const both = await agreement();
    expect(both.code).toBe(0);
  });

  it("comment: a waiver added says which leads are excused from what, until when, and its impact", async () => {
    const baseSha = await commitExample();
    writeFileSync(env["GITHUB_EVENT_PATH"]!, JSON.stringify(pullRequestEvent({ number: 42, author: "pat", baseSha })));
    writeFileSync(path.join(dir, "policies/waivers.policy"), WAIVER);
    const result = await runCli(["github", "comment", "--retry-base", "5"], { env, cwd: dir });
    expect(result.code).toBe(0);
    const body = fake.state.comments.find((c) => c.user.login === "github-actions[bot]")!.body;
    expect(body).toContain("**waiver `dup_l00206`** added");
    expect(body).toMatch(/Lead “L00206” is excused from `first_touch` until .*2027 \(the waiver then expires and the leads count again\)/);
    expect(body).toContain("The reason given: “L00206 was a duplicate of another lead, worked there”");
    expect(body).toContain("Impact on `snapshots/sample`");
    expect(body).toMatch(/`first_touch`: [^\n]*→/);
  });

  it("comment: a pull request that changes no policy gets none, unless it had one before", async () => {
    fake.state.commits[HEAD_SHA] = headFiles({ "README.md": "# only the readme\n" });
    const first = await runCli(["github", "comment", "--retry-base", "5"], { env, cwd: dir });
    expect(first.code).toBe(0);
    expect(first.stderr).toContain("changes no policy: no comment");
    expect(fake.writes()).toEqual([]);
    fake.state.comments = [{ id: 9, body: `${COMMENT_MARKER}\nold`, user: { login: "github-actions[bot]", type: "Bot" } }];
    const second = await runCli(["github", "comment", "--retry-base", "5"], { env, cwd: dir });
    expect(second.code).toBe(0);
    expect(fake.writes()).toEqual([`PATCH /repos/${OWNER}/${REPO}/issues/comments/9`]);
    expect(fake.state.comments[0]!.body).toContain("changes nothing in policies/");
  });

  it("comment: when the token's own user cannot be told, no existing comment is edited", async () => {
    fake.state.commits[HEAD_SHA] = headFiles({ "README.md": "# only the readme\n" });
    fake.state.comments = [{ id: 9, body: `${COMMENT_MARKER}\nold`, user: { login: "github-actions[bot]", type: "Bot" } }];
    fake.state.failures = [{ match: "POST /graphql", status: 403, times: 1 }];
    const result = await runCli(["github", "comment", "--retry-base", "5"], { env, cwd: dir });
    expect(result.code).toBe(0);
    expect(fake.requests.some((r) => r.path === "/user")).toBe(true);
    expect(fake.writes()).toEqual([]);
    expect(fake.state.comments[0]!.body).toBe(`${COMMENT_MARKER}\nold`);
  });

  it("check: annotations are sent at most 50 per request", async () => {
    // 120 warnings: fields nobody uses.
    await cp(path.join(ROOT, "policies"), path.join(dir, "policies"), { recursive: true });
    const extra = Array.from({ length: 120 }, (_, i) => `  unused_${i} text`).join("\n");
    writeFileSync(path.join(dir, "policies/extra.policy"), `fields {\n${extra}\n}\n`);
    await cp(path.join(ROOT, "snapshots/sample"), path.join(dir, "snapshots/sample"), { recursive: true });
    const result = await runCli(["github", "check", "--retry-base", "5", "--sha", HEAD_SHA], { env, cwd: dir });
    expect(result.code).toBe(1);
    const writes = fake.requests.filter((r) => r.method !== "GET");
    expect(writes.map((r) => `${r.method} ${r.path.replace(/\d+$/, "ID")}`)).toEqual([
      `POST /repos/${OWNER}/${REPO}/check-runs`,
      `PATCH /repos/${OWNER}/${REPO}/check-runs/ID`,
      `PATCH /repos/${OWNER}/${REPO}/check-runs/ID`,
    ]);
    const sizes = writes.map((r) => (r.body as { output: { annotations: unknown[] } }).output.annotations.length);
    expect(sizes).toEqual([50, 50, 20]);
    const created = writes[0]!.body as { conclusion: string; head_sha: string; output: { summary: string } };
    expect(created).toMatchObject({ conclusion: "failure", head_sha: HEAD_SHA });
    expect(created.output.summary).toContain("Acme smarketing SLA");
  });

  it("check without permission writes the job summary instead", async () => {
    fake.state.checksForbidden = true;
    await cp(path.join(ROOT, "policies"), path.join(dir, "policies"), { recursive: true });
    await cp(path.join(ROOT, "snapshots/sample"), path.join(dir, "snapshots/sample"), { recursive: true });
    const result = await runCli(["github", "check", "--retry-base", "5", "--sha", HEAD_SHA], { env, cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("no permission to create a check run");
    expect(await readFile(env["GITHUB_STEP_SUMMARY"]!, "utf8")).toContain("Acme smarketing SLA");
    expect(result.stderr).toContain("newest snapshot: snapshots/sample (as_of ");
  });

  it("without a token it says how to give one, exit 2", async () => {
    const result = await runCli(["github", "agreement"], { env: { ...env, GITHUB_TOKEN: "" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no GitHub token");
  });
});

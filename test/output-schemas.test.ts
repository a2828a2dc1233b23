import { execFileSync } from "node:child_process";
import { cp, readFile, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, ROOT, tempDir } from "./helpers.js";

/** `test`, `diff` and `explain --format json` each follow their schema in schemas/, compiled in ajv's strict mode. */
function checker(name: string) {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true });
  addFormats.default(ajv);
  const check = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, "schemas", name), "utf8")) as object);
  return (json: unknown) => {
    const ok = check(json);
    return { ok, errors: JSON.stringify(check.errors) };
  };
}

function expectValid(name: string, stdout: string): unknown {
  const json = JSON.parse(stdout) as unknown;
  const { ok, errors } = checker(name)(json);
  expect(ok, errors).toBe(true);
  return json;
}

describe("test --format json follows schemas/test-results.schema.json", () => {
  it("passing tests, with coverage", async () => {
    const result = await runCli(["test", "policies", "--format", "json", "--coverage"]);
    expect(result.code).toBe(0);
    const json = expectValid("test-results.schema.json", result.stdout) as { coverage: { conditions: unknown[] } };
    expect(json.coverage.conditions.length).toBeGreaterThan(0);
  });

  it("a failing test, without coverage", async () => {
    const result = await runCli(["test", "test/fixtures/policy-tests/failing", "--policies", "test/fixtures/hand-checked/policies", "--format", "json"]);
    expect(result.code).toBe(1);
    const json = expectValid("test-results.schema.json", result.stdout) as { coverage: unknown; summary: { failed: number } };
    expect(json.coverage).toBeNull();
    expect(json.summary.failed).toBeGreaterThan(0);
  });

  it("the schema rejects what the output must not be", () => {
    const check = checker("test-results.schema.json");
    expect(check({ summary: { passed: 1, failed: 0 }, tests: [{ file: "a", line: 0, name: "t", passed: true, failures: [] }], coverage: null }).ok).toBe(false);
    expect(check({ summary: { passed: 1, failed: 0 }, tests: [], coverage: null, extra: 1 }).ok).toBe(false);
  });
});

describe("explain --format json follows schemas/explain.schema.json", () => {
  it("a lead of the sample snapshot", async () => {
    const result = await runCli(["explain", "--snapshot", "snapshots/sample", "--lead", "L00001", "--format", "json"]);
    expect(result.code).toBe(0);
    const json = expectValid("explain.schema.json", result.stdout) as { definitions: unknown[]; slas: unknown[] };
    expect(json.definitions.length).toBeGreaterThan(0);
    expect(json.slas.length).toBeGreaterThan(0);
  });

  it("the schema rejects an unknown outcome", async () => {
    const result = await runCli(["explain", "--snapshot", "snapshots/sample", "--lead", "L00001", "--format", "json"]);
    const json = JSON.parse(result.stdout) as { slas: Array<{ outcome: string }> };
    json.slas[0]!.outcome = "great";
    expect(checker("explain.schema.json")(json).ok).toBe(false);
  });
});

describe("diff --format json follows schemas/diff.schema.json", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", ...args], { cwd: dir, encoding: "utf8" });

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await cp(path.join(ROOT, "policies"), path.join(dir, "policies"), { recursive: true });
    await cp(path.join(ROOT, "snapshots/sample"), path.join(dir, "snapshots/sample"), { recursive: true });
    git("init", "-q", "-b", "main");
    git("add", ".");
    git("commit", "-qm", "v1");
    const slas = path.join(dir, "policies/slas.policy");
    await writeFile(slas, (await readFile(slas, "utf8")).replace("expect count >= 75", "expect count >= 20"));
    const leads = path.join(dir, "policies/leads.policy");
    await writeFile(leads, (await readFile(leads, "utf8")).replace("lead_score >= 60", "lead_score >= 50"));
  });
  afterAll(async () => cleanup());

  it("changes, with the impact on a snapshot and the leads that moved", async () => {
    const result = await runCli(["diff", "--base", "HEAD", "--snapshot", "snapshots/sample", "--format", "json", "--show-leads"], { cwd: dir });
    expect(result.code).toBe(0);
    const json = expectValid("diff.schema.json", result.stdout) as { changes: unknown[]; impact: { impact: { goals: unknown[] } } };
    expect(json.changes.length).toBe(2);
    expect(json.impact.impact.goals.length).toBeGreaterThan(0);
  });

  it("no change and no snapshot: impact is null", async () => {
    const result = await runCli(["diff", "--base", "HEAD", "--head", "HEAD", "--format", "json"], { cwd: dir });
    expect(result.code).toBe(0);
    const json = expectValid("diff.schema.json", result.stdout) as { same: boolean; impact: unknown };
    expect(json.same).toBe(true);
    expect(json.impact).toBeNull();
  });
});

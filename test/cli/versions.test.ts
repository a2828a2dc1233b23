import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers.js";
import { THREE_VERSIONS, versionPolicy, writeVersionsRepo } from "../versions-repo.js";

const GOLDEN = path.join(ROOT, "test/golden/versions");

/** The golden's text, or with UPDATE_GOLDEN=1 rewritten from this run (review the diff). */
function golden(name: string, actual: string): string {
  const file = path.join(GOLDEN, name);
  if (process.env["UPDATE_GOLDEN"]) writeFileSync(file, actual);
  return readFileSync(file, "utf8");
}

/**
 * `eval --versions git` on a temporary git repository: three commits of the agreement (95% →
 * 90% → 85%, effective 1 Nov, 1 Jan, 1 Feb) over test/fixtures/versions' snapshot, worked by
 * hand in test/engine/versions.test.ts. Commits have fixed authors and dates, so their ids,
 * and the goldens, are the same on every run.
 */
describe("eval --versions git", () => {
  let repo: { dir: string; cleanup: () => Promise<void> };
  beforeAll(async () => {
    repo = await tempDir();
    writeVersionsRepo(repo.dir, THREE_VERSIONS);
  });
  afterAll(async () => repo.cleanup());

  it("judges each month by its version and says which (golden)", async () => {
    const r = await runCli(["eval", "--snapshot", "snapshot", "--versions", "git"], { cwd: repo.dir });
    expect(r.stdout).toBe(golden("eval-versions-git.txt", r.stdout));
    expect(r.stdout).toContain("2026-12  all    breached     90%    9    1       0     >= 95%  version 1");
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("");
  });

  it("the JSON report carries the versions and each result's, and follows schemas/report.schema.json", async () => {
    const r = await runCli(["eval", "--snapshot", "snapshot", "--versions", "git", "--format", "json"], { cwd: repo.dir });
    const report = JSON.parse(r.stdout) as { versions: Array<{ version: number; commit: string }>; slas: Array<{ id: string; results: Array<{ period: string; judgedBy: { version: number; target: { value: number } } }> }> };
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    addFormats.default(ajv);
    const check = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, "schemas/report.schema.json"), "utf8")) as object);
    expect(check(report), JSON.stringify(check.errors)).toBe(true);
    const commits = execFileSync("git", ["log", "--reverse", "--format=%H"], { cwd: repo.dir, encoding: "utf8" }).trim().split("\n");
    expect(report.versions.map((v) => [v.version, v.commit])).toEqual(THREE_VERSIONS.map((v, i) => [v.version, commits[i]]));
    const touch = report.slas.find((s) => s.id === "first_touch")!;
    expect(touch.results.map((c) => [c.period, c.judgedBy.version, c.judgedBy.target.value])).toEqual([
      ["2026-11", 1, 0.95],
      ["2026-12", 1, 0.95],
      ["2027-01", 2, 0.9],
      ["2027-02", 3, 0.85],
    ]);
  });

  it("markdown and the dashboard name the version of each result; bar charts shade a band per version", async () => {
    const md = await runCli(["eval", "--snapshot", "snapshot", "--versions", "git", "--format", "markdown"], { cwd: repo.dir });
    expect(md.stdout).toMatch(/\*\*Versions in force:\*\* version 1 \([0-9a-f]{7}\) 2026-11-01 to 2027-01-01 · version 2 \([0-9a-f]{7}\) 2027-01-01 to 2027-02-01 · version 3 \([0-9a-f]{7}\) from 2027-02-01/);
    expect(md.stdout).toMatch(/\| 2027-01 \| all \| ✅ met \| 90% \| 9 \| 1 \| 0 \| >= 90% \| version 2 \([0-9a-f]{7}\) \|/);
    const html = await runCli(["eval", "--snapshot", "snapshot", "--versions", "git", "--format", "html"], { cwd: repo.dir });
    const touch = html.stdout.slice(html.stdout.indexOf('id="sla-first_touch"'));
    const chart = touch.slice(0, touch.indexOf("</figure>"));
    // Two layouts (wide and narrow), three versions each.
    expect(chart.match(/<rect class="band b[01]"/g)).toHaveLength(6);
    expect(chart).toContain("shaded bands: the version of the agreement that judged those periods");
    expect(html.stdout).toContain("Versions in force: version 1 (");
  });

  it("JUnit names each result's version, so a split period's two parts are two test cases", async () => {
    const r = await runCli(["eval", "--snapshot", "snapshot", "--versions", "git", "--format", "junit"], { cwd: repo.dir });
    expect(r.stdout).toMatch(/<testcase classname="smarketing.first_touch" name="first_touch · 2026-12 · v1"><failure type="breached" message="breached: 90% met \(target &gt;= 95%\): 1 of 10 missed · version 1 \([0-9a-f]{7}\)"/);
  });

  it("explain --versions git explains each SLA by the version in force at the lead's clock start (JSON follows its schema)", async () => {
    const ajv = new Ajv2020.default({ strict: true, allErrors: true });
    addFormats.default(ajv);
    const check = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, "schemas/explain.schema.json"), "utf8")) as object);
    const commits = execFileSync("git", ["log", "--reverse", "--format=%H"], { cwd: repo.dir, encoding: "utf8" }).trim().split("\n");
    for (const [lead, version] of [["D10", 1], ["J01", 2], ["F08", 3]] as const) {
      const r = await runCli(["explain", "--snapshot", "snapshot", "--lead", lead, "--versions", "git", "--format", "json"], { cwd: repo.dir });
      const explanation = JSON.parse(r.stdout) as { slas: Array<{ id: string; judgedBy: { version: number; commit: string } }> };
      expect(check(explanation), JSON.stringify(check.errors)).toBe(true);
      expect(explanation.slas.map((s) => [s.id, s.judgedBy.version, s.judgedBy.commit])).toEqual([
        ["first_touch", version, commits[version - 1]],
        ["volume", version, commits[version - 1]],
      ]);
    }
    const text = await runCli(["explain", "--snapshot", "snapshot", "--lead", "J01", "--versions", "git"], { cwd: repo.dir });
    expect(text.stdout).toContain(`judged by version 2 (${commits[1]!.slice(0, 7)}), effective 2027-01-01: the version in force at the lead's clock start`);
    const plain = await runCli(["explain", "--snapshot", "snapshot", "--lead", "J01", "--format", "json"], { cwd: repo.dir });
    expect(plain.stdout).not.toContain("judgedBy");
  });

  it("without --versions, the working tree's version judges everything, as before", async () => {
    const r = await runCli(["eval", "--snapshot", "snapshot", "--format", "json"], { cwd: repo.dir });
    const report = JSON.parse(r.stdout) as Record<string, unknown> & { slas: Array<{ results: Array<Record<string, unknown>> }> };
    expect(report["versions"]).toBeUndefined();
    expect(report.slas[0]!.results.every((c) => !("judgedBy" in c))).toBe(true);
  });

  it("says when the policy folder has changes not committed (they are not a version), and the CSV lists every version's leads once", async () => {
    const local = await tempDir();
    try {
      writeVersionsRepo(local.dir, THREE_VERSIONS);
      writeFileSync(path.join(local.dir, "policies/agreement.policy"), versionPolicy({ version: 4, effective: "2027-02-15", target: 50, count: 1 }));
      const r = await runCli(["eval", "--snapshot", "snapshot", "--versions", "git", "--format", "csv"], { cwd: local.dir });
      expect(r.stderr).toContain("note: 'policies' has changes not committed; --versions git judges with the committed versions only");
      const rows = r.stdout.trim().split("\n").slice(1).map((line) => line.split(","));
      const judged = rows.filter((row) => row[0] === "first_touch");
      expect(judged).toHaveLength(38);
      expect(new Set(judged.map((row) => row[3])).size).toBe(38);
      expect(judged.filter((row) => row[4] === "breached").map((row) => row[3])).toEqual(["N10", "D10", "J08", "F08"]);
    } finally {
      await local.cleanup();
    }
  });

  it("reads the snapshot on two threads once per version (--threads 2): the same report", async () => {
    const one = await runCli(["eval", "--snapshot", "snapshot", "--versions", "git", "--format", "json", "--threads", "1"], { cwd: repo.dir });
    const two = await runCli(["eval", "--snapshot", "snapshot", "--versions", "git", "--format", "json", "--threads", "2"], { cwd: repo.dir });
    expect(two.stderr).toBe("");
    expect(two.stdout).toBe(one.stdout);
  });

  it("--versions takes only git, and needs a git repository", async () => {
    const other = await runCli(["eval", "--snapshot", "snapshot", "--versions", "svn"], { cwd: repo.dir });
    expect([other.code, other.stderr]).toEqual([2, expect.stringContaining("--versions must be 'git'")]);
    const outside = await tempDir();
    try {
      writeFileSync(path.join(outside.dir, "x"), "");
      const r = await runCli(["eval", "--snapshot", "snapshot", "--versions", "git"], { cwd: outside.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("is not inside a git repository");
    } finally {
      await outside.cleanup();
    }
  });
});

describe("eval --versions git with versions that cannot be used", () => {
  it("a version effective before its predecessor (W0801) and one that does not check (W0802) are left out, named by commit", async () => {
    const repo = await tempDir();
    try {
      const broken = versionPolicy({ version: 4, effective: "2027-02-10", target: 80, count: 8 }).replace("expect count", "expect cuont");
      const backwards = { version: 5, effective: "2026-12-15", target: 50, count: 1 };
      writeVersionsRepo(repo.dir, [...THREE_VERSIONS, broken, versionPolicy(backwards)]);
      const commits = execFileSync("git", ["log", "--reverse", "--format=%h"], { cwd: repo.dir, encoding: "utf8" }).trim().split("\n");
      const r = await runCli(["eval", "--snapshot", "snapshot", "--versions", "git", "--format", "json"], { cwd: repo.dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`warning[W0802]: the policy at commit ${commits[3]} has`);
      expect(r.stderr).toContain(`warning[W0801]: the version of commit ${commits[4]} takes effect on 2026-12-15, before the version it follows (commit ${commits[2]}, effective 2027-02-01)`);
      expect(r.stderr).toContain("policies/agreement.policy:3:");
      const report = JSON.parse(r.stdout) as { versions: Array<{ version: number }>; notes: string[] };
      expect(report.versions.map((v) => v.version)).toEqual([1, 2, 3]);
      expect(report.notes.filter((n) => /W080[12]/.test(n))).toHaveLength(2);
    } finally {
      await repo.cleanup();
    }
  });
});

describe("eval --versions git with no version that checks", () => {
  it("exits 2 after naming the commit that does not check", async () => {
    const repo = await tempDir();
    try {
      writeVersionsRepo(repo.dir, [versionPolicy(THREE_VERSIONS[0]!).replace("target 95%", "target 195%")]);
      const r = await runCli(["eval", "--snapshot", "snapshot", "--versions", "git"], { cwd: repo.dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/warning\[W0802\]: the policy at commit [0-9a-f]{7} has an error \(first: /);
      expect(r.stderr).toContain("error: --versions git: no committed version of 'policies' checks; fix the newest and commit it");
      expect(r.stdout).toBe("");
    } finally {
      await repo.cleanup();
    }
  });

  it("--group-by applies to every version, and must name a field each has", async () => {
    const repo = await tempDir();
    try {
      writeVersionsRepo(repo.dir, THREE_VERSIONS);
      const r = await runCli(["eval", "--snapshot", "snapshot", "--versions", "git", "--group-by", "stage", "--format", "json"], { cwd: repo.dir });
      const report = JSON.parse(r.stdout) as { slas: Array<{ by: string[]; results: Array<{ group: string }> }> };
      expect(report.slas[0]!.by).toEqual(["stage"]);
      expect(new Set(report.slas[0]!.results.map((c) => c.group))).toEqual(new Set(["sql"]));
      const typo = await runCli(["eval", "--snapshot", "snapshot", "--versions", "git", "--group-by", "stgae"], { cwd: repo.dir });
      expect([typo.code, typo.stderr]).toEqual([2, expect.stringMatching(/--group-by: the version at commit [0-9a-f]{7} has no field 'stgae'/)]);
    } finally {
      await repo.cleanup();
    }
  });
});

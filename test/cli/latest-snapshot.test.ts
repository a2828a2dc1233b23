import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { LIMITS } from "../../src/github/limits.js";
import { runCli, tempDir } from "../helpers.js";

async function snapshot(root: string, name: string, asOf: string | undefined): Promise<void> {
  const dir = path.join(root, "snapshots", name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "leads.csv"), "id\nL1\n");
  if (asOf !== undefined) await writeFile(path.join(dir, "snapshot.yaml"), `as_of: ${asOf}\n`);
}

describe("latest-snapshot: the tool picks the newest snapshot, by as_of", () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it("picks the newest as_of, not the last name (sample sorts after every date), and says which", async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    await snapshot(t.dir, "sample", "2027-01-15T17:00:00-05:00");
    await snapshot(t.dir, "2027-01-20", "2027-01-20T18:00:00Z");
    await snapshot(t.dir, "2027-01-10", "2027-01-10T18:00:00Z");
    await mkdir(path.join(t.dir, "snapshots", "notes"));
    const result = await runCli(["latest-snapshot"], { cwd: t.dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("snapshots/2027-01-20\n");
    expect(result.stderr).toContain("newest snapshot: snapshots/2027-01-20 (as_of 2027-01-20T18:00:00Z; 3 snapshot folders looked at)");
  });

  it("compares as_of values as instants, whatever their offsets", async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    await snapshot(t.dir, "a", "2027-01-21T00:30:00+02:00"); // 2027-01-20T22:30Z
    await snapshot(t.dir, "b", "2027-01-21T00:10:00Z");
    expect((await runCli(["latest-snapshot", "snapshots"], { cwd: t.dir })).stdout).toBe("snapshots/b\n");
  });

  it("passes over a folder whose name could forge a workflow output line; none at all is exit 2", async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    expect((await runCli(["latest-snapshot"], { cwd: t.dir })).code).toBe(2);
    await snapshot(t.dir, "2027-01-10", "2027-01-10T18:00:00Z");
    await snapshot(t.dir, "z\ndir=x", "2027-12-31T00:00:00Z");
    const result = await runCli(["latest-snapshot"], { cwd: t.dir });
    expect(result.stdout).toBe("snapshots/2027-01-10\n");
    expect(result.stderr).toContain("a control character in the folder name");
  });
});

describe("github summary: reports into the job summary within GitHub's 1 MiB", () => {
  it("cuts a report past the limit, counting what the step already wrote, and points to the artifact", async () => {
    const t = await tempDir();
    try {
      const summary = path.join(t.dir, "summary.md");
      await writeFile(summary, `${"x".repeat(100_000)}\n`);
      const row = "| 2027-01 | Core | ✅ met | 97.5% |\n";
      await writeFile(path.join(t.dir, "report.md"), `# Report\n\n${row.repeat(Math.ceil(1_600_000 / row.length))}`);
      const result = await runCli(["github", "summary", "report.md"], { cwd: t.dir, env: { GITHUB_STEP_SUMMARY: summary } });
      expect(result.code).toBe(0);
      const written = await readFile(summary);
      expect(written.length).toBeLessThanOrEqual(LIMITS.jobSummaryBytes);
      expect(written.length).toBeGreaterThan(LIMITS.jobSummaryBytes - 4096);
      const text = written.toString("utf8");
      expect(text).not.toContain("\uFFFD");
      expect(text).toContain("Cut to fit GitHub's limit of 1 MiB per job summary. The full report (personal fields masked) is in this run's uploaded artifact.");
      expect((await runCli(["github", "summary", "report.md"], { cwd: t.dir, env: {} })).stderr).toContain("GITHUB_STEP_SUMMARY is not set");
    } finally {
      await t.cleanup();
    }
  });
});

import { execFileSync } from "node:child_process";
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import Papa from "papaparse";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers.js";

/** A real git repository with the example policy and the sample snapshot, and a second commit that changes it. */
describe("smarketing-policy diff on a real git repository", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const git = (...args: string[]) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await cp(path.join(ROOT, "policies"), path.join(dir, "policies"), { recursive: true });
    await cp(path.join(ROOT, "snapshots/sample"), path.join(dir, "snapshots/sample"), { recursive: true });
    git("init", "-q", "-b", "main");
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "add", ".");
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "agreement v3");
    const leads = path.join(dir, "policies/leads.policy");
    await writeFile(leads, (await readFile(leads, "utf8")).replace("lead_score >= 60 and employees >= 50", "lead_score >= 50 and employees >= 50"));
    const slas = path.join(dir, "policies/slas.policy");
    await writeFile(
      slas,
      (await readFile(slas, "utf8")).replace("expect count >= 75", "expect count >= 20").replace("  severity soft\n", "  severity hard\n"),
    );
    git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qam", "lower the MQL bar");
  });
  afterAll(async () => cleanup());

  it("says what changed in words, condition by condition", async () => {
    const result = await runCli(["diff", "--base", "HEAD~1", "--head", "HEAD"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("  ~ lead definition mql\n      condition: `(lead_score >= 60 and employees >= 50)` → `(lead_score >= 50 and employees >= 50)`");
    expect(result.stdout).toContain("  ~ SLA mql_volume\n      expectation: count >= 75 → count >= 20");
    expect(result.stdout).toContain("  ~ SLA mql_quality\n      severity: soft: a breach fails the check only with --fail-on soft → hard: a breach fails the compliance check");
    expect(result.stdout).toContain("3 changes: 3 changed, 0 added, 0 removed.");
  });

  it("in Markdown, says what each changed block means before and after, in sentences", async () => {
    const result = await runCli(["diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "markdown"], { cwd: dir });
    expect(result.code).toBe(0);
    const volume = result.stdout.slice(result.stdout.indexOf("**SLA `mql_volume`**"));
    expect(volume).toMatch(/^\*\*SLA `mql_volume`\*\* changed\n  - \*\*Before:\*\* Marketing delivers at least \*\*75\*\* `mql` leads, each month/);
    expect(volume).toContain("\n  - **After:** Marketing delivers at least **20** `mql` leads, each month");
    expect(result.stdout).toContain("**Before:** A lead counts as `mql` (Marketing qualified lead) when its lifecycle stage is one of");
    expect(result.stdout).toContain("or both its HubSpot Score is at least **50** and its Number of Employees is at least 50");
    expect(result.stdout).toContain("**After:** Marketing makes sure that at least 40% of `mql` leads are also `sales_ready`, each quarter (a lead counts in the quarter of its Became a Marketing Qualified Lead Date). A **hard** commitment: missing it fails the compliance **check.**");
  });

  it("shows the impact on a snapshot: leads that enter a definition, SLA status before → after", async () => {
    const result = await runCli(["diff", "--base", "HEAD~1", "--head", "HEAD", "--snapshot", "snapshots/sample", "--format", "json", "--show-leads"], { cwd: dir });
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as {
      impact: { impact: { definitions: Array<{ id: string; before: number; after: number; entered: string[]; left: string[] }>; slas: Array<{ id: string; before: { value: number }; after: { value: number } }> } };
    };
    const mql = json.impact.impact.definitions.find((d) => d.id === "mql")!;
    expect(mql.after - mql.before).toBe(mql.entered.length - mql.left.length);
    expect(mql.entered.length).toBeGreaterThan(0);
    expect(mql.left).toEqual([]);
    const volume = json.impact.impact.slas.find((s) => s.id === "mql_volume")!;
    expect(volume.before).not.toEqual(volume.after);
  });

  it("explains a figure that does not move: the leads entering have no clock, so they count in no period", async () => {
    const result = await runCli(["diff", "--base", "HEAD~1", "--head", "HEAD", "--snapshot", "snapshots/sample", "--format", "json", "--show-leads"], { cwd: dir });
    const json = JSON.parse(result.stdout) as {
      impact: { impact: { definitions: Array<{ id: string; entered: string[] }>; slas: Array<{ id: string; population: string; clock: string; enteredWithoutClock: number }> } };
    };
    const entered = new Set(json.impact.impact.definitions.find((d) => d.id === "mql")!.entered);
    // Counted from the export itself: entering mql leads whose "Became a Marketing Qualified Lead Date" is empty.
    const rows = Papa.parse<Record<string, string>>(await readFile(path.join(dir, "snapshots/sample/leads.csv"), "utf8"), { header: true, skipEmptyLines: true }).data;
    const withoutClock = rows.filter((r) => entered.has(r.id!) && r["Became a Marketing Qualified Lead Date"] === "").length;
    expect(withoutClock).toBeGreaterThan(0);
    const volume = json.impact.impact.slas.find((s) => s.id === "mql_volume")!;
    expect(volume).toMatchObject({ population: "mql", clock: "became_mql_at", enteredWithoutClock: withoutClock });

    const text = await runCli(["diff", "--base", "HEAD~1", "--head", "HEAD", "--snapshot", "snapshots/sample"], { cwd: dir });
    expect(text.stdout).toContain(`mql_volume: ${withoutClock} mql leads newly reach it with no became_mql_at, so they count in no period`);
    expect(text.stdout).toMatch(/Impact on snapshots\/sample \(as of 2027-03-15 17:00 EDT\)/);
  });

  it("an added or removed block is shown with all its settings, in a sentence, in text and JSON", async () => {
    const slas = path.join(dir, "policies/slas.policy");
    const before = await readFile(slas, "utf8");
    const added = 'sla enterprise_volume "Enterprise MQLs" {\n  owner marketing\n  leads mql from became_mql_at\n  expect count >= 20\n  per month\n  severity soft\n}\n';
    await writeFile(slas, `${before.replace(/sla attempt_cap[^]*?\n}\n/, "")}\n${added}`);
    try {
      const text = await runCli(["diff", "--base", "HEAD"], { cwd: dir });
      expect(text.stdout).toContain("  + SLA enterprise_volume added\n      Now: Marketing delivers at least 20 mql leads, each month");
      expect(text.stdout).toContain("A soft commitment: missing it is reported, and fails the compliance check only when it is run with --fail-on soft.");
      expect(text.stdout).toMatch(/  - SLA attempt_cap removed\n      Was: \S/);
      const json = JSON.parse((await runCli(["diff", "--base", "HEAD", "--format", "json"], { cwd: dir })).stdout) as {
        changes: Array<{ change: string; id: string; meaning: { before: string | null; after: string | null } }>;
      };
      const enterprise = json.changes.find((c) => c.id === "enterprise_volume")!;
      expect(enterprise.meaning.before).toBeNull();
      expect(enterprise.meaning.after).toMatch(/^Marketing delivers at least 20 mql leads, each month/);
      expect(json.changes.find((c) => c.id === "attempt_cap")!.meaning).toMatchObject({ after: null, before: expect.stringMatching(/\S/) });
    } finally {
      await writeFile(slas, before);
    }
  });

  it("a change that only reformats says so", async () => {
    await writeFile(path.join(dir, "policies/goals.policy"), (await readFile(path.join(dir, "policies/goals.policy"), "utf8")).replace(/\n\n/g, "\n\n\n") + "# a new comment\n");
    const result = await runCli(["diff", "--base", "HEAD"], { cwd: dir });
    expect(result.stdout).toContain("Only formatting changed: the agreement means the same.");
    git("checkout", "--", "policies/goals.policy");
  });

  it("an unknown ref is a usage error, exit 2", async () => {
    const result = await runCli(["diff", "--base", "no-such-branch"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("'no-such-branch' is not a commit, branch or tag");
  });
});

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers.js";

describe("smarketing-policy init", () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it("writes a starter repository on which validate, test and eval all exit 0", async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    const init = await runCli(["init", "team"], { cwd: t.dir });
    expect(init.code).toBe(0);
    const cwd = path.join(t.dir, "team");
    for (const file of ["policies/agreement.policy", "policies/agreement.test.yaml", "snapshots/sample/leads.csv", ".github/workflows/policy.yml", ".github/CODEOWNERS", "README.md"]) {
      expect(init.stdout).toContain(file);
    }
    expect((await runCli(["validate", "policies", "--strict"], { cwd })).code).toBe(0);
    const tests = await runCli(["test", "policies", "--coverage"], { cwd });
    expect(tests.code).toBe(0);
    expect(tests.stdout).toMatch(/^4 passed, 0 failed$/m);
    expect(tests.stdout).toContain("6 of 6 definitions and SLAs exercised");
    const evaluated = await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "json"], { cwd });
    expect(evaluated.code).toBe(0);
    const report = JSON.parse(evaluated.stdout) as { slas: Array<{ id: string; status: string }>; input: { rejects: unknown[] } };
    expect(report.input.rejects).toEqual([]);
    expect(report.slas.map((s) => [s.id, s.status])).toEqual([
      ["mql_volume", "in_progress"],
      ["first_touch", "in_progress"],
      ["attempt_cap", "in_progress"],
    ]);
    expect((await runCli(["fmt", "--check", "policies"], { cwd })).code).toBe(0);
  });

  it("writes a .gitignore for node_modules and reports, and its next steps start with npm install", async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    const init = await runCli(["init", "my team"], { cwd: t.dir });
    expect(init.code).toBe(0);
    const ignored = (await readFile(path.join(t.dir, "my team", ".gitignore"), "utf8")).split("\n");
    expect(ignored).toEqual(expect.arrayContaining(["node_modules/", "reports/"]));
    const next = init.stdout.slice(init.stdout.indexOf("next:")).split("\n").map((l) => l.trim()).filter(Boolean);
    expect(next.slice(0, 4)).toEqual(["next:", "cd 'my team'", "npm install", "npx smarketing-policy validate policies"]);
    for (const workflow of ["policy.yml", "policy-review.yml", "signoff.yml", "compliance.yml"]) expect(init.stdout).toContain(`.github/workflows/${workflow}`);
  });

  it("refuses to overwrite existing files unless --force", async () => {
    const t = await tempDir();
    cleanup = t.cleanup;
    await writeFile(path.join(t.dir, "README.md"), "ours\n");
    const refused = await runCli(["init"], { cwd: t.dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("  README.md");
    expect(await readFile(path.join(t.dir, "README.md"), "utf8")).toBe("ours\n");
    const forced = await runCli(["init", "--force"], { cwd: t.dir });
    expect(forced.code).toBe(0);
    expect(await readFile(path.join(t.dir, "README.md"), "utf8")).toContain("# Our smarketing agreement");
  });
});

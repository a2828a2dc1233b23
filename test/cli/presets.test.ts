import { readFileSync } from "node:fs";
import { afterEach } from "vitest";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { CRMS, parseCrm, presetFor, SAMPLE_SEED } from "../../src/cli/presets/preset.js";
import { ROOT, runCli, tempDir } from "../helpers.js";

/** Header and rows of a generated CSV (no embedded line breaks in the samples). */
function table(csv: string): { header: string[]; rows: string[][] } {
  const split = (line: string) => (line.startsWith('"') ? line.slice(1, -1).split('","') : line.split(","));
  const [head = "", ...rest] = csv.trimEnd().split("\n");
  return { header: split(head), rows: rest.map(split) };
}

describe("init --crm presets", () => {
  it("the committed examples are the generator's output (npx tsx scripts/generate-crm-samples.ts)", () => {
    for (const crm of CRMS) {
      const preset = presetFor(crm);
      const sample = preset.sample(SAMPLE_SEED);
      const dir = path.join(ROOT, "examples", crm);
      for (const [name, text] of Object.entries(preset.policies)) expect(readFileSync(path.join(dir, "policies", name), "utf8"), `${crm} ${name}`).toBe(text);
      expect(readFileSync(path.join(dir, "snapshots/sample/leads.csv"), "utf8")).toBe(sample.leads);
      expect(readFileSync(path.join(dir, "snapshots/sample/activities.csv"), "utf8")).toBe(sample.activities);
      expect(readFileSync(path.join(dir, "snapshots/sample/snapshot.yaml"), "utf8")).toBe(sample.manifest);
    }
  });

  it("the same seed writes the same sample, another seed another one", () => {
    for (const crm of CRMS) {
      const preset = presetFor(crm);
      expect(preset.sample(7)).toEqual(preset.sample(7));
      expect(preset.sample(7).leads).not.toBe(preset.sample(8).leads);
    }
  });

  it("HubSpot's sample has HubSpot's columns, labels, owners by name and local times", () => {
    const leads = table(presetFor("hubspot").sample(SAMPLE_SEED).leads);
    for (const column of ["Record ID", "Email", "Lifecycle Stage", "Lead Status", "Contact owner", "Create Date", "Original Source", "Became a Marketing Qualified Lead Date"]) {
      expect(leads.header).toContain(column);
    }
    const col = (name: string) => leads.rows.map((r) => r[leads.header.indexOf(name)]!);
    expect(new Set(col("Lifecycle Stage"))).toContain("Marketing Qualified Lead");
    expect(col("Create Date").every((t) => /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(t))).toBe(true);
    expect(col("Contact owner").filter(Boolean).every((o) => /^[A-Z][a-z]+ [A-Z][a-z]+$/.test(o))).toBe(true);
    const activities = table(presetFor("hubspot").sample(SAMPLE_SEED).activities);
    expect(activities.header).toEqual(expect.arrayContaining(["Activity Type", "Activity date", "Activity assigned to", "Associated Contact IDs"]));
    const ids = new Set(col("Record ID"));
    expect(activities.rows.every((r) => ids.has(r[activities.header.indexOf("Associated Contact IDs")]!))).toBe(true);
  });

  it("Salesforce's sample has report columns, picklist labels and US-locale times, every field quoted", () => {
    const sample = presetFor("salesforce").sample(SAMPLE_SEED);
    const leads = table(sample.leads);
    expect(leads.header.slice(0, 2)).toEqual(["Lead ID", "Lead Owner"]);
    expect(leads.header).toEqual(expect.arrayContaining(["Lead Status", "Lead Source", "Created Date", "Converted Date"]));
    const col = (name: string) => leads.rows.map((r) => r[leads.header.indexOf(name)]!);
    expect(col("Lead ID").every((id) => /^00Q[A-Za-z0-9]{12}$/.test(id))).toBe(true);
    expect(col("Created Date").every((t) => /^\d{1,2}\/\d{1,2}\/2027 \d{1,2}:\d\d (AM|PM)$/.test(t))).toBe(true);
    expect(new Set(col("Lead Status"))).toEqual(new Set(["Open - Not Contacted", "Working - Contacted", "Closed - Converted", "Closed - Not Converted"]));
    expect(col("Annual Revenue").every((v) => /^\$\d{1,3}(,\d{3})*\.\d\d$/.test(v))).toBe(true);
    expect(sample.leads.split("\n")[1]).toMatch(/^"[^"]*",/);
  });

  it("--crm takes a known name in any case; anything else is a usage error naming them", async () => {
    expect(parseCrm("HubSpot")).toBe("hubspot");
    const typo = await runCli(["init", "--crm", "salesfroce", "x"]);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toBe("smarketing-policy: --crm must be hubspot or salesforce, not 'salesfroce' (did you mean 'salesforce'?)\n");
    const other = await runCli(["init", "--crm", "pipedrive", "x"]);
    expect(other.code).toBe(2);
    expect(other.stderr).toBe("smarketing-policy: --crm must be hubspot or salesforce, not 'pipedrive'\n");
  });

  describe("a new repository from each preset", () => {
    let cleanup: (() => Promise<void>) | undefined;
    afterEach(async () => {
      await cleanup?.();
      cleanup = undefined;
    });

    for (const crm of CRMS) {
      it(`init --crm ${crm}: validate --strict, test and fmt --check pass; eval reads every row of the sample (exit 0 or 1, 0 rejected)`, async () => {
        const t = await tempDir();
        cleanup = t.cleanup;
        expect((await runCli(["init", "--crm", crm, "team"], { cwd: t.dir })).code).toBe(0);
        const cwd = path.join(t.dir, "team");
        const validate = await runCli(["validate", "policies", "--strict"], { cwd });
        expect(validate.stdout + validate.stderr).toMatch(/policies is valid/);
        expect(validate.code).toBe(0);
        const tests = await runCli(["test", "policies", "--coverage"], { cwd });
        expect(tests.stdout).toMatch(/^\d+ passed, 0 failed$/m);
        expect(tests.stdout).toMatch(/(\d+) of \1 definitions and SLAs exercised/);
        expect(tests.code).toBe(0);
        expect((await runCli(["fmt", "--check", "policies"], { cwd })).code).toBe(0);
        const evaluated = await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "json"], { cwd });
        expect([0, 1]).toContain(evaluated.code);
        const report = JSON.parse(evaluated.stdout) as { input: { files: Array<{ file: string; read: number; used: number; rejected: number }> } };
        const sample = presetFor(crm).sample(SAMPLE_SEED);
        const rows = (csv: string) => csv.trimEnd().split("\n").length - 1;
        expect(report.input.files.map((f) => [path.basename(f.file), f.read, f.used, f.rejected])).toEqual([
          ["leads.csv", rows(sample.leads), rows(sample.leads), 0],
          ["activities.csv", rows(sample.activities), rows(sample.activities), 0],
        ]);
      });
    }
  });
});

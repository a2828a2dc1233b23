import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { runCli, ROOT } from "../helpers.js";

const SAMPLE = ["eval", "--snapshot", "snapshots/sample"];
const HAND = ["eval", "--policies", "test/fixtures/hand-checked/policies", "--snapshot", "test/fixtures/hand-checked/snapshot", "--max-rejected", "2"];

function reportValidator() {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(path.join(ROOT, "schemas/report.schema.json"), "utf8")) as object);
}

describe("eval reports", () => {
  it("the JSON report validates against schemas/report.schema.json, with the fields SPEC §5 lists", async () => {
    const check = reportValidator();
    for (const args of [SAMPLE, HAND]) {
      const result = await runCli([...args, "--format", "json"]);
      const report = JSON.parse(result.stdout) as Record<string, unknown> & { slas: Array<Record<string, unknown>>; goals: Array<{ stages: Array<Record<string, unknown>> }> };
      expect(check(report), JSON.stringify(check.errors?.slice(0, 3))).toBe(true);
      for (const key of ["asOf", "policy", "input", "definitions", "slas", "goals", "summary"]) expect(report).toHaveProperty(key);
      for (const sla of report.slas) for (const key of ["id", "owner", "severity", "status", "target", "value", "results"]) expect(sla).toHaveProperty(key);
      for (const goal of report.goals) for (const stage of goal.stages) for (const key of ["required", "actual", "rate", "rateSource"]) expect(stage).toHaveProperty(key);
    }
  });

  it("every format for people names the missed and open leads of a result, and the text ends with explain for the worst", async () => {
    const text = await runCli(HAND);
    // first_touch 2026-11 (50% met, 2 of 4 missed) is the worst result; L7 is due first.
    expect(text.stdout).toContain("missed L7: clock 2026-11-10 09:00 EST, due 2026-11-10 13:00 EST, first touch 2026-11-11 10:00 EST");
    expect(text.stdout).toContain("open L5: clock 2026-11-30 13:00 EST, due 2026-11-30 17:00 EST, no touch yet");
    expect(text.stdout.trimEnd().split("\n").at(-1)).toBe(
      "  smarketing-policy explain --snapshot test/fixtures/hand-checked/snapshot --policies test/fixtures/hand-checked/policies --lead L1",
    );
    const markdown = await runCli([...HAND, "--format", "markdown"]);
    expect(markdown.stdout).toContain("  - missed L3: clock 2026-11-25 15:00 EST, due 2026-11-27 11:00 EST");
    expect(markdown.stdout).toContain(
      "**Worst lead:** `L1` (`cap`); see why with `smarketing-policy explain --snapshot test/fixtures/hand-checked/snapshot --policies test/fixtures/hand-checked/policies --lead L1`",
    );
    const html = await runCli([...HAND, "--format", "html"]);
    expect(html.stdout).toContain('<h2 id="h-leads">Leads to act on</h2>');
    // For people, the as-of time is in the agreement's zone; the machine-readable datetime stays UTC.
    expect(html.stdout).toContain('snapshot as of <time datetime="2026-11-30T20:00:00.000Z">2026-11-30 15:00 EST</time>');
    expect(html.stdout).toMatch(/<code>L7<\/code><\/th><td>missed<\/td><td>2026-11<\/td><td>2026-11-10 09:00 EST<\/td>/);
    const short = await runCli([...HAND, "--leads", "1"]);
    expect(short.stdout).toContain("… and 1 more missed (every lead: --format csv)");
    expect((await runCli([...HAND, "--leads", "some"])).code).toBe(2);
  });

  it("the sample's goal is worked backwards: 60 customers, 240 sales-ready, 600 MQLs a quarter", async () => {
    const result = await runCli([...SAMPLE, "--format", "json"]);
    const report = JSON.parse(result.stdout) as { goals: Array<{ id: string; stages: Array<{ definition: string; required: number; rateSource: string }> }> };
    const goal = report.goals.find((g) => g.id === "quarterly_revenue")!;
    expect(goal.stages.map((s) => [s.definition, s.required, s.rateSource])).toEqual([
      ["mql", 600, "none"],
      ["sales_ready", 240, "given"],
      ["won", 60, "given"],
    ]);
  });

  it("no format prints an e-mail address or a personal field unless --show-pii", async () => {
    const emails = readFileSync(path.join(ROOT, "snapshots/sample/leads.csv"), "utf8").match(/[\w.]+@[\w.-]+/g)!;
    expect(emails.length).toBeGreaterThan(100);
    for (const format of ["text", "json", "markdown", "junit"]) {
      const result = await runCli([...SAMPLE, "--format", format, "--group-by", "email"]);
      expect(result.stdout).not.toMatch(/@[\w-]+\.(com|io|co)/);
      expect(result.stdout).toContain("personal value 1");
    }
    const shown = await runCli([...SAMPLE, "--format", "json", "--group-by", "email", "--show-pii"]);
    expect(shown.stdout).toContain(emails[0]);
  });

  it("JUnit: one test case per SLA result; breached hard results are failures", async () => {
    const result = await runCli([...HAND, "--format", "junit"]);
    const xml = result.stdout;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(7);
    expect((xml.match(/<failure /g) ?? []).length).toBe(2);
    expect(xml).toMatch(/<testsuites name="Hand-checked SLA" tests="7" failures="2"/);
  });

  it("--output writes the report to a file and says so", async () => {
    const { tempDir } = await import("../helpers.js");
    const { dir, cleanup } = await tempDir();
    try {
      const out = path.join(dir, "report.json");
      const result = await runCli([...HAND, "--format", "json", "--output", out]);
      expect(result.stdout).toBe("");
      expect(result.stderr).toContain(`wrote ${out}`);
      expect(JSON.parse(readFileSync(out, "utf8"))).toHaveProperty("summary.failing", ["cap", "volume"]);
    } finally {
      await cleanup();
    }
  });

  it("--fail-on soft also fails on breached soft SLAs; advisory never fails", async () => {
    const soft = await runCli([...SAMPLE, "--format", "json", "--fail-on", "soft"]);
    const report = JSON.parse(soft.stdout) as { summary: { failing: string[] }; slas: Array<{ id: string; severity: string; status: string }> };
    const breachedSoft = report.slas.filter((s) => s.severity === "soft" && s.status === "breached").map((s) => s.id);
    expect(breachedSoft.length).toBeGreaterThan(0);
    for (const id of breachedSoft) expect(report.summary.failing).toContain(id);
    expect(report.summary.failing).not.toContain("new_leads");
  });

  it("an as_of before the agreement takes effect makes a preview that fails nothing", async () => {
    const result = await runCli([...SAMPLE, "--format", "json", "--as-of", "2026-11-20"]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { inForce: boolean; notes: string[]; summary: { failing: string[] } };
    expect(report.inForce).toBe(false);
    expect(report.summary.failing).toEqual([]);
    expect(report.notes[0]).toMatch(/takes effect on 2026-12-01.*preview/);
  });
});

describe("explain", () => {
  it("shows each condition with the value it saw, and hides personal values", async () => {
    const result = await runCli(["explain", "--snapshot", "snapshots/sample", "--lead", "L00078"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("✗ country is set   (country is empty)");
    expect(result.stdout).toContain("(email is (personal, hidden))");
    expect(result.stdout).not.toMatch(/[\w.]+@[\w-]+\.com/);
  });

  it("walks through clock, deadline and touches for a lead-level SLA", async () => {
    const result = await runCli(["explain", "--policies", "test/fixtures/hand-checked/policies", "--snapshot", "test/fixtures/hand-checked/snapshot", "--lead", "L2", "--format", "json"]);
    const e = JSON.parse(result.stdout) as { slas: Array<{ id: string; outcome: string; deadline: string; touches: Array<{ counted: boolean; why: string }> }> };
    const ft = e.slas.find((s) => s.id === "first_touch")!;
    expect(ft.outcome).toBe("met");
    expect(ft.deadline).toBe("2026-11-02 11:00 EST");
    expect(ft.touches).toEqual([{ type: "call", at: "2026-11-02 11:00 EST", counted: true, why: "first touch, within the window" }]);
    const l7 = JSON.parse((await runCli(["explain", "--policies", "test/fixtures/hand-checked/policies", "--snapshot", "test/fixtures/hand-checked/snapshot", "--lead", "L7", "--format", "json"])).stdout) as typeof e;
    expect(l7.slas.find((s) => s.id === "first_touch")!.touches.map((t) => [t.counted, t.why])).toEqual([
      [false, 'does not match type in ["call", "email"]'],
      [false, "after the window closed"],
    ]);
  });
});

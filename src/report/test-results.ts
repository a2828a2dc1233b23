import pc from "picocolors";
import { plural } from "../engine/plural.js";
import type { CoverageReport, TestOutcome } from "../testing/run.js";
import { visible, xml } from "./escape.js";

export interface TestRun {
  outcomes: TestOutcome[];
  coverage?: CoverageReport | undefined;
}

function counts(outcomes: readonly TestOutcome[]) {
  const passed = outcomes.filter((o) => o.passed).length;
  return { passed, failed: outcomes.length - passed };
}

/** Like a test runner: each test passed or failed, expected vs actual, then `N passed, N failed`. */
export function renderTestText(run: TestRun, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const out: string[] = [];
  let file = "";
  for (const o of run.outcomes) {
    if (o.file !== file) {
      if (file) out.push("");
      out.push(c.bold(visible(o.file)));
      file = o.file;
    }
    // Names and failures quote the test file and the data: shown, never obeyed, by a terminal.
    out.push(`  ${o.passed ? c.green("✓") : c.red("✗")} ${visible(o.name)}${o.passed ? "" : c.dim(`  (${visible(o.file)}:${o.line})`)}`);
    for (const f of o.failures) out.push(`      ${c.red(visible(f))}`);
  }
  if (run.coverage) {
    const cv = run.coverage;
    const gaps = [
      ...cv.definitions.filter((d) => !d.covered).map((d) => `lead definition ${d.id} is never expected in or out`),
      ...cv.slas.filter((s) => !s.covered).map((s) => `SLA ${s.id} has no expected outcome`),
      ...cv.goals.filter((g) => !g.covered).map((g) => `goal ${g.id} has no expected figure`),
      ...cv.conditions
        .filter((k) => !(k.sawTrue && k.sawFalse))
        .map((k) => `condition \`${visible(k.condition)}\` of ${k.definition} was never ${k.sawTrue ? "false" : k.sawFalse ? "true" : "evaluated"} in a test`),
    ];
    const covered = cv.definitions.filter((d) => d.covered).length + cv.slas.filter((s) => s.covered).length;
    out.push("", c.bold("Coverage"));
    out.push(`  ${covered} of ${cv.definitions.length + cv.slas.length} definitions and SLAs exercised; ${cv.conditions.filter((k) => k.sawTrue && k.sawFalse).length} of ${cv.conditions.length} conditions seen both true and false`);
    for (const g of gaps) out.push(`  ${c.yellow("·")} ${g}`);
  }
  const { passed, failed } = counts(run.outcomes);
  out.push("", `${passed} passed, ${failed} failed`);
  return `${out.join("\n")}\n`;
}


export function renderTestJunit(run: TestRun): string {
  const byFile = new Map<string, TestOutcome[]>();
  for (const o of run.outcomes) byFile.set(o.file, [...(byFile.get(o.file) ?? []), o]);
  const { failed } = counts(run.outcomes);
  const suites = [...byFile].map(([file, list]) => {
    const f = list.filter((o) => !o.passed).length;
    const cases = list.map((o) =>
      o.passed
        ? `    <testcase classname="${xml(file)}" name="${xml(o.name)}"/>`
        : `    <testcase classname="${xml(file)}" name="${xml(o.name)}"><failure message="${xml(o.failures[0] ?? "failed")}">${xml(o.failures.join("\n"))}</failure></testcase>`,
    );
    return [`  <testsuite name="${xml(file)}" tests="${list.length}" failures="${f}">`, ...cases, "  </testsuite>"].join("\n");
  });
  return [`<?xml version="1.0" encoding="UTF-8"?>`, `<testsuites name="smarketing-policy test" tests="${run.outcomes.length}" failures="${failed}">`, ...suites, "</testsuites>", ""].join("\n");
}

export function renderTestJson(run: TestRun): string {
  return `${JSON.stringify({ summary: counts(run.outcomes), tests: run.outcomes, coverage: run.coverage ?? null }, null, 2)}\n`;
}

export function summaryWords(run: TestRun): string {
  const { passed, failed } = counts(run.outcomes);
  return `${plural(passed, "test")} passed, ${failed} failed`;
}

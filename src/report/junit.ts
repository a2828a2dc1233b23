import type { EvaluationResult } from "../engine/result.js";
import { describeCell, STATUS_WORDS, whereOf } from "./format-values.js";

function xml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");
}

/**
 * JUnit XML for CI test reporters: one test suite per SLA, one test case per period and group.
 * A breached hard or soft result is a failure; an advisory one is reported but passes; a result
 * with no data is skipped.
 */
export function renderJunit(result: EvaluationResult): string {
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const suites = result.slas.map((sla) => {
    let suiteFailures = 0;
    let suiteSkipped = 0;
    const cases = sla.results.map((c) => {
      const name = xml(`${sla.id} · ${whereOf(c, sla.by)}`);
      const detail = xml(`${STATUS_WORDS[c.status]}: ${describeCell(sla, c)}`);
      let body = `<system-out>${detail}</system-out>`;
      if (c.status === "breached" && sla.severity !== "advisory") {
        suiteFailures++;
        body = `<failure type="breached" message="${detail}">${detail}</failure>`;
      } else if (c.status === "no_data") {
        suiteSkipped++;
        body = `<skipped message="no data"/>`;
      }
      return `    <testcase classname="smarketing.${xml(sla.id)}" name="${name}">${body}</testcase>`;
    });
    tests += cases.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    return [
      `  <testsuite name="${xml(`${sla.id}: ${sla.title ?? sla.expectation}`)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}" timestamp="${xml(result.asOf)}">`,
      `    <properties><property name="owner" value="${xml(sla.owner)}"/><property name="severity" value="${sla.severity}"/><property name="status" value="${sla.status}"/></properties>`,
      ...cases,
      "  </testsuite>",
    ].join("\n");
  });
  return [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    `<testsuites name="${xml(result.policy.title)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}">`,
    ...suites,
    `</testsuites>`,
    "",
  ].join("\n");
}

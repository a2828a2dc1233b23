import type { EvaluationResult } from "../engine/result.js";
import { xml } from "./escape.js";
import { describeCell, STATUS_WORDS, versionWords, waiverLines, whereOf } from "./format-values.js";


/** Why a breached result of an SLA that does not fail the run passes here. */
function whyNotFailing(result: EvaluationResult, severity: string): string {
  if (severity === "advisory") return "advisory SLAs never fail the run";
  if (!result.inForce) return "the agreement is not in force yet";
  return `${severity} SLAs do not fail the run under this --fail-on`;
}

/**
 * JUnit XML for CI test reporters: one test suite per SLA, one test case per period and group.
 * It agrees with the exit code: a breached result is a failure only when its SLA fails the run
 * (`summary.failing`, from --fail-on); other breached results pass, with the breach in a
 * `breached` property and in system-out. A result with no data is skipped.
 */
export function renderJunit(result: EvaluationResult): string {
  let tests = 0;
  let failures = 0;
  let skipped = 0;
  const failing = new Set(result.summary.failing);
  const suites = result.slas.map((sla) => {
    let suiteFailures = 0;
    let suiteSkipped = 0;
    const cases = sla.results.map((c) => {
      // With --versions a period split by a new version has two results: the version tells them apart.
      const name = xml(`${sla.id} · ${whereOf(c, sla.by)}${c.judgedBy ? ` · v${c.judgedBy.version ?? "?"}` : ""}`);
      const detail = xml(`${STATUS_WORDS[c.status]}: ${describeCell(sla, c)}${c.judgedBy ? ` · ${versionWords(c.judgedBy)}` : ""}`);
      let body = `<system-out>${detail}</system-out>`;
      if (c.status === "breached" && failing.has(sla.id)) {
        suiteFailures++;
        body = `<failure type="breached" message="${detail}">${detail}</failure>`;
      } else if (c.status === "breached") {
        const why = xml(whyNotFailing(result, sla.severity));
        body = `<properties><property name="breached" value="${why}"/></properties><system-out>${detail} (${why})</system-out>`;
      } else if (c.status === "no_data" || c.status === "insufficient") {
        // Too few leads to judge is not a pass either: skipped, saying which.
        suiteSkipped++;
        body = `<skipped message="${STATUS_WORDS[c.status]}"/>`;
      }
      return `    <testcase classname="smarketing.${xml(sla.id)}" name="${name}">${body}</testcase>`;
    });
    tests += cases.length;
    failures += suiteFailures;
    skipped += suiteSkipped;
    return [
      `  <testsuite name="${xml(`${sla.id}: ${sla.title ?? sla.expectation}`)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="${suiteSkipped}" timestamp="${xml(result.asOf)}">`,
      `    <properties><property name="owner" value="${xml(sla.owner)}"/><property name="severity" value="${sla.severity}"/><property name="status" value="${sla.status}"/>${waiverLines(sla).map((w) => `<property name="waiver" value="${xml(w)}"/>`).join("")}</properties>`,
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

import { runPlan } from "../engine/evaluate.js";
import { impactOf } from "../engine/impact.js";
import { buildPlan, type EvalPlan } from "../engine/plan.js";
import { hasErrors } from "../lang/diagnostics.js";
import { diffPolicies } from "../lang/diff.js";
import { analyzePolicySet, type SourceFile } from "../lang/policy-set.js";
import { describePolicy } from "../report/describe/describe.js";
import { renderDiagnosticsText } from "../report/diagnostics-text.js";
import type { DiffReport } from "../report/diff.js";
import { policySourcesAt } from "./git.js";
import type { CliIO } from "./io.js";
import { loadPolicySources } from "./policy-loader.js";
import { locateSnapshot, openSnapshot } from "./snapshot-options.js";

/** What `diff` and `github comment` compare: two versions of the policy set, and a snapshot to evaluate both on. */
export interface DiffInputs {
  base: string;
  head?: string | undefined;
  snapshot?: string | undefined;
  policies: string;
  asOf?: string | undefined;
  showLeads?: boolean | undefined;
}

export interface ComputedDiff {
  report: DiffReport;
  /** Problems of the head version (what the pull request proposes). */
  headErrors: string;
}

/** Reads both versions and compares them; with a snapshot, evaluates both on it. Shared with `github comment`. */
export async function computeDiff(io: CliIO, options: DiffInputs): Promise<ComputedDiff> {
  const baseSources = await policySourcesAt(io.cwd, options.base, options.policies);
  let headSources: SourceFile[];
  if (options.head) headSources = await policySourcesAt(io.cwd, options.head, options.policies);
  else {
    const loaded = await loadPolicySources(io.cwd, options.policies);
    headSources = loaded.sources;
  }
  const base = analyzePolicySet(baseSources);
  const head = analyzePolicySet(headSources);
  const textChanged = JSON.stringify(baseSources.map((s) => s.text)) !== JSON.stringify(headSources.map((s) => s.text));
  const report: DiffReport = {
    base: options.base,
    head: options.head ?? "working tree",
    diff: diffPolicies(base.files, head.files, textChanged),
    showLeads: options.showLeads === true,
    meaning: { before: describePolicy(base.files, base.symbols), after: describePolicy(head.files, head.symbols) },
  };
  let headErrors = "";
  if (hasErrors(head.diagnostics)) {
    headErrors = renderDiagnosticsText(head.diagnostics.filter((d) => d.severity === "error"), { color: false, sources: new Map(headSources.map((s) => [s.path, s.text])) });
  }
  if (options.snapshot && !headErrors && !hasErrors(base.diagnostics)) {
    const basePlan = buildPlan(base.symbols);
    const headPlan = buildPlan(head.symbols);
    const where = await locateSnapshot(io, options.snapshot, options.asOf, headPlan);
    const source = await openSnapshot(where, io.env);
    const run = (plan: EvalPlan) => runPlan(plan, source, { asOf: where.asOf, keepLeadOutcomes: true });
    const [before, after] = [await run(basePlan), await run(headPlan)];
    report.impact = { snapshot: where.shown, asOf: new Date(where.asOf).toISOString(), zone: headPlan.agreement.timezone, impact: impactOf(before, after) };
  }
  return { report, headErrors };
}


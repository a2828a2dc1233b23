import { impactOf } from "../../engine/impact.js";
import { buildPlan } from "../../engine/plan.js";
import { hasErrors } from "../../lang/diagnostics.js";
import { diffPolicies } from "../../lang/diff.js";
import { analyzePolicySet, type SourceFile } from "../../lang/policy-set.js";
import { renderDiagnosticsText } from "../../report/diagnostics-text.js";
import { renderDiffJson, renderDiffMarkdown, renderDiffText, type DiffReport } from "../../report/diff.js";
import { maskText } from "../../report/mask.js";
import { runSnapshot } from "../../snapshot/load.js";
import { SnapshotError } from "../../snapshot/read.js";
import { EXIT, UsageError, type ExitCode } from "../exit-codes.js";
import { policySourcesAt } from "../git.js";
import type { CliIO } from "../io.js";
import { loadPolicySources } from "../policy-loader.js";
import { locateSnapshot } from "../snapshot-options.js";

export interface DiffOptions {
  base: string;
  head?: string;
  snapshot?: string;
  policies: string;
  asOf?: string;
  format: string;
  showLeads?: boolean;
}

export interface ComputedDiff {
  report: DiffReport;
  /** Problems of the head version (what the pull request proposes). */
  headErrors: string;
}

/** Reads both versions and compares them; with a snapshot, evaluates both on it. Shared with `github comment`. */
export async function computeDiff(io: CliIO, options: Omit<DiffOptions, "format">): Promise<ComputedDiff> {
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
  };
  let headErrors = "";
  if (hasErrors(head.diagnostics)) {
    headErrors = renderDiagnosticsText(head.diagnostics.filter((d) => d.severity === "error"), { color: false, sources: new Map(headSources.map((s) => [s.path, s.text])) });
  }
  if (options.snapshot && !headErrors && !hasErrors(base.diagnostics)) {
    const basePlan = buildPlan(base.symbols);
    const headPlan = buildPlan(head.symbols);
    const where = await locateSnapshot(io, options.snapshot, options.asOf, headPlan);
    const run = (plan: typeof basePlan) => runSnapshot({ plan, dir: where.dir, shown: where.shown, asOf: where.asOf, keepLeadOutcomes: true });
    const [before, after] = [await run(basePlan), await run(headPlan)];
    report.impact = { snapshot: where.shown, asOf: new Date(where.asOf).toISOString(), impact: impactOf(before, after) };
  }
  return { report, headErrors };
}

/** What changed between two versions of the policy set, in words, and its impact on a snapshot. */
export async function diffCommand(io: CliIO, options: DiffOptions): Promise<ExitCode> {
  if (!["text", "markdown", "json"].includes(options.format)) throw new UsageError(`--format must be text, markdown or json, not '${options.format}'`);
  try {
    const { report, headErrors } = await computeDiff(io, options);
    if (headErrors) {
      io.stderr(`${headErrors}\nthe ${report.head} version of the policy has errors; the impact on a snapshot needs a valid policy\n`);
    }
    const render = options.format === "json" ? renderDiffJson : options.format === "markdown" ? renderDiffMarkdown : renderDiffText;
    io.stdout(maskText(render(report)));
    return headErrors ? EXIT.invalid : EXIT.ok;
  } catch (error) {
    if (error instanceof SnapshotError) {
      io.stderr(`${error.file}${error.line !== undefined ? `:${error.line}` : ""}: error: ${error.message}\n`);
      return EXIT.invalid;
    }
    throw error;
  }
}

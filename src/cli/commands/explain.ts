import { DateTime } from "luxon";
import { runPlan } from "../../engine/evaluate.js";
import { explainLead, type LeadExplanation } from "../../engine/explain.js";
import type { Value } from "../../engine/ir.js";
import { buildPlan, type EvalPlan, type FieldPlan } from "../../engine/plan.js";
import { mergeExplanations, slicesAt, type PolicyVersion } from "../../engine/versions.js";
import { renderDiagnosticsText } from "../../report/diagnostics-text.js";
import { loadVersions } from "../versions.js";
import type { SnapshotSource } from "../../engine/source.js";
import { LeadWatch } from "../../engine/watch.js";
import { didYouMean } from "../../lang/suggest.js";
import { renderExplainText } from "../../report/explain-text.js";
import { visible } from "../../report/escape.js";
import { createMasker, piiFieldsOf } from "../../report/mask.js";
import { FolderSource } from "../../snapshot/load.js";
import { EXIT, UsageError, type ExitCode } from "../exit-codes.js";
import { useColor, type CliIO } from "../io.js";
import { loadValidPolicy } from "../load-policy.js";
import { locateSnapshot } from "../snapshot-options.js";

export interface ExplainOptions {
  snapshot: string;
  lead: string;
  policies: string;
  asOf?: string;
  format: string;
  showPii?: boolean;
  /** `git`: each SLA explained by the committed version in force at the lead's clock start. */
  versions?: string;
}

/** The working tree's plan, or with `--versions git` the newest committed version's and every version. */
async function explainPolicies(io: CliIO, options: ExplainOptions): Promise<{ plan: EvalPlan; versions?: PolicyVersion[] } | undefined> {
  if (options.versions === undefined) {
    const policy = await loadValidPolicy(io, options.policies);
    return policy && { plan: buildPlan(policy.analyzed.symbols) };
  }
  if (options.versions !== "git") throw new UsageError(`--versions must be 'git' (the commits of the policy folder), not '${options.versions}'`);
  const loaded = await loadVersions(io.cwd, options.policies, undefined);
  if (loaded.diagnostics.length > 0) io.stderr(renderDiagnosticsText(loaded.diagnostics, { color: useColor(io, "stderr"), sources: new Map() }));
  const newest = loaded.versions.at(-1);
  if (newest === undefined) {
    io.stderr(`error: --versions git: no committed version of '${options.policies}' checks; fix the newest and commit it\n`);
    return undefined;
  }
  return { plan: newest.plan, versions: loaded.versions };
}

/**
 * Each SLA explained by the version in force at the lead's clock start: the lead is read and
 * explained under every version in force (fields and definitions may differ), then merged.
 */
async function versionedExplanation(
  versions: readonly PolicyVersion[],
  source: SnapshotSource,
  asOf: number,
  explain: (plan: EvalPlan, values: readonly Value[], activities: ReadonlyArray<readonly Value[]>) => LeadExplanation,
  lead: string,
): Promise<LeadExplanation> {
  const parts = [];
  for (const slice of slicesAt(versions, asOf)) {
    const plan = slice.version.plan;
    const watch = new LeadWatch(lead);
    await runPlan(plan, source, { asOf, watch });
    const row = watch.row;
    if (!row || "rejected" in row) continue; // this version cannot read the lead: it judges nothing of it
    const clockOf = (id: string) => {
      const sla = plan.slas.find((s) => s.id === id);
      const clock = sla === undefined ? undefined : row.values[sla.clock.slot];
      return typeof clock === "number" ? clock : null;
    };
    parts.push({ from: slice.from, ref: slice.version.ref, explanation: explain(plan, row.values, watch.activities), clockOf });
  }
  return mergeExplanations(parts);
}

/**
 * Finds one lead in a snapshot and explains, step by step, how the agreement treats it. The
 * snapshot goes through the evaluation like `eval`'s, with the lead watched as it streams by.
 */
export async function explainCommand(io: CliIO, options: ExplainOptions): Promise<ExitCode> {
  if (!["text", "json"].includes(options.format)) throw new UsageError(`--format must be text or json, not '${options.format}'`);
  const policy = await explainPolicies(io, options);
  if (!policy) return EXIT.invalid;
  const plan = policy.plan;
  const masker = createMasker(piiFieldsOf(plan), options.showPii === true);
  const where = await locateSnapshot(io, options.snapshot, options.asOf, plan);
  if (where.database) {
    throw new UsageError(`explain reads a snapshot's files, and ${where.shown}/snapshot.yaml names ${where.database.engine} tables (source:): export the lead's rows to a folder to explain one (docs/engines.md)`);
  }
  const source = await FolderSource.open(where.dir, where.shown, { wholeRows: true });
  const watch = new LeadWatch(options.lead);
  await runPlan(plan, source, { asOf: where.asOf, watch });
  const leadsFile = source.inputs[0]!.name;
  const row = watch.row;
  if (row && "rejected" in row) {
    io.stderr(`${visible(leadsFile)}:${row.line}: lead '${visible(masker.text(options.lead))}' is rejected: ${visible(masker.text(row.rejected))}\n`);
    return EXIT.invalid;
  }
  if (!row) {
    // Other leads' ids may be e-mail addresses: never offered as a guess unless --show-pii.
    io.stderr(`${visible(masker.text(`no lead with id '${options.lead}' in ${leadsFile}${didYouMean(options.lead, watch.otherIds.filter(masker.mayShow))}`))}\n`);
    return EXIT.invalid;
  }
  const showValue = (field: FieldPlan, value: Value): string => {
    if (value === null || value === undefined) return "empty";
    if (field.pii && !options.showPii) return "(personal, hidden)";
    if (field.type === "time" || field.type === "date") return showTime(value as number);
    return typeof value === "string" ? JSON.stringify(masker.text(value)) : String(value);
  };
  const showTime = (ms: number) => DateTime.fromMillis(ms, { zone: plan.zone.name }).toFormat("yyyy-MM-dd HH:mm ZZZZ");
  const showGroup = (label: string, by: readonly string[]) => masker.group(label, by);
  // Titles, touch types and ids are data or policy text too: every string is masked at the end.
  const explain = (p: EvalPlan, values: readonly Value[], activities: ReadonlyArray<readonly Value[]>) =>
    explainLead({ plan: p, id: options.lead, values, activities, asOf: where.asOf, showValue, showTime, showGroup });
  const explanation = masker.deep(
    policy.versions ? await versionedExplanation(policy.versions, source, where.asOf, explain, options.lead) : explain(plan, row.values, watch.activities),
  );
  io.stdout(options.format === "json" ? `${JSON.stringify(explanation, null, 2)}\n` : renderExplainText(explanation, { color: useColor(io) }));
  return EXIT.ok;
}

import { diagnostic, type Diagnostic } from "../lang/diagnostics.js";
import type { Range } from "../lang/range.js";
import { assembleResult, evaluationWarnings, type EvaluationWarning, type FailOn } from "./assemble.js";
import { runPlan, type RunOptions, type SnapshotRun } from "./evaluate.js";
import type { LeadRow } from "./evaluator.js";
import { decidingValue, metShare } from "./evaluator.js";
import { judgedFromOf, type EvalPlan } from "./plan.js";
import type { SnapshotSource } from "./source.js";
import type { EvaluationResult, GoalCell, GoalResult, SlaCell, SlaResult, VersionInForce, VersionRef } from "./result.js";
import { slaTotals, worstStatus } from "./result.js";

/**
 * Versions in force (`eval --versions git`, issue 19): every committed version of the agreement
 * judges the slice of time it was in force, and the slices' results are merged into one report.
 * Pure: the command reads the commits and checks each version; this orders them and evaluates.
 */

/** A committed version of the policy set that checked without errors, oldest commit first. */
export interface VersionCandidate {
  commit: string;
  plan: EvalPlan;
  hash: string;
  /** Where its `effective` clause is (else its agreement block): W0801 points there. */
  file: string;
  range: Range;
}

/** A version placed on the time line: it judges [effectiveMs, the next version's effectiveMs). */
export interface PolicyVersion extends VersionCandidate {
  ref: VersionRef;
  /** -Infinity for a first version without `effective`. */
  effectiveMs: number;
}

/**
 * Orders the versions by commit: the same `effective` date as the version before means the later
 * commit replaces it (a fix to the same version); an earlier one, or none after the first, cannot
 * be placed on the time line and is left out with W0801. The versions kept have rising dates.
 */
export function versionTimeline(candidates: readonly VersionCandidate[]): { versions: PolicyVersion[]; diagnostics: Diagnostic[] } {
  const versions: PolicyVersion[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const c of candidates) {
    const agreement = c.plan.agreement;
    const ref: VersionRef = { version: agreement.version ?? null, commit: c.commit, effective: agreement.effective ?? null };
    const previous = versions.at(-1);
    const effectiveMs = agreement.effectiveMs ?? -Infinity;
    if (previous !== undefined && effectiveMs < previous.effectiveMs) {
      const was = agreement.effective === undefined ? "gives no effective date" : `takes effect on ${agreement.effective}`;
      diagnostics.push(
        diagnostic(
          "W0801",
          `the version of commit ${short(c.commit)} ${was}, before the version it follows (commit ${short(previous.commit)}, effective ${previous.ref.effective ?? "from the beginning"}); it is left out of --versions: give it an effective date on or after ${previous.ref.effective ?? "that one"}`,
          c.file,
          c.range,
        ),
      );
      continue;
    }
    const version: PolicyVersion = { ...c, ref, effectiveMs };
    if (previous !== undefined && effectiveMs === previous.effectiveMs) versions[versions.length - 1] = version;
    else versions.push(version);
  }
  return { versions, diagnostics };
}

/** A commit as people read it: its first 7 characters, as git shows it. */
export function short(commit: string): string {
  return commit.slice(0, 7);
}

/** One version's slice of time: the first from its effective date (or for ever, before it is in force), each until the next. */
interface Slice {
  version: PolicyVersion;
  from: number;
  until: number;
}

/** The versions that judge something as of `asOf`: those in force by then (or the first, as a preview), each until the next. */
export function slicesAt(versions: readonly PolicyVersion[], asOf: number): Slice[] {
  const inForce = versions.filter((v, i) => i === 0 || v.effectiveMs <= asOf);
  return inForce.map((version, i) => ({
    version,
    from: i === 0 ? judgedFromOf(version.plan, asOf) : version.effectiveMs,
    until: inForce[i + 1]?.effectiveMs ?? Infinity,
  }));
}

/**
 * Evaluates each version over its slice and merges the results. Each slice reads the whole
 * source with its own plan (fields, definitions and SLAs may differ between versions), so a
 * run costs one pass per version in force. The input figures, definitions and warnings are the
 * newest version's: it read the same rows, and it is the agreement in force now.
 */
export async function evaluateVersions(
  versions: readonly PolicyVersion[],
  source: SnapshotSource,
  options: RunOptions & { failOn: FailOn },
): Promise<{ result: EvaluationResult; leadRows: Iterable<LeadRow>; warnings: EvaluationWarning[] }> {
  const slices = slicesAt(versions, options.asOf);
  if (slices.length === 0) throw new Error("internal: evaluateVersions needs at least one version");
  const runs: SnapshotRun[] = [];
  for (const [i, slice] of slices.entries()) {
    const newest = i === slices.length - 1;
    // Rows not used are written once, by the newest version's pass.
    const rowsNotUsed = newest ? options.rowsNotUsed : undefined;
    runs.push(await runPlan(slice.version.plan, source, { ...options, rowsNotUsed, keepLeadOutcomes: false, window: { from: slice.from, until: slice.until } }));
  }
  const current = runs.at(-1)!;
  const currentVersion = slices.at(-1)!.version;
  const merged = {
    ...current,
    inForce: runs[0]!.inForce,
    leadsBeforeEffective: runs[0]!.leadsBeforeEffective,
    leadClocksAfterAsOf: runs.reduce((n, r) => n + r.leadClocksAfterAsOf, 0),
    slas: mergeSlas(runs.map((r, i) => ({ results: r.slas, ref: slices[i]!.version.ref }))),
    goals: mergeGoals(runs.map((r, i) => ({ results: r.goals, ref: slices[i]!.version.ref }))),
  };
  const inForce = slices.map((s): VersionInForce => ({ ...s.version.ref, from: isoOrNull(s.from), until: isoOrNull(s.until) }));
  const result = assembleResult(merged, { asOf: options.asOf, plan: currentVersion.plan, policyHash: currentVersion.hash, failOn: options.failOn, versions: inForce });
  return { result, leadRows: versionedRows(runs), warnings: evaluationWarnings(current, currentVersion.plan) };
}

function isoOrNull(ms: number): string | null {
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Every version's lead rows; a lead without a clock is in no slice, so only the newest version lists it. */
function* versionedRows(runs: readonly SnapshotRun[]): Generator<LeadRow> {
  for (const [i, run] of runs.entries()) {
    const newest = i === runs.length - 1;
    for (const row of run.leadRows) if (newest || row.outcome !== "no_clock") yield row;
  }
}

interface VersionResults<T> {
  results: readonly T[];
  ref: VersionRef;
}

/**
 * The ids of every version's results, the newest version's first and in its order, then those
 * only older versions had (newest first); with each id, the versions that have it, oldest first.
 */
function byId<T extends { id: string }>(versions: ReadonlyArray<VersionResults<T>>): Map<string, Array<{ result: T; ref: VersionRef; index: number }>> {
  const ids = new Map<string, Array<{ result: T; ref: VersionRef; index: number }>>();
  for (let v = versions.length - 1; v >= 0; v--) for (const r of versions[v]!.results) if (!ids.has(r.id)) ids.set(r.id, []);
  for (const [index, v] of versions.entries()) for (const result of v.results) ids.get(result.id)!.push({ result, ref: v.ref, index });
  return ids;
}

/**
 * Results in time order; a period split by a new version shows the older part first. `when`
 * sorts as text: an ISO start, or a goal's period key (keys of one unit sort in time order).
 */
function inTimeOrder<C extends { when: string; index: number; group: string }>(cells: C[]): C[] {
  return cells.sort((a, b) => (a.when < b.when ? -1 : a.when > b.when ? 1 : 0) || a.index - b.index || a.group.localeCompare(b.group));
}

/** One SLA's results across versions: each result says which version judged it, and by which target. */
function mergeSlas(versions: ReadonlyArray<VersionResults<SlaResult>>): SlaResult[] {
  const merged: SlaResult[] = [];
  for (const held of byId(versions).values()) {
    const newest = held.at(-1)!.result;
    const tagged = held.flatMap(({ result, ref, index }) =>
      result.results.map((cell) => ({
        // A lead without a clock is in no version's slice: only the newest counts it.
        cell: { ...cell, noClock: result === newest ? cell.noClock : 0, judgedBy: { ...ref, target: result.target } } satisfies SlaCell,
        when: cell.periodStart ?? "",
        index,
        group: cell.group,
      })),
    );
    const results = inTimeOrder(tagged).map((t) => t.cell);
    const totals = slaTotals(results, newest.totals.noClock);
    const status = worstStatus(results.map((c) => c.status));
    const leadLevel = newest.kind === "firstTouch" || newest.kind === "touches";
    merged.push({ ...newest, status, totals, results, value: leadLevel ? metShare(totals.met, totals.breached) : decidingValue(results, status) });
  }
  return merged;
}

/** One goal's results across versions; the current period's stage figures are the newest version's. */
function mergeGoals(versions: ReadonlyArray<VersionResults<GoalResult>>): GoalResult[] {
  const merged: GoalResult[] = [];
  for (const held of byId(versions).values()) {
    const newest = held.at(-1)!.result;
    const tagged = held.flatMap(({ result, ref, index }) =>
      result.results.map((cell) => ({ cell: { ...cell, judgedBy: ref } satisfies GoalCell, when: cell.period, index, group: cell.group })),
    );
    const results = inTimeOrder(tagged).map((t) => t.cell);
    merged.push({ ...newest, status: worstStatus(results.map((c) => c.status)), results });
  }
  return merged;
}

/**
 * `explain --versions git`: a lead's explanation by each version in force (oldest first, as
 * slicesAt gives them, with the lead's clock per SLA under that version), merged: each SLA is
 * explained by the version in force at the lead's clock start (the first before any; the
 * newest having the SLA when the lead has no clock), as `eval --versions` judges it.
 */
export function mergeExplanations<E extends { slas: ReadonlyArray<{ id: string }> }>(
  parts: ReadonlyArray<{ from: number; ref: VersionRef; explanation: E; clockOf: (sla: string) => number | null }>,
): E {
  const newest = parts.at(-1);
  if (newest === undefined) throw new Error("internal: mergeExplanations needs at least one version");
  const ids = [...new Set([...parts].reverse().flatMap((p) => p.explanation.slas.map((s) => s.id)))];
  const slas = ids.map((id) => {
    const having = parts.filter((p) => p.explanation.slas.some((s) => s.id === id));
    let judging = having[0]!;
    for (const p of having) if ((p.clockOf(id) ?? Infinity) >= p.from) judging = p;
    return { ...judging.explanation.slas.find((s) => s.id === id)!, judgedBy: judging.ref };
  });
  return { ...newest.explanation, slas };
}

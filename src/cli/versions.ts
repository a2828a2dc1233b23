import { diagnostic, type Diagnostic } from "../lang/diagnostics.js";
import { analyzePolicySet } from "../lang/policy-set.js";
import { START_OF_FILE } from "../lang/range.js";
import { didYouMean } from "../lang/suggest.js";
import { buildPlan } from "../engine/plan.js";
import { short, versionTimeline, type PolicyVersion, type VersionCandidate } from "../engine/versions.js";
import { UsageError } from "./exit-codes.js";
import { policyCommits, policySourcesAt } from "./git.js";
import { policyHash } from "./load-policy.js";
import { asGiven } from "./paths.js";

/**
 * `eval --versions git`: every commit of the policy folder on the current branch, checked and
 * placed on the time line (engine/versions.ts). A commit whose policy does not check is left
 * out with W0802 naming it; the run goes on with the others, since history cannot be fixed.
 */
export async function loadVersions(
  cwd: string,
  dir: string,
  groupBy: readonly string[] | undefined,
): Promise<{ versions: PolicyVersion[]; diagnostics: Diagnostic[]; newestHash: string }> {
  const commits = await policyCommits(cwd, dir);
  if (commits.length === 0) throw new UsageError(`--versions git: no commit on this branch changes '${asGiven(dir)}'; commit the policies first`);
  const candidates: VersionCandidate[] = [];
  const diagnostics: Diagnostic[] = [];
  let newestHash = "";
  for (const commit of commits) {
    const sources = await policySourcesAt(cwd, commit, dir);
    newestHash = policyHash(sources);
    if (sources.length === 0) continue; // the folder emptied or moved: nothing in force to judge with
    const analyzed = analyzePolicySet(sources);
    const agreement = analyzed.symbols.agreement;
    const firstError = analyzed.diagnostics.find((d) => d.severity === "error");
    if (firstError !== undefined || agreement === undefined) {
      const where = firstError ?? { file: sources[0]!.path, range: START_OF_FILE, message: "no agreement block" };
      const count = analyzed.diagnostics.filter((d) => d.severity === "error").length;
      diagnostics.push(
        diagnostic(
          "W0802",
          `the policy at commit ${short(commit)} has ${count <= 1 ? "an error" : `${count} errors`} (first: ${where.message}); that version is left out of --versions`,
          where.file,
          where.range,
        ),
      );
      continue;
    }
    for (const field of groupBy ?? []) {
      if (!analyzed.symbols.fields.has(field)) throw new UsageError(`--group-by: the version at commit ${short(commit)} has no field '${field}'${didYouMean(field, analyzed.symbols.fields.keys())}`);
    }
    candidates.push({
      commit,
      plan: buildPlan(analyzed.symbols, { groupBy }),
      hash: policyHash(sources),
      file: agreement.file,
      range: (agreement.node.effective ?? agreement.node).range,
    });
  }
  const timeline = versionTimeline(candidates);
  return { versions: timeline.versions, diagnostics: [...diagnostics, ...timeline.diagnostics], newestHash };
}

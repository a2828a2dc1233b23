import { createHash } from "node:crypto";
import { hasErrors } from "../lang/diagnostics.js";
import { analyzePolicySet, type AnalyzedPolicySet, type SourceFile } from "../lang/policy-set.js";
import { renderDiagnosticsText } from "../report/diagnostics-text.js";
import { useColor, type CliIO } from "./io.js";
import { loadPolicySources } from "./policy-loader.js";

export interface LoadedPolicy {
  analyzed: AnalyzedPolicySet;
  sources: SourceFile[];
  /** sha256 over every file's path and text: which exact agreement a report was made under. */
  hash: string;
}

export function policyHash(sources: readonly SourceFile[]): string {
  const hash = createHash("sha256");
  for (const s of [...sources].sort((a, b) => a.path.localeCompare(b.path))) hash.update(`${s.path}\0${s.text}\0`);
  return `sha256:${hash.digest("hex")}`;
}

/** Loads and checks a policy set for a command that needs a valid one; prints errors to stderr. */
export async function loadValidPolicy(io: CliIO, dir: string): Promise<LoadedPolicy | undefined> {
  const loaded = await loadPolicySources(io.cwd, dir);
  const analyzed = analyzePolicySet(loaded.sources);
  const diagnostics = loaded.sources.length === 0 ? loaded.diagnostics : [...loaded.diagnostics, ...analyzed.diagnostics];
  if (hasErrors(diagnostics)) {
    const sources = new Map(loaded.sources.map((s) => [s.path, s.text]));
    const errors = diagnostics.filter((d) => d.severity === "error");
    io.stderr(renderDiagnosticsText(errors, { color: useColor(io, "stderr"), sources }));
    io.stderr(`\nthe policy in '${dir}' has ${errors.length === 1 ? "an error" : `${errors.length} errors`}; run 'smarketing-policy validate ${dir}' and fix ${errors.length === 1 ? "it" : "them"} first\n`);
    return undefined;
  }
  return { analyzed, sources: loaded.sources, hash: policyHash(loaded.sources) };
}

import type * as A from "../ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { CheckContext } from "./context.js";
import { CHECKS, SET_CHECKS, type NodeKind, type NodeOf } from "./registry.js";
import { collectSymbols, type SymbolTable } from "./symbols.js";

export interface CheckResult {
  symbols: SymbolTable;
  diagnostics: Diagnostic[];
}

/** Checks a whole policy set; collects every problem instead of stopping at the first. */
export function checkPolicySet(files: readonly A.PolicyFile[]): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const symbols = collectSymbols(files, diagnostics);
  const ctx = new CheckContext(symbols, diagnostics);
  for (const check of SET_CHECKS.before) check(ctx, files);
  for (const { node, file } of symbols.all) {
    // A second agreement is reported as such (E0104); its clauses are not checked.
    if (node.kind === "Agreement" && node !== symbols.agreement?.node) continue;
    runChecks(node.kind, node, file, ctx);
  }
  for (const check of SET_CHECKS.after) check(ctx, files);
  return { symbols, diagnostics };
}

function runChecks<K extends NodeKind>(kind: K, node: NodeOf<K>, file: string, ctx: CheckContext): void {
  const checks: readonly ((node: NodeOf<K>, file: string, ctx: CheckContext) => void)[] = CHECKS[kind];
  for (const check of checks) check(node, file, ctx);
}

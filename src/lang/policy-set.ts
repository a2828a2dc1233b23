import type { PolicyFile } from "./ast.js";
import { checkPolicySet } from "./check/check.js";
import type { SymbolTable } from "./check/symbols.js";
import { sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { parseFile, type ParsedFile } from "./parse.js";

export interface SourceFile {
  path: string;
  text: string;
}

export interface AnalyzedPolicySet {
  files: PolicyFile[];
  symbols: SymbolTable;
  /** Parse and check problems of every file, sorted by file and position. */
  diagnostics: Diagnostic[];
}

/**
 * Parses and checks a policy set read together (SPEC §2). Pure: the caller reads the files.
 * `parse` may be a cache (the language server reparses only the file being typed in).
 */
export function analyzePolicySet(sources: readonly SourceFile[], parse: (path: string, text: string) => ParsedFile = parseFile): AnalyzedPolicySet {
  const ordered = [...sources].sort((a, b) => a.path.localeCompare(b.path));
  const parsed = ordered.map((s) => parse(s.path, s.text));
  const files = parsed.map((p) => p.file);
  const checked = checkPolicySet(files);
  return {
    files,
    symbols: checked.symbols,
    diagnostics: sortDiagnostics([...parsed.flatMap((p) => p.diagnostics), ...checked.diagnostics]),
  };
}

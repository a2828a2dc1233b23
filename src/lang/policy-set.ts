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
  const parseProblems = parsed.flatMap((p) => p.diagnostics);
  const byPath = new Map(files.map((f) => [f.path, f]));
  const broken = brokenBlocks(byPath, parseProblems);
  // A clause with a syntax error is not missing: "needs 'expect …'" would be a second diagnostic for
  // one mistake. Nor is what it used unused: with a clause lost, "never used" is not known.
  const consequences = (d: Diagnostic) =>
    (d.code === "E0103" && broken.has(blockAt(byPath, d.file, d.range.start.offset))) || (broken.size > 0 && UNUSED.has(d.code));
  return {
    files,
    symbols: checked.symbols,
    diagnostics: sortDiagnostics([...parseProblems, ...checked.diagnostics.filter((d) => !consequences(d))]),
  };
}

const UNUSED: ReadonlySet<string> = new Set(["W0101", "W0102", "W0105"]);

/** The block of a file that holds an offset (blocks are in text order), as "file:index"; "" when none does. */
function blockAt(files: ReadonlyMap<string, PolicyFile>, file: string, offset: number): string {
  const blocks = files.get(file)?.blocks ?? [];
  let [low, high] = [0, blocks.length - 1];
  while (low <= high) {
    const mid = (low + high) >> 1;
    const range = blocks[mid]!.range;
    if (offset < range.start.offset) high = mid - 1;
    else if (offset >= range.end.offset) low = mid + 1;
    else return `${file}:${mid}`;
  }
  return "";
}

/** Blocks with a parse error inside. */
function brokenBlocks(files: ReadonlyMap<string, PolicyFile>, problems: readonly Diagnostic[]): Set<string> {
  const broken = new Set<string>();
  for (const d of problems) if (d.severity === "error") broken.add(blockAt(files, d.file, d.range.start.offset));
  broken.delete("");
  return broken;
}

import type * as A from "../lang/ast.js";
import { parseFile, type ParsedFile } from "../lang/parse.js";
import { analyzePolicySet, type AnalyzedPolicySet, type SourceFile } from "../lang/policy-set.js";
import { lookupOf } from "../report/describe/conditions.js";
import { describeBlock, type DescribedItem } from "../report/describe/describe.js";
import { occurrenceAt, occurrencesOf, type Occurrence } from "./occurrences.js";

/**
 * One policy folder as the editor sees it: the files on disk with the open editors' text over
 * them, checked together so ids from other files resolve (SPEC §2: a set is read together).
 * Paths are absolute file-system paths.
 */
export class PolicyFolder {
  private readonly disk = new Map<string, string>();
  private readonly open = new Map<string, string>();
  private current: { analyzed: AnalyzedPolicySet; occurrences: Occurrence[] } | undefined;
  /** The last parse of each file: a keystroke reparses one file, not the set. Trees are not mutated after parsing. */
  private readonly parsed = new Map<string, { text: string; result: ParsedFile }>();

  constructor(readonly dir: string, files: readonly SourceFile[]) {
    for (const f of files) this.disk.set(f.path, f.text);
  }

  setOpen(path: string, text: string): void {
    this.open.set(path, text);
    this.current = undefined;
  }

  /** Closing an editor, or a change on disk, falls back to the text on disk (read again by the caller). */
  setClosed(path: string, diskText: string | undefined): void {
    this.open.delete(path);
    if (diskText === undefined) {
      this.disk.delete(path);
      this.parsed.delete(path);
    }
    else this.disk.set(path, diskText);
    this.current = undefined;
  }

  paths(): string[] {
    return [...new Set([...this.disk.keys(), ...this.open.keys()])].sort();
  }

  private state(): { analyzed: AnalyzedPolicySet; occurrences: Occurrence[] } {
    if (!this.current) {
      const sources = this.paths().map((path) => ({ path, text: this.open.get(path) ?? this.disk.get(path) ?? "" }));
      const analyzed = analyzePolicySet(sources, (path, text) => this.parse(path, text));
      this.current = { analyzed, occurrences: occurrencesOf(analyzed.files) };
    }
    return this.current;
  }

  private parse(path: string, text: string): ParsedFile {
    const cached = this.parsed.get(path);
    if (cached?.text === text) return cached.result;
    const result = parseFile(path, text);
    this.parsed.set(path, { text, result });
    return result;
  }

  get analyzed(): AnalyzedPolicySet {
    return this.state().analyzed;
  }

  get occurrences(): Occurrence[] {
    return this.state().occurrences;
  }

  file(path: string): A.PolicyFile | undefined {
    return this.analyzed.files.find((f) => f.path === path);
  }

  at(path: string, offset: number): Occurrence | undefined {
    return occurrenceAt(this.occurrences, path, offset);
  }

  /** The same symbol everywhere it is written, declaration first. */
  sameSymbol(o: Occurrence): Occurrence[] {
    const all = this.occurrences.filter((x) => x.namespace === o.namespace && x.name === o.name);
    return [...all.filter((x) => x.declaration), ...all.filter((x) => !x.declaration)];
  }

  /** The describe sentence for what is under the cursor: the symbol named there, else the block around it. */
  describeAt(path: string, offset: number): DescribedItem | undefined {
    const lookup = lookupOf(this.analyzed.symbols);
    const o = this.at(path, offset);
    const declaration = o ? this.sameSymbol(o).find((x) => x.declaration) : undefined;
    const target = declaration ?? (o ? undefined : { file: path, offset });
    if (!target) return undefined;
    const targetOffset = "offset" in target ? target.offset : target.range.start.offset;
    const file = this.file(target.file);
    const block = file?.blocks.find((b) => b.range.start.offset <= targetOffset && targetOffset <= b.range.end.offset);
    if (!file || !block) return undefined;
    const items = describeBlock(block, file.path, lookup);
    if (block.kind !== "Fields") return items[0];
    return items.find((i) => i.id === (o?.name ?? "")) ?? items.find((_, i) => {
      const f = block.fields[i]!;
      return f.range.start.offset <= targetOffset && targetOffset <= f.range.end.offset;
    });
  }
}

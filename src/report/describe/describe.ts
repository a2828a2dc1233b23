import type * as A from "../../lang/ast.js";
import type { SymbolTable } from "../../lang/check/symbols.js";
import type { ItemKind } from "../../lang/diff.js";
import { assertNever } from "../../lang/never.js";
import { lookupOf, type Lookup } from "./conditions.js";
import { blockSentence, fieldSentence } from "./blocks.js";
import { cat, type Phrase } from "./phrase.js";

/** One block (or one field) of the agreement in words. */
export interface DescribedItem {
  item: ItemKind;
  id: string;
  title: string | null;
  /** Team ids this item belongs to: a team itself, or the owners of an SLA or goal. */
  parties: string[];
  file: string;
  line: number;
  sentence: Phrase;
}

export interface Description {
  title: string | null;
  /** Every item in file order, then position: the agreement, teams, calendars, fields, leads, SLAs, goals. */
  items: DescribedItem[];
}

function itemKind(block: Exclude<A.Block, A.FieldsBlock | A.ActivityFieldsBlock>): ItemKind {
  switch (block.kind) {
    case "Agreement":
      return "agreement";
    case "Team":
      return "team";
    case "Calendar":
      return "calendar";
    case "Lead":
      return "lead";
    case "Sla":
      return "sla";
    case "Goal":
      return "goal";
    case "Waiver":
      return "waiver";
    default:
      return assertNever(block);
  }
}

function partiesOf(block: Exclude<A.Block, A.FieldsBlock | A.ActivityFieldsBlock>): string[] {
  switch (block.kind) {
    case "Team":
      return [block.id.name];
    case "Sla":
      return block.owner ? [block.owner.name] : [];
    case "Goal":
      return block.owners.map((o) => o.name);
    case "Agreement":
    case "Calendar":
    case "Lead":
    // A waiver is both parties' (SPEC §8.4): both sign it, like any change to the agreement.
    case "Waiver":
      return [];
    default:
      return assertNever(block);
  }
}

/** The items one block contributes: itself, or each field of a fields block. */
export function describeBlock(block: A.Block, file: string, lookup: Lookup): DescribedItem[] {
  if (block.kind === "Fields" || block.kind === "ActivityFields") {
    const activity = block.kind === "ActivityFields";
    return block.fields.map((f) => ({
      item: "field",
      id: f.name.name,
      title: null,
      parties: [],
      file,
      line: f.range.start.line,
      sentence: activity ? cat("Activity field ", fieldSentence(f)) : fieldSentence(f),
    }));
  }
  return [
    {
      item: itemKind(block),
      id: block.kind === "Agreement" ? "agreement" : block.id.name,
      title: block.kind === "Calendar" ? null : (block.title?.value ?? null),
      parties: partiesOf(block),
      file,
      line: block.range.start.line,
      sentence: blockSentence(block, lookup),
    },
  ];
}

/** The whole policy set in words. Pure: the same files and symbols give the same description. */
export function describePolicy(files: readonly A.PolicyFile[], symbols: SymbolTable): Description {
  const lookup = lookupOf(symbols);
  const items = files.flatMap((f) => f.blocks.flatMap((b) => describeBlock(b, f.path, lookup)));
  return { title: symbols.agreement?.node.title.value ?? null, items };
}

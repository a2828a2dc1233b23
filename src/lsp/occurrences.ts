import type * as A from "../lang/ast.js";
import { leadFieldsIn } from "../lang/check/expressions.js";
import { isLiteral } from "../lang/lower.js";
import { assertNever } from "../lang/never.js";

/**
 * Fields have their own namespace; teams, calendars, lead definitions, SLAs and goals share one
 * (SPEC §2: ids are unique across the set). A symbol is a namespace and a name.
 */
export type Namespace = "field" | "id";

export interface Occurrence {
  namespace: Namespace;
  name: string;
  file: string;
  range: A.Ident["range"];
  declaration: boolean;
}

/** Idents that name something: their namespace and whether this one declares it. */
type Sink = (ident: A.Ident, namespace: Namespace, declaration: boolean) => void;

/** A `when` condition's names: a lead definition's id when one exists, else a field. Iterative: no depth to overflow. */
function conditionNames(root: A.Expr, isLead: (name: string) => boolean, add: Sink): void {
  const stack: A.Expr[] = [root];
  while (stack.length > 0) {
    const e = stack.pop()!;
    if (isLiteral(e)) continue;
    switch (e.kind) {
      case "Ref":
        add(e.name, isLead(e.name.name) ? "id" : "field", false);
        break;
      case "And":
      case "Or":
        stack.push(...e.operands);
        break;
      case "Not":
        stack.push(e.operand);
        break;
      case "Paren":
        stack.push(e.inner);
        break;
      case "Compare":
        for (const o of [e.left, e.right]) if (o.kind !== "LeadField") stack.push(o);
        break;
      case "In":
      case "TextMatch":
      case "IsSet":
        add(e.subject.name, "field", false);
        break;
      default:
        assertNever(e);
    }
  }
}

function durationNames(e: A.Expectation | undefined, add: Sink): void {
  if (e?.kind === "FirstTouchExpectation" || e?.kind === "TouchesExpectation") {
    if (e.within.calendar) add(e.within.calendar, "id", false);
  }
  if (e?.kind === "RateExpectation") add(e.definition, "id", false);
}

function blockNames(block: A.Block, isLead: (name: string) => boolean, add: Sink): void {
  switch (block.kind) {
    case "Agreement":
      if (block.calendar) add(block.calendar, "id", false);
      return;
    case "Team":
    case "Calendar":
      add(block.id, "id", true);
      return;
    case "Fields":
      for (const f of block.fields) add(f.name, "field", true);
      return;
    case "ActivityFields":
      // Activity fields are named in touch filters only, not where lead fields are.
      return;
    case "Lead":
      add(block.id, "id", true);
      if (block.when) conditionNames(block.when, isLead, add);
      if (block.since) add(block.since, "field", false);
      return;
    case "Sla":
      add(block.id, "id", true);
      for (const ident of [block.owner, block.leads, block.calendar]) if (ident) add(ident, "id", false);
      if (block.clock) add(block.clock, "field", false);
      // `touches` filters read activity columns (type, at, owner), and the lead's fields only as `lead.NAME`.
      for (const ref of leadFieldsIn(block.touches)) add(ref.field, "field", false);
      durationNames(block.expect, add);
      for (const b of block.by) add(b, "field", false);
      return;
    case "Goal":
      add(block.id, "id", true);
      for (const o of block.owners) add(o, "id", false);
      if (block.revenue) add(block.revenue.from, "field", false);
      for (const s of block.funnel) add(s.definition, "id", false);
      for (const b of block.by) add(b, "field", false);
      return;
    case "Waiver":
      add(block.id, "id", true);
      for (const s of block.slas) add(s, "id", false);
      if (block.when) conditionNames(block.when, isLead, add);
      return;
    default:
      assertNever(block);
  }
}

/** Every name written in the policy set that declares or refers to a field or an id, in file order. */
export function occurrencesOf(files: readonly A.PolicyFile[]): Occurrence[] {
  const leads = new Set(files.flatMap((f) => f.blocks.flatMap((b) => (b.kind === "Lead" ? [b.id.name] : []))));
  const out: Occurrence[] = [];
  for (const file of files) {
    const add: Sink = (ident, namespace, declaration) => out.push({ namespace, name: ident.name, file: file.path, range: ident.range, declaration });
    for (const block of file.blocks) blockNames(block, (n) => leads.has(n), add);
  }
  return out;
}

/** The occurrence under a cursor (offset in the file), if any. End is inclusive so `mql|` still finds `mql`. */
export function occurrenceAt(occurrences: readonly Occurrence[], file: string, offset: number): Occurrence | undefined {
  return occurrences.find((o) => o.file === file && o.range.start.offset <= offset && offset <= o.range.end.offset);
}

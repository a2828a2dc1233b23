import type * as A from "./ast.js";

/** Keys that say where something was written, not what it means. */
const POSITIONAL_KEYS = new Set(["range", "typeRange", "unitRange", "oneOfRange", "clauses", "comments"]);

/** A deep copy of an AST node without source positions: what "the same policy" means. */
export function withoutRanges<T>(node: T): T {
  return JSON.parse(JSON.stringify(node, (key, value: unknown) => (POSITIONAL_KEYS.has(key) ? undefined : value))) as T;
}

type Stripped<T> = T;
export interface CompiledPolicy {
  agreement: Stripped<A.AgreementBlock> | null;
  teams: Stripped<A.TeamBlock>[];
  calendars: Stripped<A.CalendarBlock>[];
  fields: Stripped<A.FieldDecl>[];
  activityFields: Stripped<A.FieldDecl>[];
  leads: Stripped<A.LeadBlock>[];
  slas: Stripped<A.SlaBlock>[];
  goals: Stripped<A.GoalBlock>[];
  waivers: Stripped<A.WaiverBlock>[];
}

/** The policy set as one document, independent of how it is split into files (schemas/policy.schema.json). */
export function compilePolicy(files: readonly A.PolicyFile[]): CompiledPolicy {
  const blocks = files.flatMap((f) => f.blocks);
  const of = <K extends A.Block["kind"]>(kind: K) =>
    blocks.filter((b): b is Extract<A.Block, { kind: K }> => b.kind === kind).map(withoutRanges);
  const agreement = of("Agreement")[0];
  return {
    agreement: agreement ?? null,
    teams: of("Team"),
    calendars: of("Calendar"),
    fields: of("Fields").flatMap((f) => f.fields),
    activityFields: of("ActivityFields").flatMap((f) => f.fields),
    leads: of("Lead"),
    slas: of("Sla"),
    goals: of("Goal"),
    waivers: of("Waiver"),
  };
}

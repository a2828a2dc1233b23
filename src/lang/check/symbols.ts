import type * as A from "../ast.js";
import type { Diagnostic } from "../diagnostics.js";
import { diagnostic } from "../diagnostics.js";

/** A declaration together with the file it came from, so diagnostics land in the right file. */
export interface Located<T> {
  node: T;
  file: string;
}

/** Everything declared in a policy set, by id. The first declaration of an id wins. */
export interface SymbolTable {
  agreement?: Located<A.AgreementBlock> | undefined;
  teams: Map<string, Located<A.TeamBlock>>;
  calendars: Map<string, Located<A.CalendarBlock>>;
  fields: Map<string, Located<A.FieldDecl>>;
  /** The `activity fields` blocks' fields (SPEC §8.2), by name. */
  activityFields: Map<string, Located<A.FieldDecl>>;
  leads: Map<string, Located<A.LeadBlock>>;
  slas: Map<string, Located<A.SlaBlock>>;
  goals: Map<string, Located<A.GoalBlock>>;
  waivers: Map<string, Located<A.WaiverBlock>>;
  /** Every block, duplicates included: a duplicate's body is still checked for its own mistakes. */
  all: Located<A.Block>[];
}

const KIND_WORDS: Record<string, string> = {
  Team: "a team",
  Calendar: "a calendar",
  Lead: "a lead definition",
  Sla: "an SLA",
  Goal: "a goal",
  Waiver: "a waiver",
  Field: "a field",
};

function where(loc: Located<{ range: A.Block["range"] }>): string {
  return `${loc.file}:${loc.node.range.start.line}:${loc.node.range.start.column}`;
}

export function collectSymbols(files: readonly A.PolicyFile[], diagnostics: Diagnostic[]): SymbolTable {
  const table: SymbolTable = {
    teams: new Map(),
    calendars: new Map(),
    fields: new Map(),
    activityFields: new Map(),
    leads: new Map(),
    slas: new Map(),
    goals: new Map(),
    waivers: new Map(),
    all: [],
  };
  // Teams, calendars, leads, SLAs and goals share one namespace: "mql" means one thing in a review.
  const ids = new Map<string, Located<{ kind: string; range: A.Block["range"] }>>();

  const declare = <T extends A.TeamBlock | A.CalendarBlock | A.LeadBlock | A.SlaBlock | A.GoalBlock | A.WaiverBlock>(
    into: Map<string, Located<T>>,
    node: T,
    file: string,
  ): void => {
    const previous = ids.get(node.id.name);
    if (previous) {
      diagnostics.push(
        diagnostic(
          "E0101",
          `'${node.id.name}' is already defined as ${KIND_WORDS[previous.node.kind]} at ${where(previous)}; ids must be unique across all policy files`,
          file,
          node.id.range,
        ),
      );
      return;
    }
    ids.set(node.id.name, { node, file });
    into.set(node.id.name, { node, file });
  };

  const extraAgreements: Located<A.AgreementBlock>[] = [];
  for (const file of files) {
    for (const block of file.blocks) {
      table.all.push({ node: block, file: file.path });
      switch (block.kind) {
        case "Agreement":
          if (table.agreement) extraAgreements.push({ node: block, file: file.path });
          else table.agreement = { node: block, file: file.path };
          break;
        case "Team":
          declare(table.teams, block, file.path);
          break;
        case "Calendar":
          declare(table.calendars, block, file.path);
          break;
        case "Lead":
          declare(table.leads, block, file.path);
          break;
        case "Sla":
          declare(table.slas, block, file.path);
          break;
        case "Goal":
          declare(table.goals, block, file.path);
          break;
        case "Waiver":
          declare(table.waivers, block, file.path);
          break;
        case "Fields":
        case "ActivityFields": {
          const into = block.kind === "Fields" ? table.fields : table.activityFields;
          const what = block.kind === "Fields" ? "field" : "activity field";
          for (const field of block.fields) {
            const previous = into.get(field.name.name);
            if (previous) {
              diagnostics.push(
                diagnostic("E0101", `${what} '${field.name.name}' is already declared at ${where(previous)}`, file.path, field.name.range),
              );
            } else {
              into.set(field.name.name, { node: field, file: file.path });
            }
          }
          break;
        }
      }
    }
  }

  for (const extra of extraAgreements) {
    diagnostics.push(
      diagnostic(
        "E0104",
        `a policy set has one agreement block; another is at ${table.agreement ? where(table.agreement) : "?"}`,
        extra.file,
        extra.node.range,
      ),
    );
  }
  for (const [name, lead] of table.leads) {
    const field = table.fields.get(name);
    if (field) {
      diagnostics.push(
        diagnostic(
          "E0101",
          `'${name}' is both a field (${where(field)}) and a lead definition; rename one so conditions are unambiguous`,
          lead.file,
          lead.node.id.range,
        ),
      );
    }
  }
  return table;
}

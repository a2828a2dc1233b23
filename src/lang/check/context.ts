import type * as A from "../ast.js";
import { diagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import type { Range } from "../range.js";
import { Suggestions } from "../suggest.js";
import { fieldType, type Scope } from "./expressions.js";
import type { SymbolTable } from "./symbols.js";

type NameKind = "calendar" | "team" | "lead" | "field" | "condition";

/**
 * What every check shares: the symbol table, the diagnostics collected so far, the names used
 * (for the "never used" warnings at the end) and reference lookups that report an unknown name
 * once, with a suggestion.
 */
export class CheckContext {
  readonly usedFields = new Set<string>();
  readonly usedLeads = new Set<string>();
  readonly usedCalendars = new Set<string>();
  /** One candidate index per kind of name, built on first use: the symbol table is complete by then. */
  private readonly indexes = new Map<NameKind, Suggestions>();

  constructor(
    readonly symbols: SymbolTable,
    readonly diagnostics: Diagnostic[],
  ) {}

  report(code: DiagnosticCode, message: string, file: string, range: Range): void {
    this.diagnostics.push(diagnostic(code, message, file, range));
  }

  suggest(kind: NameKind, word: string): string {
    let index = this.indexes.get(kind);
    if (!index) {
      const { calendars, teams, leads, fields } = this.symbols;
      const names = { calendar: calendars, team: teams, lead: leads, field: fields, condition: undefined }[kind];
      index = new Suggestions(names ? names.keys() : [...fields.keys(), ...leads.keys()]);
      this.indexes.set(kind, index);
    }
    return index.didYouMean(word);
  }

  calendarRef(id: A.Ident, file: string): void {
    if (this.symbols.calendars.has(id.name)) {
      this.usedCalendars.add(id.name);
      return;
    }
    this.report("E0204", `unknown calendar '${id.name}'${this.suggest("calendar", id.name)}`, file, id.range);
  }

  teamRef(id: A.Ident, file: string): void {
    if (this.symbols.teams.has(id.name)) return;
    this.report("E0202", `unknown team '${id.name}'${this.suggest("team", id.name)}`, file, id.range);
  }

  leadRef(id: A.Ident, file: string): boolean {
    if (this.symbols.leads.has(id.name)) {
      this.usedLeads.add(id.name);
      return true;
    }
    this.report("E0203", `unknown lead definition '${id.name}'${this.suggest("lead", id.name)}`, file, id.range);
    return false;
  }

  fieldRef(id: A.Ident, file: string): A.FieldDecl | undefined {
    const field = this.symbols.fields.get(id.name);
    if (field) {
      this.usedFields.add(id.name);
      return field.node;
    }
    this.report("E0201", `unknown field '${id.name}'${this.suggest("field", id.name)}`, file, id.range);
    return undefined;
  }

  /** A clock or `since` field must hold a time or a date. */
  timeFieldRef(id: A.Ident, file: string, role: string): void {
    const field = this.fieldRef(id, file);
    if (field && field.type !== "time" && field.type !== "date") {
      this.report("E0306", `${role} '${id.name}' must be a time or date field; it is ${field.type}`, file, id.range);
    }
  }

  percent(p: A.PercentLit, file: string, what: string): void {
    if (p.value < 0 || p.value > 100) {
      this.report("E0401", `${what} ${p.text}% is outside 0–100%`, file, p.range);
    }
  }

  /** What a lead definition's `when` may name: fields and other definitions. */
  leadScope(): Scope {
    return {
      describe: "field or lead definition",
      unknownCode: "E0205",
      lookup: (name) => {
        const field = this.symbols.fields.get(name);
        if (field) return fieldType(field.node);
        return this.symbols.leads.has(name) ? { kind: "definition" } : undefined;
      },
      suggest: (name) => this.suggest("condition", name),
      onUse: (name) => {
        if (this.symbols.fields.has(name)) this.usedFields.add(name);
        else this.usedLeads.add(name);
      },
      leadFields: null,
    };
  }

  /** `lead.NAME` in a touches filter: the lead's own fields (not its definitions). */
  leadFieldScope(): Scope {
    return {
      describe: "lead field",
      unknownCode: "E0201",
      lookup: (name) => {
        const field = this.symbols.fields.get(name);
        return field ? fieldType(field.node) : undefined;
      },
      suggest: (name) => this.suggest("field", name),
      onUse: (name) => this.usedFields.add(name),
      leadFields: null,
    };
  }
}

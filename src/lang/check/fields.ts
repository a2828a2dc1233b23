import type * as A from "../ast.js";
import { ACTIVITY_FIELDS } from "../activity-fields.js";
import { numberPatternProblem, timePatternProblem } from "../column-format.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import { assertNever } from "../never.js";
import { ACTIVITY_FIELD_TYPES } from "../vocabulary.js";
import { fieldType, type ValueType } from "./expressions.js";
import type { Located, SymbolTable } from "./symbols.js";

/** A field's `format` pattern must be able to read its column (E0107); which types take a format is the lowering's E0106. */
export function checkFieldFormat(loc: Located<A.FieldDecl>, diagnostics: Diagnostic[]): void {
  const format = loc.node.format;
  if (!format) return;
  let problem: string | undefined;
  switch (format.kind) {
    case "TimePattern":
      problem = timePatternProblem(format.pattern.value);
      break;
    case "NumberPattern":
      problem = numberPatternProblem(format.pattern.value);
      break;
    case "Epoch":
      return;
    default:
      assertNever(format);
  }
  if (problem !== undefined) {
    diagnostics.push(diagnostic("E0107", `the format "${format.pattern.value}" of '${loc.node.name.name}' cannot read a value: ${problem}`, loc.file, format.pattern.range));
  }
}

/**
 * The `activity fields` block: formats as for lead fields, and the activity record's own four
 * fields keep their types (a touch filter compares `at` as a time whatever the column is called).
 */
export function checkActivityFields(symbols: SymbolTable, diagnostics: Diagnostic[]): void {
  for (const loc of symbols.activityFields.values()) {
    checkFieldFormat(loc, diagnostics);
    const own = (ACTIVITY_FIELD_TYPES as Readonly<Record<string, A.FieldTypeName>>)[loc.node.name.name];
    if (own !== undefined && own !== loc.node.type) {
      diagnostics.push(
        diagnostic("E0306", `the activity field '${loc.node.name.name}' is ${own === "time" ? "a time" : own}; declare it as '${loc.node.name.name} ${own}'`, loc.file, loc.node.typeRange),
      );
    }
  }
}

/** The fields a `touches` filter may name: the activity record's own, and those the `activity fields` block adds. */
export function activityFieldTypes(symbols: SymbolTable): ReadonlyMap<string, ValueType> {
  if (symbols.activityFields.size === 0) return ACTIVITY_FIELDS;
  const all = new Map(ACTIVITY_FIELDS);
  for (const [name, loc] of symbols.activityFields) if (!all.has(name)) all.set(name, fieldType(loc.node));
  return all;
}

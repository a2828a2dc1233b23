import type * as A from "../ast.js";
import { ACTIVITY_FIELDS } from "../activity-fields.js";
import { numberPatternProblem, timePatternProblems, type PatternProblem } from "../column-format.js";
import { assertNever } from "../never.js";
import { ACTIVITY_FIELD_TYPES, FORMAT_TYPES } from "../vocabulary.js";
import type { CheckContext } from "./context.js";
import { fieldType, type ValueType } from "./expressions.js";
import type { SymbolTable } from "./symbols.js";

/** Each declaration, duplicates included: whether its type takes a currency and a `one of` list. */
export function fieldShapes(block: A.FieldsBlock | A.ActivityFieldsBlock, file: string, ctx: CheckContext): void {
  for (const f of block.fields) {
    const name = f.name.name;
    if (f.type === "money" && !f.currency) {
      ctx.report("E0103", `money field '${name}' needs a currency, like 'money USD'`, file, f.typeRange);
    }
    if (f.type !== "money" && f.currency) {
      ctx.report("E0106", `only money fields take a currency; '${name}' is ${f.type}`, file, f.currency.range);
    }
    if (f.oneOfRange && f.type !== "text") {
      ctx.report("E0106", `'one of' applies to text fields; '${name}' is ${f.type}`, file, f.oneOfRange);
    }
  }
}

/**
 * A field's `format` (SPEC §8.2): on a type it applies to (E0106), and able to read a value
 * (E0107: a time pattern that gives no whole date, a number pattern that is not one).
 */
export function fieldFormats(block: A.FieldsBlock | A.ActivityFieldsBlock, file: string, ctx: CheckContext): void {
  for (const f of block.fields) {
    const format = f.format;
    if (!format) continue;
    const name = f.name.name;
    switch (format.kind) {
      case "Epoch":
        if (!(FORMAT_TYPES.epoch as readonly string[]).includes(f.type)) {
          ctx.report("E0106", `'format epoch' applies to time fields; '${name}' is ${f.type}`, file, format.range);
        }
        break;
      case "Pattern": {
        if (!(FORMAT_TYPES.pattern as readonly string[]).includes(f.type)) {
          ctx.report("E0106", `a format pattern applies to time, date, number and money fields; '${name}' is ${f.type}`, file, format.range);
          break;
        }
        const pattern = format.pattern.value;
        if (f.type === "time" || f.type === "date") {
          // One diagnostic per mistake, at the part of the pattern it is about.
          for (const problem of timePatternProblems(pattern)) {
            ctx.report("E0107", `the format "${pattern}" of '${name}' cannot read a value: ${problem.message}`, file, withinString(format.pattern, problem));
          }
          break;
        }
        const problem = numberPatternProblem(pattern);
        if (problem !== undefined) ctx.report("E0107", `the format "${pattern}" of '${name}' cannot read a value: ${problem}`, file, format.pattern.range);
        break;
      }
      default:
        assertNever(format);
    }
  }
}

/** The activity record's own four fields keep their types: a touch filter compares `at` as a time whatever its column is called. */
export function activityOwnTypes(block: A.ActivityFieldsBlock, file: string, ctx: CheckContext): void {
  for (const f of block.fields) {
    const own = (ACTIVITY_FIELD_TYPES as Readonly<Record<string, A.FieldTypeName>>)[f.name.name];
    if (own !== undefined && own !== f.type) {
      ctx.report("E0306", `the activity field '${f.name.name}' is ${own === "time" ? "a time" : own}; declare it as '${f.name.name} ${own}'`, file, f.typeRange);
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

/**
 * The part of a string literal a pattern problem is about: narrowed when the literal is written
 * as its value in quotes on one line (no escapes: each character is one in the text); the
 * whole literal otherwise.
 */
function withinString(literal: A.StringLit, problem: PatternProblem): A.StringLit["range"] {
  const { start, end } = literal.range;
  const plain = start.line === end.line && end.offset - start.offset === literal.value.length + 2;
  if (!plain || problem.length === 0 || (problem.at === 0 && problem.length === literal.value.length)) return literal.range;
  const from = problem.at + 1;
  const to = from + problem.length;
  return {
    start: { line: start.line, column: start.column + from, offset: start.offset + from },
    end: { line: start.line, column: start.column + to, offset: start.offset + to },
  };
}

import { assertNever } from "../../lang/never.js";
import type { Column, Ir, IrOperand, Value } from "../ir.js";
import { ident, text } from "./dialect.js";

/** How a condition's columns and definitions are named in the relation it is compiled against. */
export interface SqlScope {
  /** The typed column of a field or activity slot, and whether it holds text. */
  column(column: Column): { sql: string; isText: boolean };
  /** The boolean column of an earlier definition. */
  definition(id: string): string;
}

const OPERATORS = { "=": "=", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">=" } as const;

/** A value of the IR (times already epoch milliseconds) as a SQL literal. */
export function sqlValue(value: Value): string {
  if (value === null) return "NULL";
  switch (typeof value) {
    case "string":
      return text(value);
    case "boolean":
      return value ? "TRUE" : "FALSE";
    case "number":
      if (!Number.isFinite(value)) throw new Error(`a number in a condition is not finite: ${value}`);
      return String(value);
    default:
      return assertNever(value);
  }
}

/**
 * A condition as a SQL boolean expression with the IR's two-valued logic: every leaf is TRUE or
 * FALSE, never NULL (a condition on an empty value is false; `not` of it is true), so NOT and
 * the connectives mean what they mean in the in-memory predicates (predicate.ts). Text matches
 * are case-insensitive (the needle is already lower case), equality and `in` exact.
 * The IR's nesting is bounded by the parser (E0007), so this recursion is too.
 */
export function sqlCondition(ir: Ir, scope: SqlScope): string {
  const operand = (o: IrOperand): string => {
    // `lead.NAME` in a touch filter: compileSql lists such SLAs as not compiled, so none gets here.
    if (o.kind === "lead") throw new Error("internal: a touch filter's lead field reached the SQL compiler");
    return o.kind === "const" ? sqlValue(o.value) : scope.column(o.column).sql;
  };
  switch (ir.op) {
    case "and":
      return ir.args.length === 0 ? "TRUE" : `(${ir.args.map((a) => sqlCondition(a, scope)).join(" AND ")})`;
    case "or":
      return ir.args.length === 0 ? "FALSE" : `(${ir.args.map((a) => sqlCondition(a, scope)).join(" OR ")})`;
    case "not":
      return `(NOT ${sqlCondition(ir.arg, scope)})`;
    case "compare": {
      const left = operand(ir.left);
      const right = operand(ir.right);
      return `COALESCE(${left} ${OPERATORS[ir.cmp]} ${right}, FALSE)`;
    }
    case "in": {
      if (ir.values.length === 0) return "FALSE";
      return `COALESCE(${scope.column(ir.column).sql} IN (${ir.values.map(sqlValue).join(", ")}), FALSE)`;
    }
    case "match": {
      const subject = `lower(${scope.column(ir.column).sql})`;
      const needle = text(ir.needle);
      const test =
        ir.mode === "contains"
          ? `strpos(${subject}, ${needle}) > 0`
          : ir.mode === "starts"
            ? `left(${subject}, length(${needle})) = ${needle}`
            : `right(${subject}, length(${needle})) = ${needle}`;
      return `COALESCE(${test}, FALSE)`;
    }
    case "isSet": {
      const c = scope.column(ir.column);
      return c.isText ? `COALESCE(${c.sql} <> '', FALSE)` : `(${c.sql} IS NOT NULL)`;
    }
    case "truthy":
      return `(${scope.column(ir.column).sql} IS TRUE)`;
    case "definition":
      return `(${scope.definition(ir.id)} IS TRUE)`;
    case "const":
      return ir.value ? "TRUE" : "FALSE";
    default:
      return assertNever(ir);
  }
}

export { ident };

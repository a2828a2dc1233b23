import { DateTime } from "luxon";
import type * as A from "../lang/ast.js";
import type { CompareOp } from "../lang/ast.js";
import { dayOfIsoDate, type Zone } from "./time.js";

/** A value in a lead or activity record after conversion. Times and dates are epoch milliseconds. */
export type Value = string | number | boolean | null;

/** A column of the record a condition reads: its slot in the value array, and its name. */
export interface Column {
  slot: number;
  name: string;
}

/**
 * The intermediate form of a condition: plain data, no closures, so it can be compiled to a
 * JavaScript predicate here and to a SQL expression for a warehouse later. Literals are already
 * in the record's representation (times as epoch ms in the agreement's zone, text lower-cased
 * where the match is case-insensitive). A condition on an empty value is false; `not` of it is true.
 */
export type Ir =
  | { op: "and"; args: Ir[] }
  | { op: "or"; args: Ir[] }
  | { op: "not"; arg: Ir }
  | { op: "compare"; cmp: CompareOp; left: IrOperand; right: IrOperand }
  | { op: "in"; column: Column; values: Value[] }
  | { op: "match"; mode: "contains" | "starts" | "ends"; column: Column; needle: string }
  | { op: "isSet"; column: Column }
  | { op: "truthy"; column: Column }
  | { op: "definition"; id: string; index: number }
  | { op: "const"; value: boolean };

/** `lead`: a slot of the lead's record, read by a touch filter (`owner = lead.owner`) beside the activity's. */
export type IrOperand = { kind: "column"; column: Column } | { kind: "lead"; column: Column } | { kind: "const"; value: Value };

export interface IrScope {
  column(name: string): Column | undefined;
  /** The lead's own fields as `lead.NAME` (touch filters); undefined elsewhere, where the checker allows none. */
  leadColumn(name: string): Column | undefined;
  definition(name: string): number | undefined;
  zone: Zone;
}

/** A date literal is local midnight in the agreement's zone; a time without offset is read there too. */
export function literalValue(lit: A.Literal, zone: Zone): Value {
  switch (lit.kind) {
    case "String":
      return lit.value;
    case "Number":
    case "Percent":
      return lit.value;
    case "Money":
      return lit.amount;
    case "Boolean":
      return lit.value;
    case "Date":
      return zone.startOfDay(dayOfIsoDate(lit.value));
    case "DateTime":
      return DateTime.fromISO(lit.value, { zone: zone.name, setZone: false }).toMillis();
  }
}

/** Lowers a checked expression to IR. The checker has already rejected unknown names and bad types. */
export function toIr(expr: A.Expr, scope: IrScope): Ir {
  const column = (ref: A.RefExpr): Column => {
    const c = scope.column(ref.name.name);
    if (!c) throw new Error(`internal: unresolved column '${ref.name.name}' after checking`);
    return c;
  };
  const operand = (o: A.Operand): IrOperand => {
    if (o.kind === "Ref") return { kind: "column", column: column(o) };
    if (o.kind !== "LeadField") return { kind: "const", value: literalValue(o, scope.zone) };
    const c = scope.leadColumn(o.field.name);
    if (!c) throw new Error(`internal: unresolved lead field '${o.field.name}' after checking`);
    return { kind: "lead", column: c };
  };

  switch (expr.kind) {
    case "And":
      return { op: "and", args: expr.operands.map((e) => toIr(e, scope)) };
    case "Or":
      return { op: "or", args: expr.operands.map((e) => toIr(e, scope)) };
    case "Not":
      return { op: "not", arg: toIr(expr.operand, scope) };
    case "Paren":
      return toIr(expr.inner, scope);
    case "Ref": {
      const def = scope.definition(expr.name.name);
      if (def !== undefined) return { op: "definition", id: expr.name.name, index: def };
      return { op: "truthy", column: column(expr) };
    }
    case "Compare":
      return { op: "compare", cmp: expr.op, left: operand(expr.left), right: operand(expr.right) };
    case "In": {
      const node: Ir = { op: "in", column: column(expr.subject), values: expr.values.map((v) => literalValue(v, scope.zone)) };
      return expr.negated ? { op: "not", arg: node } : node;
    }
    case "TextMatch":
      return {
        op: "match",
        mode: expr.op === "contains" ? "contains" : expr.op === "starts with" ? "starts" : "ends",
        column: column(expr.subject),
        needle: expr.value.value.toLowerCase(),
      };
    case "IsSet": {
      const node: Ir = { op: "isSet", column: column(expr.subject) };
      return expr.negated ? { op: "not", arg: node } : node;
    }
    default: {
      const value = literalValue(expr, scope.zone);
      return { op: "const", value: value === true };
    }
  }
}

type IrLeaf = Exclude<Ir, { op: "and" } | { op: "or" } | { op: "not" }>;

/** What `fromLeaf` finds in each condition under `and`, `or` and `not`, in order. */
function collect<T>(ir: Ir, fromLeaf: (leaf: IrLeaf) => T[]): T[] {
  switch (ir.op) {
    case "and":
    case "or":
      return ir.args.flatMap((arg) => collect(arg, fromLeaf));
    case "not":
      return collect(ir.arg, fromLeaf);
    default:
      return fromLeaf(ir);
  }
}

/** Every definition an IR node depends on (for evaluation order). */
export function definitionsIn(ir: Ir): number[] {
  return collect(ir, (leaf) => (leaf.op === "definition" ? [leaf.index] : []));
}

/** The slots of the lead's record a touch filter reads (`lead.NAME`). */
export function leadSlotsIn(ir: Ir): number[] {
  return collect(ir, (leaf) => (leaf.op === "compare" ? [leaf.left, leaf.right].flatMap((o) => (o.kind === "lead" ? [o.column.slot] : [])) : []));
}

/** The slots of the record a condition reads (not the lead's slots a touch filter reads: leadSlotsIn). */
export function slotsIn(ir: Ir): number[] {
  return collect(ir, (leaf) => {
    switch (leaf.op) {
      case "compare":
        return [leaf.left, leaf.right].flatMap((o) => (o.kind === "column" ? [o.column.slot] : []));
      case "in":
      case "match":
      case "isSet":
      case "truthy":
        return [leaf.column.slot];
      case "definition":
      case "const":
        return [];
    }
  });
}

import type { CompareOp } from "../lang/ast.js";

type Comparable = number | string | boolean;

/** One function per operator. (Conditions compile their operators into code: predicate.ts.) */
const COMPARATORS: Readonly<Record<CompareOp, (a: Comparable, b: Comparable) => boolean>> = {
  "=": (a, b) => a === b,
  "!=": (a, b) => a !== b,
  "<": (a, b) => a < b,
  "<=": (a, b) => a <= b,
  ">": (a, b) => a > b,
  ">=": (a, b) => a >= b,
};

export function compare(op: CompareOp, a: number, b: number): boolean {
  return COMPARATORS[op](a, b);
}

import type { CompareOp } from "../lang/ast.js";

type Comparable = number | string | boolean;

/** One function per operator, chosen once when a condition is compiled rather than per lead. */
export const COMPARATORS: Readonly<Record<CompareOp, (a: Comparable, b: Comparable) => boolean>> = {
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

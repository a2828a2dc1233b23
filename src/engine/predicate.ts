import { COMPARATORS } from "./compare.js";
import type { Ir, IrOperand, Value } from "./ir.js";

/** A compiled condition over one record's values and the definitions already decided for it. */
export type Predicate = (values: readonly Value[], defs: readonly boolean[]) => boolean;

function operandReader(o: IrOperand): (values: readonly Value[]) => Value {
  if (o.kind === "const") {
    const value = o.value;
    return () => value;
  }
  const slot = o.column.slot;
  return (values) => values[slot] ?? null;
}

/**
 * The text in lower case. Most values already are (emails, stages): those are returned as they
 * are, without the new string `toLowerCase` makes for every lead.
 */
function lowerCase(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 65 && c <= 90) || c > 127) return text.toLowerCase();
  }
  return text;
}

/**
 * Compiles IR to a closure once; evaluating a lead then allocates nothing. Text matches are
 * case-insensitive (SPEC §2); equality and `in` are exact.
 */
export function compilePredicate(ir: Ir): Predicate {
  switch (ir.op) {
    case "and": {
      const parts = ir.args.map(compilePredicate);
      return (v, d) => {
        for (const p of parts) if (!p(v, d)) return false;
        return true;
      };
    }
    case "or": {
      const parts = ir.args.map(compilePredicate);
      return (v, d) => {
        for (const p of parts) if (p(v, d)) return true;
        return false;
      };
    }
    case "not": {
      const inner = compilePredicate(ir.arg);
      return (v, d) => !inner(v, d);
    }
    case "compare": {
      const left = operandReader(ir.left);
      const right = operandReader(ir.right);
      const test = COMPARATORS[ir.cmp];
      return (v) => {
        const a = left(v);
        const b = right(v);
        return a !== null && b !== null && test(a, b);
      };
    }
    case "in": {
      const set = new Set<Value>(ir.values);
      const slot = ir.column.slot;
      return (v) => {
        const x = v[slot] ?? null;
        return x !== null && set.has(x);
      };
    }
    case "match": {
      const slot = ir.column.slot;
      const needle = ir.needle;
      const test =
        ir.mode === "contains"
          ? (s: string) => s.includes(needle)
          : ir.mode === "starts"
            ? (s: string) => s.startsWith(needle)
            : (s: string) => s.endsWith(needle);
      return (v) => {
        const x = v[slot];
        return typeof x === "string" && test(lowerCase(x));
      };
    }
    case "isSet": {
      const slot = ir.column.slot;
      return (v) => {
        const x = v[slot];
        return x !== null && x !== undefined && x !== "";
      };
    }
    case "truthy": {
      const slot = ir.column.slot;
      return (v) => v[slot] === true;
    }
    case "definition": {
      const index = ir.index;
      return (_v, d) => d[index] === true;
    }
    case "const": {
      const value = ir.value;
      return () => value;
    }
  }
}

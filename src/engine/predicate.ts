import type { CompareOp } from "../lang/ast.js";
import type { Ir, IrOperand, Value } from "./ir.js";

/**
 * A compiled condition over one record's values and the definitions already decided for it; a
 * touch filter also reads its lead's values (`owner = lead.owner`).
 */
export type Predicate = (values: readonly Value[], defs: readonly boolean[], lead?: readonly Value[]) => boolean;

/**
 * Decides which definitions a lead is in, into `defs` (by definition index). `definitions` in
 * evaluation order, so that a definition can use the ones before it. Returns `defs`.
 */
export function classify(definitions: ReadonlyArray<{ index: number; predicate: Predicate }>, values: readonly Value[], defs: boolean[]): boolean[] {
  for (const d of definitions) defs[d.index] = d.predicate(values, defs);
  return defs;
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

const OPERATORS: Readonly<Record<CompareOp, string>> = { "=": "===", "!=": "!==", "<": "<", "<=": "<=", ">": ">", ">=": ">=" };
const MATCHERS = { contains: "includes", starts: "startsWith", ends: "endsWith" } as const;

/**
 * Compiles IR to one JavaScript function, once per condition: `score >= 60 and employees >= 50`
 * becomes `v[3] != null && v[3] >= k[0] && …`. A tree of closures, one per node, cost about 280
 * ns a lead for the example's four definitions: a call per node, and call sites that see every
 * kind of node. Only slot numbers, operators and `k[i]` go into the source; every value from the
 * policy (text, numbers, sets) stays data in `k`, so no policy text can change the code.
 * Text matches are case-insensitive (SPEC §2); equality and `in` are exact. A condition on an
 * empty value is false, as in the reference (test/engine/reference.test.ts).
 */
export function compilePredicate(ir: Ir): Predicate {
  const constants: unknown[] = [lowerCase];
  const constant = (value: unknown): string => `k[${constants.push(value) - 1}]`;
  /** `v`: the record's values; `l`: its lead's, for a touch filter's `lead.NAME`. */
  const slot = (n: number, record: "v" | "l" = "v"): string => {
    if (!Number.isInteger(n) || n < 0) throw new Error(`internal: bad slot ${n}`);
    return `${record}[${n}]`;
  };
  const operand = (o: IrOperand): string => (o.kind === "const" ? constant(o.value) : slot(o.column.slot, o.kind === "lead" ? "l" : "v"));
  const source = (node: Ir): string => {
    switch (node.op) {
      case "and":
        return node.args.length === 0 ? "true" : `(${node.args.map(source).join(" && ")})`;
      case "or":
        return node.args.length === 0 ? "false" : `(${node.args.map(source).join(" || ")})`;
      case "not":
        return `!${source(node.arg)}`;
      case "compare": {
        const left = operand(node.left);
        const right = operand(node.right);
        // `!= null`: neither null nor a missing slot.
        return `(${left} != null && ${right} != null && ${left} ${OPERATORS[node.cmp]} ${right})`;
      }
      case "in": {
        const x = slot(node.column.slot);
        return `(${x} != null && ${constant(new Set<Value>(node.values))}.has(${x}))`;
      }
      case "match": {
        const x = slot(node.column.slot);
        return `(typeof ${x} === "string" && k[0](${x}).${MATCHERS[node.mode]}(${constant(node.needle)}))`;
      }
      case "isSet": {
        const x = slot(node.column.slot);
        return `(${x} != null && ${x} !== "")`;
      }
      case "truthy":
        return `(${slot(node.column.slot)} === true)`;
      case "definition":
        if (!Number.isInteger(node.index) || node.index < 0) throw new Error(`internal: bad definition index ${node.index}`);
        return `(d[${node.index}] === true)`;
      case "const":
        return node.value ? "true" : "false";
    }
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- see above: generated from IR, values passed as data
  const make = new Function("k", `"use strict"; return function predicate(v, d, l) { return ${source(ir)}; };`) as (k: unknown[]) => Predicate;
  return make(constants);
}

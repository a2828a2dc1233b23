import type * as A from "../ast.js";
import type { CheckContext } from "./context.js";

/** Each declaration, duplicates included: whether its type takes a currency and a `one of` list. */
export function fieldShapes(block: A.FieldsBlock, file: string, ctx: CheckContext): void {
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

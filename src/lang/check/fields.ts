import type * as A from "../ast.js";
import type { CheckContext } from "./context.js";

export function fieldCurrency(f: A.FieldDecl, file: string, ctx: CheckContext): void {
  if (f.currency && !/^[A-Z]{3}$/.test(f.currency.name)) {
    ctx.report("E0105", `'${f.currency.name}' is not a currency code; use three capital letters such as USD or EUR`, file, f.currency.range);
  }
}

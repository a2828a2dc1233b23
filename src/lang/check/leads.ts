import type * as A from "../ast.js";
import type { CheckContext } from "./context.js";
import { ExpressionChecker, refsIn } from "./expressions.js";

export function leadCondition(lead: A.LeadBlock, file: string, ctx: CheckContext): void {
  if (!lead.when) {
    ctx.report("E0103", `lead definition '${lead.id.name}' needs a 'when' condition`, file, lead.id.range);
  } else {
    new ExpressionChecker(ctx.leadScope(), file, ctx.diagnostics).condition(lead.when);
  }
}

export function leadSince(lead: A.LeadBlock, file: string, ctx: CheckContext): void {
  if (lead.since) ctx.timeFieldRef(lead.since, file, "'since'");
}

/**
 * Reports each cycle among lead definitions once, at the reference that closes it. A depth-first
 * walk on an explicit stack, not recursion: a chain of thousands of definitions must not overflow
 * the call stack.
 */
export function leadCycles(ctx: CheckContext): void {
  const leads = ctx.symbols.leads;
  const state = new Map<string, "visiting" | "done">();
  const stack: { name: string; refs: A.RefExpr[]; next: number }[] = [];
  const enter = (name: string): void => {
    state.set(name, "visiting");
    stack.push({ name, refs: refsIn(leads.get(name)?.node.when), next: 0 });
  };
  for (const root of leads.keys()) {
    if (state.has(root)) continue;
    enter(root);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const ref = frame.refs[frame.next++];
      if (!ref) {
        state.set(frame.name, "done");
        stack.pop();
        continue;
      }
      const target = ref.name.name;
      if (!leads.has(target)) continue;
      if (state.get(target) === "visiting") reportCycle(ctx, stack.map((f) => f.name), target, ref);
      else if (!state.has(target)) enter(target);
    }
  }
}

/** `names` is the walk's current path, ending at the definition whose reference `ref` closes the cycle. */
function reportCycle(ctx: CheckContext, names: string[], target: string, ref: A.RefExpr): void {
  const name = names[names.length - 1]!;
  const chain = [...names.slice(names.indexOf(target)), target];
  // A cycle through thousands of definitions is named by its ends.
  if (chain.length > 9) chain.splice(4, chain.length - 8, `… ${chain.length - 8} more …`);
  ctx.report(
    "E0501",
    `lead definition '${name}' refers to itself through ${chain.join(" → ")}; a definition cannot depend on itself`,
    ctx.symbols.leads.get(name)!.file,
    ref.range,
  );
}

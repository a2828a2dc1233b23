import type * as A from "../ast.js";
import type { CheckContext } from "./context.js";

const nameOf = (goal: A.GoalBlock): string => `goal '${goal.id.name}'`;

export function goalOwners(goal: A.GoalBlock, file: string, ctx: CheckContext): void {
  if (goal.owners.length === 0) ctx.report("E0103", `${nameOf(goal)} needs an 'owner'`, file, goal.id.range);
  for (const owner of goal.owners) ctx.teamRef(owner, file);
}

/** The revenue clause and the average deal, which must be in its currency. */
export function goalMoney(goal: A.GoalBlock, file: string, ctx: CheckContext): void {
  let currency: string | undefined;
  if (!goal.revenue) {
    ctx.report("E0103", `${nameOf(goal)} needs 'revenue AMOUNT per PERIOD from FIELD'`, file, goal.id.range);
  } else {
    const r = goal.revenue;
    currency = r.amount.currency;
    if (r.amount.amount <= 0) ctx.report("E0403", "the revenue goal must be more than 0", file, r.amount.range);
    const field = ctx.fieldRef(r.from, file);
    if (field && field.type !== "money") {
      ctx.report("E0306", `revenue is summed from a money field; '${r.from.name}' is ${field.type}`, file, r.from.range);
    } else if (field?.currency && field.currency.name !== currency) {
      ctx.report("E0305", `the goal is in ${currency} but '${r.from.name}' holds ${field.currency.name}`, file, r.amount.range);
    }
  }
  const deal = goal.averageDeal;
  if (!deal) return;
  if (deal.amount <= 0) ctx.report("E0403", "the average deal must be more than 0", file, deal.range);
  if (currency && deal.currency !== currency) {
    ctx.report("E0305", `the average deal is in ${deal.currency} but the revenue goal is in ${currency}`, file, deal.range);
  }
}

export function goalFunnel(goal: A.GoalBlock, file: string, ctx: CheckContext): void {
  const name = nameOf(goal);
  if (goal.funnel.length === 0) {
    ctx.report("E0103", `${name} needs a 'funnel', e.g. 'funnel mql -> sales_ready 40% -> won 25%'`, file, goal.id.range);
  }
  goal.funnel.forEach((stage, index) => {
    if (ctx.leadRef(stage.definition, file) && !ctx.symbols.leads.get(stage.definition.name)?.node.since) {
      ctx.report(
        "E0502",
        `${name}: lead definition '${stage.definition.name}' has no 'since' time, which places its leads in periods`,
        file,
        stage.definition.range,
      );
    }
    if (!stage.rate) return;
    if (index === 0) {
      ctx.report("E0106", "the first funnel stage has no stage before it, so it takes no rate", file, stage.rate.range);
    } else if (stage.rate.value === 0) {
      ctx.report("E0402", `a funnel rate of 0% makes the goal unreachable; leave the rate out to measure it from the data`, file, stage.rate.range);
    } else {
      ctx.percent(stage.rate, file, "funnel rate");
    }
  });
}

export function goalGrouping(goal: A.GoalBlock, file: string, ctx: CheckContext): void {
  for (const field of goal.by) ctx.fieldRef(field, file);
}

import type * as A from "../ast.js";
import type { DiagnosticCode } from "../diagnostics.js";
import type { Range } from "../range.js";
import { didYouMean } from "../suggest.js";
import type { CheckContext } from "./context.js";

/**
 * Checks of the clauses that read a lead's or a group's own values (SPEC §8, issue 15):
 * `calendar by FIELD {…} default ID` in an SLA and `quotas {…}` in a goal. Names resolve
 * through the context, so "unknown field" and "unknown calendar" keep their codes.
 */
interface RuleContext {
  field(id: A.Ident): A.FieldDecl | undefined;
  declared(name: string): A.FieldDecl | undefined;
  calendar(id: A.Ident): void;
  report(code: DiagnosticCode, message: string, range: Range): void;
}

function ruleContext(ctx: CheckContext, file: string): RuleContext {
  return {
    field: (id) => ctx.fieldRef(id, file),
    declared: (name) => ctx.symbols.fields.get(name)?.node,
    calendar: (id) => ctx.calendarRef(id, file),
    report: (code, message, range) => ctx.report(code, message, file, range),
  };
}

/** Registered for SLAs (registry.ts). */
export function slaCalendarBy(sla: A.SlaBlock, file: string, ctx: CheckContext): void {
  if (sla.calendarBy) checkCalendarBy(sla.calendarBy, ruleContext(ctx, file));
}

/** Registered for goals (registry.ts). */
export function goalQuotas(goal: A.GoalBlock, file: string, ctx: CheckContext): void {
  if (goal.quotas) checkQuotas(goal, goal.quotas, ruleContext(ctx, file));
}

/** A text value a `one of` field cannot hold: E0303, as in a comparison. */
function allowed(field: A.FieldDecl | undefined, value: A.StringLit, ctx: RuleContext): void {
  const oneOf = field?.oneOf?.map((s) => s.value);
  if (!oneOf || oneOf.includes(value.value)) return;
  ctx.report(
    "E0303",
    `"${value.value}" is not one of ${field!.name.name}'s values${didYouMean(value.value, oneOf)}: ${oneOf.map((v) => `"${v}"`).join(", ")}`,
    value.range,
  );
}

/** One entry per value: a second is E0712, at the second. */
function once(values: readonly A.StringLit[], what: string, ctx: RuleContext): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v.value)) ctx.report("E0712", `"${v.value}" is listed twice in ${what}; keep one`, v.range);
    seen.add(v.value);
  }
}

function checkCalendarBy(clause: A.CalendarByClause, ctx: RuleContext): void {
  const field = ctx.field(clause.field);
  if (field && field.type !== "text") {
    ctx.report("E0306", `'calendar by' picks by a text field's value; '${field.name.name}' is ${field.type}`, clause.field.range);
  }
  once(clause.cases.map((c) => c.value), `'calendar by ${clause.field.name}'`, ctx);
  for (const c of clause.cases) {
    if (field?.type === "text") allowed(field, c.value, ctx);
    ctx.calendar(c.calendar);
  }
  if (clause.fallback) ctx.calendar(clause.fallback);
  else {
    const example = clause.cases[0]?.calendar.name ?? "ID";
    ctx.report(
      "E0713",
      `'calendar by ${clause.field.name}' needs 'default CALENDAR' after its table, for leads whose ${clause.field.name} is empty or not listed (e.g. '} default ${example}')`,
      clause.range,
    );
  }
}

/** The calendars a `calendar by` clause can pick: each listed one and the default. */
export function calendarsOf(clause: A.CalendarByClause): A.Ident[] {
  return [...clause.cases.map((c) => c.calendar), ...(clause.fallback ? [clause.fallback] : [])];
}

function checkQuotas(goal: A.GoalBlock, quotas: A.QuotasClause, ctx: RuleContext): void {
  if (goal.by.length === 0) {
    ctx.report("E0106", `'quotas' give each group its own revenue goal: add 'by FIELD' to goal '${goal.id.name}' (e.g. 'by owner')`, quotas.range);
    return;
  }
  once(quotas.entries.map((e) => e.group), `the quotas of goal '${goal.id.name}'`, ctx);
  // With one `by` field a group is its value, so a `one of` list can catch a typo.
  const only = goal.by.length === 1 ? goal.by[0]! : undefined;
  const field = only && ctx.declared(only.name);
  const currency = goal.revenue?.amount.currency;
  for (const e of quotas.entries) {
    if (field?.type === "text") allowed(field, e.group, ctx);
    if (e.amount.amount <= 0) ctx.report("E0403", "a quota must be more than 0", e.amount.range);
    if (currency && e.amount.currency !== currency) {
      ctx.report("E0305", `the quota is in ${e.amount.currency} but the goal's revenue is in ${currency}`, e.amount.range);
    }
  }
}

import type * as A from "../ast.js";
import { assertNever } from "../never.js";
import { isLeadLevel, slaKindOf } from "../sla-kind.js";
import { didYouMean } from "../suggest.js";
import { MAX_BUSINESS_WEEKS, openWeek } from "./calendars.js";
import type { CheckContext } from "./context.js";
import { activityFieldTypes } from "./fields.js";
import { calendarsOf } from "./lead-rules.js";
import { ExpressionChecker, type Scope } from "./expressions.js";

const nameOf = (sla: A.SlaBlock): string => `SLA '${sla.id.name}'`;

/** Lead-by-lead (first touch, touches within): only known once the expectation is. */
function leadLevel(sla: A.SlaBlock): boolean | undefined {
  return sla.expect && isLeadLevel(slaKindOf(sla.expect));
}

/** Who owes it, which leads, and from when their clock runs. */
export function slaParties(sla: A.SlaBlock, file: string, ctx: CheckContext): void {
  const name = nameOf(sla);
  if (sla.owner) ctx.teamRef(sla.owner, file);
  else ctx.report("E0103", `${name} needs an 'owner': the team that owes it`, file, sla.id.range);
  const second = sla.extraOwners?.[0];
  if (second) ctx.report("E0106", "an SLA has one owner; a goal may have several", file, second.range);

  let population: A.LeadBlock | undefined;
  if (!sla.leads) {
    ctx.report("E0103", `${name} needs 'leads DEFINITION': which leads it is about`, file, sla.id.range);
  } else if (ctx.leadRef(sla.leads, file)) {
    population = ctx.symbols.leads.get(sla.leads.name)?.node;
  }
  if (sla.clock) ctx.timeFieldRef(sla.clock, file, "clock field");
  else if (population && !population.since) {
    ctx.report(
      "E0502",
      `${name}: lead definition '${population.id.name}' has no 'since' time; write 'leads ${population.id.name} from FIELD' to say when its clock starts`,
      file,
      sla.leads!.range,
    );
  }
}

export function slaCalendar(sla: A.SlaBlock, file: string, ctx: CheckContext): void {
  if (sla.calendar) ctx.calendarRef(sla.calendar, file);
}

export function slaExpectation(sla: A.SlaBlock, file: string, ctx: CheckContext): void {
  const expect = sla.expect;
  if (!expect) {
    ctx.report("E0103", `${nameOf(sla)} needs 'expect …': what counts as meeting it`, file, sla.id.range);
    return;
  }
  const wholeNumber = (n: A.NumberLit, what: string) => {
    if (!Number.isInteger(n.value)) ctx.report("E0403", `${what} must be a whole number; found ${n.text}`, file, n.range);
  };
  switch (expect.kind) {
    case "CountExpectation":
      wholeNumber(expect.value, "a count");
      return;
    case "RateExpectation":
      ctx.leadRef(expect.definition, file);
      ctx.percent(expect.value, file, "rate");
      return;
    case "FirstTouchExpectation":
      duration(expect.within, sla, file, ctx);
      return;
    case "TouchesExpectation":
      duration(expect.within, sla, file, ctx);
      wholeNumber(expect.value, "a number of touches");
      return;
    default:
      assertNever(expect);
  }
}

function duration(d: A.Duration, sla: A.SlaBlock, file: string, ctx: CheckContext): void {
  if (d.amount.value <= 0) ctx.report("E0403", "a duration must be longer than 0", file, d.amount.range);
  if (d.calendar) ctx.calendarRef(d.calendar, file);
  if (!d.business) return;
  if (d.unit === "weeks") {
    ctx.report("E0106", "business durations are in minutes, hours or days; write e.g. '5 business days'", file, d.unitRange);
  }
  const calendar = d.calendar ?? sla.calendar ?? sla.calendarBy?.fallback ?? ctx.symbols.agreement?.node.calendar;
  if (!calendar) {
    ctx.report(
      "E0604",
      `'business ${d.unit}' need a calendar: add 'calendar ID' to the agreement or the SLA, or write '… ${d.unit} on ID'`,
      file,
      d.range,
    );
  } else {
    if (!d.calendar && !sla.calendar && !sla.calendarBy) ctx.usedCalendars.add(calendar.name);
    // Per lead (`calendar by`): every calendar it may pick must reach the deadline.
    const picked = !d.calendar && sla.calendarBy ? calendarsOf(sla.calendarBy) : [calendar];
    for (const c of picked) reachable(d, c, file, ctx);
  }
}

/** A business duration the calendar's open time covers within MAX_BUSINESS_WEEKS (else no deadline is ever found). */
function reachable(d: A.Duration, calendar: A.Ident, file: string, ctx: CheckContext): void {
  const node = ctx.symbols.calendars.get(calendar.name)?.node;
  if (!node) return;
  const week = openWeek(node);
  if (week.minutes === 0) return;
  const minutes = d.unit === "minutes" ? d.amount.value : d.unit === "hours" ? d.amount.value * 60 : undefined;
  const weeks = minutes === undefined ? d.amount.value / week.days : minutes / week.minutes;
  if (weeks <= MAX_BUSINESS_WEEKS) return;
  ctx.report(
    "E0606",
    `${d.amount.text} business ${d.unit} on '${calendar.name}' is about ${Math.round(weeks / 52)} years of its open time; a business duration can be at most ${MAX_BUSINESS_WEEKS / 52} years of it`,
    file,
    d.range,
  );
}

export function slaTouches(sla: A.SlaBlock, file: string, ctx: CheckContext): void {
  if (!sla.touches) return;
  if (leadLevel(sla) === false) {
    ctx.report("E0106", `'touches' applies to first-touch and touch-count SLAs, not to ${nameOf(sla)}`, file, sla.touches.range);
  }
  const activityFields = activityFieldTypes(ctx.symbols);
  const scope: Scope = {
    describe: "activity field",
    unknownCode: "E0206",
    lookup: (n) => activityFields.get(n),
    suggest: (n) => didYouMean(n, activityFields.keys()),
    leadFields: ctx.leadFieldScope(),
  };
  new ExpressionChecker(scope, file, ctx.diagnostics).condition(sla.touches);
}

export function slaTarget(sla: A.SlaBlock, file: string, ctx: CheckContext): void {
  if (!sla.target) return;
  ctx.percent(sla.target, file, "target");
  if (leadLevel(sla) === false) {
    ctx.report(
      "E0106",
      `'target' applies to lead-by-lead SLAs (first touch, touches within); ${nameOf(sla)} states its threshold in 'expect'`,
      file,
      sla.target.range,
    );
  }
}

export function slaMinimum(sla: A.SlaBlock, file: string, ctx: CheckContext): void {
  const n = sla.minimum;
  if (!n) return;
  if (!Number.isInteger(n.value) || n.value < 1) ctx.report("E0403", `the minimum is a whole number of leads from 1; found ${n.text}`, file, n.range);
  if (sla.expect?.kind === "CountExpectation") {
    ctx.report("E0106", `'minimum' applies to lead-by-lead and rate SLAs; a count has no minimum (zero leads is a result)`, file, n.range);
  }
}

/** The fields results are grouped by (`per` and `severity` are words the lowering checks). */
export function slaGrouping(sla: A.SlaBlock, file: string, ctx: CheckContext): void {
  for (const field of sla.by) ctx.fieldRef(field, file);
}

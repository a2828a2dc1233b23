import type * as A from "../../lang/ast.js";
import { assertNever } from "../../lang/never.js";
import { isLeadLevel as isLeadLevelKind, slaKindOf } from "../../lang/sla-kind.js";
import { conditionWords, fieldWords, type Lookup } from "./conditions.js";
import { waiverSentence } from "./waiver.js";
import { cat, clock, day, handle, id, list, money, number, percent, spoken, value, weekday, zoneWords, type Part, type Phrase } from "./phrase.js";

function zonePhrase(zone: string): Phrase {
  return cat(zoneWords(zone), zoneWords(zone) === zone ? "" : ` (${zone})`);
}

export function agreementSentence(a: A.AgreementBlock): Phrase {
  const parts: Part[] = [value(a.title.value)];
  if (a.version) parts.push(`, version ${number(a.version.value)}`);
  parts.push(a.effective ? `, is in force from ${day(a.effective.value)}.` : ", gives no effective date, so it applies to every snapshot.");
  parts.push(a.timezone ? cat(" Days, weeks, months, quarters and years are counted in ", zonePhrase(a.timezone.value), ".") : " It names no time zone.");
  if (a.calendar) parts.push(cat(" Business hours are those of the ", id(a.calendar.name), " calendar unless an SLA names another."));
  return cat(...parts);
}

export function teamName(team: A.TeamBlock | undefined, name: string): Phrase {
  return team?.title ? cat(team.title.value) : id(name);
}

export function teamSentence(t: A.TeamBlock): Phrase {
  const who = t.approvers.map((h) => cat(handle(h.value), h.value.includes("/") ? " (a GitHub team)" : ""));
  const signers = who.length === 0 ? "no one is named to sign for it, so no change can be signed on its behalf" : cat("a change needs the approval of ", list(who, "or"));
  return cat(teamName(t, t.id.name), t.title ? cat(" (", id(t.id.name), ")") : "", " is a party to the agreement: ", signers, ".");
}

function hoursPhrase(h: A.HoursClause): Phrase {
  const days = h.days.map((d) => cat(weekday(d.from.name), d.to ? ` to ${weekday(d.to.name)}` : ""));
  const intervals = h.intervals.map((i) => cat(`${clock(i.start.text)}–${clock(i.end.text)}`));
  return cat(list(days), " ", list(intervals));
}

/** "open Monday to Thursday 9:00–17:00 and Friday 9:00–15:00, New York time; closed on 26 Nov 2026". */
export function calendarWords(c: A.CalendarBlock, lookup: Lookup): Phrase {
  const zone = c.timezone?.value ?? lookup.agreement?.timezone?.value;
  // "9:00–12:30 and 13:30–17:30 and Friday …" would blur which hours belong to which days.
  const hours = c.hours.map(hoursPhrase);
  const joined = c.hours.some((h) => h.intervals.length > 1) ? cat(...hours.flatMap((h, i) => (i === 0 ? [h] : ["; ", h]))) : list(hours);
  const open = c.hours.length === 0 ? cat("never open (it lists no hours)") : cat("open ", joined);
  const where = zone ? cat(", ", zonePhrase(zone)) : "";
  const closed = c.holidays.length > 0 ? cat("; closed on ", list(c.holidays.map((d) => cat(day(d.value))))) : "";
  return cat(open, where, closed);
}

export function calendarSentence(c: A.CalendarBlock, lookup: Lookup): Phrase {
  return cat("The ", id(c.id.name), " calendar is ", calendarWords(c, lookup), ".");
}

const TYPE_WORDS: Record<A.FieldTypeName, string> = {
  text: "a text",
  number: "a number",
  boolean: "yes or no",
  time: "a point in time",
  date: "a date",
  money: "an amount of money",
};

/** How a column is written, after "read from …". */
function formatWords(format: A.FieldFormat, type: A.FieldTypeName): Part {
  switch (format.kind) {
    case "Pattern":
      return type === "number" || type === "money"
        ? cat(", written like ", value(format.pattern.value), " (currency signs ignored)")
        : cat(", written like ", value(format.pattern.value));
    case "Epoch":
      return format.unit === "ms" ? ", written as milliseconds since 1970" : ", written as seconds since 1970";
    default:
      return assertNever(format);
  }
}

export function fieldSentence(f: A.FieldDecl): Phrase {
  const parts: Part[] = [id(f.name.name), ": ", TYPE_WORDS[f.type]];
  if (f.type === "money" && f.currency) parts.push(` in ${f.currency.name}`);
  if (f.oneOf) parts.push(", one of ", list(f.oneOf.map((s) => value(s.value)), "or"));
  parts.push(f.column ? cat(", read from the column ", value(f.column.value)) : "");
  if (f.format) parts.push(formatWords(f.format, f.type));
  if (f.pii) parts.push("; personal data, masked in every report");
  parts.push(".");
  return cat(...parts);
}

export function leadSentence(l: A.LeadBlock, lookup: Lookup): Phrase {
  const named = cat(id(l.id.name), l.title ? cat(" (", l.title.value, ")") : "");
  const when = l.when ? cat(" when ", conditionWords(l.when, lookup, "lead")) : " whatever its values (no condition is given)";
  const since = l.since ? cat(". It enters this stage at its ", fieldWords(l.since.name, lookup), ".") : ".";
  return cat("A lead counts as ", named, when, since);
}

/** "at least 75", "fewer than 3": a count compared with a number. */
function amountWords(op: A.CompareOp, n: string): string {
  switch (op) {
    case ">=":
      return `at least ${n}`;
    case ">":
      return `more than ${n}`;
    case "<=":
      return `at most ${n}`;
    case "<":
      return `fewer than ${n}`;
    case "=":
      return `exactly ${n}`;
    case "!=":
      return `any number but ${n}`;
    default:
      return assertNever(op);
  }
}

const UNIT_ONE: Record<A.DurationUnit, string> = { minutes: "minute", hours: "hour", days: "day", weeks: "week" };

function durationWords(d: A.Duration): string {
  const n = d.amount.value;
  return `${number(n)} ${d.business ? "business " : ""}${n === 1 ? UNIT_ONE[d.unit] : d.unit}`;
}

/** For a business duration: which hours count, said after the commitment so the sentence stays short. */
function businessHours(sla: A.SlaBlock, lookup: Lookup): Phrase {
  const e = sla.expect;
  if (!e || (e.kind !== "FirstTouchExpectation" && e.kind !== "TouchesExpectation") || !e.within.business) return [];
  if (!e.within.calendar && sla.calendarBy) return calendarByWords(sla.calendarBy, lookup);
  const calendarId = e.within.calendar?.name ?? sla.calendar?.name ?? lookup.agreement?.calendar?.name;
  if (!calendarId) return cat(" No calendar says which hours are business hours.");
  const calendar = lookup.calendar(calendarId);
  return cat(" Business hours are those of the ", id(calendarId), " calendar", calendar ? cat(": ", calendarWords(calendar, lookup)) : "", ".");
}

/** `calendar by region {…} default ny`: "Business hours are each lead's office's: the london calendar when its Region is "EMEA", …; otherwise ny." */
function calendarByWords(c: A.CalendarByClause, lookup: Lookup): Phrase {
  const field = fieldWords(c.field.name, lookup);
  const cases = c.cases.map((k) => cat("the ", id(k.calendar.name), " calendar when its ", field, " is ", value(k.value.value)));
  const fallback = c.fallback ? cat("; otherwise the ", id(c.fallback.name), " calendar") : "";
  return cat(" Business hours depend on the lead: ", cases.length > 0 ? list(cases, "or", "; ") : "", fallback, ".");
}

/** `quotas {…}`: each group's own revenue, and that the goal's amount is for the rest. */
function quotaWords(g: A.GoalBlock, lookup: Lookup): Phrase {
  if (!g.quotas || g.quotas.entries.length === 0) return [];
  const per = periodName(g.revenue?.per) ?? "period";
  const entries = g.quotas.entries.map((e) => cat(value(e.group.value), ` ${money(e.amount.amount, e.amount.currency)}`));
  const by = list(g.by.map((b) => cat(fieldWords(b.name, lookup))));
  return cat(` Some have their own revenue goal each ${per}: `, list(entries), "; every other ", by, " has the amount above.");
}

const PERIOD_WORDS: Record<A.Period, string> = { day: "day", week: "week", month: "month", quarter: "quarter", year: "year" };

function periodName(per: A.Ident | undefined): string | undefined {
  return per ? ((PERIOD_WORDS as Record<string, string>)[per.name] ?? per.name) : undefined;
}

function byWords(by: readonly A.Ident[], lookup: Lookup): Phrase {
  return by.length === 0 ? [] : cat(", for each ", list(by.map((b) => cat(fieldWords(b.name, lookup)))), " separately");
}

const SEVERITY_WORDS: Record<A.Severity, string> = {
  hard: "A hard commitment: missing it fails the compliance check.",
  soft: "A soft commitment: missing it is reported, and fails the compliance check only when it is run with --fail-on soft.",
  advisory: "Advisory: it is shown in reports and never fails the compliance check.",
};

function severityWords(s: A.Ident | undefined): Phrase {
  if (!s) return cat(SEVERITY_WORDS.hard);
  return cat((SEVERITY_WORDS as Record<string, string>)[s.name] ?? `Severity “${s.name}”.`);
}

function touchFilter(sla: A.SlaBlock, lookup: Lookup): Phrase {
  return sla.touches ? cat(" (an activity whose ", touchCondition(sla.touches, lookup), ")") : [];
}

/** The filter reads "its type is …" on an activity; after "an activity whose" the "its" goes. */
function touchCondition(touches: A.Expr, lookup: Lookup): Phrase {
  const phrase = conditionWords(touches, lookup, "activity");
  const first = phrase[0];
  if (first?.kind === "words" && first.text.startsWith("its ")) return [{ kind: "words", text: first.text.slice(4) }, ...phrase.slice(1)];
  return cat("values meet this: ", phrase);
}

function clockOf(sla: A.SlaBlock, lookup: Lookup): string | undefined {
  const name = sla.clock?.name ?? (sla.leads ? lookup.lead(sla.leads.name)?.since?.name : undefined);
  return name === undefined ? undefined : fieldWords(name, lookup);
}

function expectationWords(sla: A.SlaBlock, lookup: Lookup): Phrase {
  const e = sla.expect;
  const population = sla.leads ? cat(id(sla.leads.name), " leads") : cat("leads (no population is named)");
  const each = sla.leads ? cat(" on each ", id(sla.leads.name), " lead") : " on each lead (no population is named)";
  const clockName = clockOf(sla, lookup);
  const start = clockName ? `its ${clockName}` : "its start (no clock field is named)";
  if (!e) return cat(" has a commitment on ", population, " but states no expectation");
  switch (e.kind) {
    case "CountExpectation":
      return cat(" delivers ", amountWords(e.op, number(e.value.value)), " ", population);
    case "RateExpectation":
      return cat(" makes sure that ", amountWords(e.op, percent(e.value.value)), " of ", population, " are also ", id(e.definition.name));
    case "FirstTouchExpectation":
      return cat(" makes a first touch", touchFilter(sla, lookup), each, ` within ${durationWords(e.within)} of ${start}`);
    case "TouchesExpectation":
      return cat(" makes ", amountWords(e.op, number(e.value.value)), " touches", touchFilter(sla, lookup), each, ` within ${durationWords(e.within)} of ${start}`);
    default:
      return assertNever(e);
  }
}

function isLeadLevel(e: A.Expectation | undefined): boolean {
  return e !== undefined && isLeadLevelKind(slaKindOf(e));
}

export function slaSentence(sla: A.SlaBlock, lookup: Lookup): Phrase {
  const owner = sla.owner ? teamName(lookup.team(sla.owner.name), sla.owner.name) : cat("No one (the SLA names no owner)");
  const target = sla.target ? percent(sla.target.value) : "100%";
  const leadLevel = isLeadLevel(sla.expect);
  const share = leadLevel ? cat(", for ", sla.target && sla.target.value < 100 ? `at least ${target} of those leads` : "every one of those leads") : sla.target ? `, with a target of ${target}` : "";
  const per = periodName(sla.per);
  const clockName = clockOf(sla, lookup);
  const placed = per && !leadLevel && clockName ? ` (a lead counts in the ${per} of its ${clockName})` : "";
  const when = per ? `, each ${per}${placed}` : leadLevel ? "" : ", over the whole snapshot";
  return cat(owner, expectationWords(sla, lookup), share, when, byWords(sla.by, lookup), ".", businessHours(sla, lookup), " ", severityWords(sla.severity));
}

/** Division that tolerates float noise, as the engine's goal arithmetic does: 240 / 0.4 is 600. */
function neededFor(amount: number, per: number): number {
  return Math.ceil(amount / per - 1e-9);
}

/** The goal worked backwards, stage by stage from the last, with each step's arithmetic. */
function workedBack(g: A.GoalBlock): Phrase {
  const stages = g.funnel;
  const last = stages[stages.length - 1];
  if (!last || !g.revenue) return [];
  const steps: Phrase[] = [];
  let needed: number | undefined;
  const revenue = g.revenue.amount;
  if (g.averageDeal && g.averageDeal.amount > 0) {
    needed = neededFor(revenue.amount, g.averageDeal.amount);
    steps.push(cat(`At an average deal of ${money(g.averageDeal.amount, g.averageDeal.currency)} that is ${number(needed)} `, id(last.definition.name), ` leads (${number(revenue.amount)} ÷ ${number(g.averageDeal.amount)})`));
  } else {
    steps.push(cat("The average deal is measured from closed periods in the snapshot, and so is the number of ", id(last.definition.name), " leads it takes"));
  }
  for (let i = stages.length - 1; i > 0; i--) {
    const to = stages[i]!;
    const from = stages[i - 1]!;
    const conversion = cat(" of ", id(from.definition.name), " leads becoming ", id(to.definition.name));
    if (!to.rate || to.rate.value <= 0) {
      needed = undefined;
      steps.push(cat("the share", conversion, " is measured from the snapshot"));
    } else if (needed !== undefined) {
      const before = needed;
      needed = neededFor(needed, to.rate.value / 100);
      steps.push(cat(`at ${percent(to.rate.value)}`, conversion, `, ${number(needed)} `, id(from.definition.name), ` leads (${number(before)} ÷ ${percent(to.rate.value)})`));
    } else {
      steps.push(cat(`at ${percent(to.rate.value)}`, conversion, `, ${number(100 / to.rate.value)} `, id(from.definition.name), " leads for each ", id(to.definition.name), " one"));
    }
  }
  return cat(" ", ...steps.flatMap((p, i) => (i === 0 ? [p] : ["; ", p])), ".");
}

export function goalSentence(g: A.GoalBlock, lookup: Lookup): Phrase {
  const owners = g.owners.length > 0 ? list(g.owners.map((o) => teamName(lookup.team(o.name), o.name))) : cat("No one (the goal names no owner)");
  const last = g.funnel[g.funnel.length - 1];
  const revenue = g.revenue
    ? cat(
        ` ${g.owners.length === 1 ? "aims" : "aim"} for ${money(g.revenue.amount.amount, g.revenue.amount.currency)} of revenue each ${periodName(g.revenue.per) ?? "period"}`,
        byWords(g.by, lookup),
        ", the ",
        fieldWords(g.revenue.from.name, lookup),
        " summed over ",
        last ? cat(id(last.definition.name), " leads") : "the last stage",
        ".",
      )
    : cat(" share a goal that states no revenue.");
  const funnel = g.funnel.length > 0 ? cat(" The funnel runs ", funnelWords(g.funnel), ".") : " It lists no funnel.";
  return cat(owners, revenue, quotaWords(g, lookup), funnel, workedBack(g), g.by.length > 0 ? cat(" Every figure is worked out for each ", list(g.by.map((b) => cat(fieldWords(b.name, lookup)))), " on its own.") : "");
}

function funnelWords(stages: readonly A.FunnelStage[]): Phrase {
  const parts: Part[] = [];
  stages.forEach((s, i) => {
    if (i > 0) parts.push(" → ");
    parts.push(id(s.definition.name));
  });
  return cat(...parts);
}

/** The sentence of one block. Fields blocks have one sentence per field: see fieldSentence. */
export function blockSentence(block: Exclude<A.Block, A.FieldsBlock | A.ActivityFieldsBlock>, lookup: Lookup): Phrase {
  switch (block.kind) {
    case "Agreement":
      return agreementSentence(block);
    case "Team":
      return teamSentence(block);
    case "Calendar":
      return calendarSentence(block, lookup);
    case "Lead":
      return leadSentence(block, lookup);
    case "Sla":
      return slaSentence(block, lookup);
    case "Goal":
      return goalSentence(block, lookup);
    case "Waiver":
      return waiverSentence(block, lookup);
    default:
      return assertNever(block);
  }
}

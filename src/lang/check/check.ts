import type * as A from "../ast.js";
import { diagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import { START_OF_FILE, type Range } from "../range.js";
import { didYouMean, Suggestions } from "../suggest.js";
import { ACTIVITY_FIELDS } from "../activity-fields.js";
import { checkCalendar, checkZone, MAX_BUSINESS_WEEKS, openWeek } from "./calendars.js";
import { ExpressionChecker, fieldType, refsIn, type Scope, type ValueType } from "./expressions.js";
import { calendarsOf, checkCalendarBy, checkQuotas, type RuleContext } from "./lead-rules.js";
import { collectSymbols, type Located, type SymbolTable } from "./symbols.js";
import { assertNever } from "../never.js";
import { isLeadLevel, slaKindOf } from "../sla-kind.js";
import { PERIODS, SEVERITIES } from "../vocabulary.js";


/** Activity columns a `touches` filter may use (SPEC §3). */
export { ACTIVITY_FIELDS };

export interface CheckResult {
  symbols: SymbolTable;
  diagnostics: Diagnostic[];
}

/** Checks a whole policy set; collects every problem instead of stopping at the first. */
export function checkPolicySet(files: readonly A.PolicyFile[]): CheckResult {
  const diagnostics: Diagnostic[] = [];
  const symbols = collectSymbols(files, diagnostics);
  new Checker(symbols, diagnostics, files[0]?.path ?? "policies").run();
  return { symbols, diagnostics };
}

class Checker {
  private readonly usedFields = new Set<string>();
  private readonly usedLeads = new Set<string>();
  private readonly usedCalendars = new Set<string>();
  /** One candidate index per kind of name, built on first use: the symbol table is complete by then. */
  private readonly indexes = new Map<string, Suggestions>();

  constructor(
    private readonly symbols: SymbolTable,
    private readonly diagnostics: Diagnostic[],
    private readonly firstFile: string,
  ) {}

  private report(code: DiagnosticCode, message: string, file: string, range: Range): void {
    this.diagnostics.push(diagnostic(code, message, file, range));
  }

  run(): void {
    this.agreement();
    const hasDefaultZone = this.symbols.agreement?.node.timezone !== undefined;
    for (const field of this.symbols.fields.values()) this.field(field);
    for (const { node, file } of this.symbols.all) {
      if (node.kind === "Team") this.team({ node, file });
      else if (node.kind === "Calendar") checkCalendar(node, file, this.diagnostics, hasDefaultZone);
      else if (node.kind === "Lead") this.lead({ node, file });
    }
    this.cycles();
    for (const { node, file } of this.symbols.all) {
      if (node.kind === "Sla") this.sla({ node, file });
      else if (node.kind === "Goal") this.goal({ node, file });
    }
    this.unused();
  }

  private agreement(): void {
    const loc = this.symbols.agreement;
    if (!loc) {
      this.report(
        "E0104",
        'no agreement block found; add one: agreement "Our SLA" { version 1  effective 2026-01-01  timezone "America/New_York" }',
        this.firstFile,
        START_OF_FILE,
      );
      return;
    }
    const a = loc.node;
    if (a.timezone) checkZone(a.timezone, loc.file, this.diagnostics);
    else this.report("E0103", "the agreement needs a timezone: periods and calendars are read in it", loc.file, a.title.range);
    if (a.version && (!Number.isInteger(a.version.value) || a.version.value < 1)) {
      this.report("E0403", "the version is a whole number from 1", loc.file, a.version.range);
    }
    if (a.calendar) this.calendarRef(a.calendar, loc.file);
  }

  private team(loc: Located<A.TeamBlock>): void {
    if (loc.node.approvers.length === 0) {
      this.report(
        "E0103",
        `team '${loc.node.id.name}' has no approvers; add 'approvers @user, @org/team' so its side can sign changes`,
        loc.file,
        loc.node.id.range,
      );
    }
  }

  private field(loc: Located<A.FieldDecl>): void {
    const f = loc.node;
    if (f.currency && !/^[A-Z]{3}$/.test(f.currency.name)) {
      this.report("E0105", `'${f.currency.name}' is not a currency code; use three capital letters such as USD or EUR`, loc.file, f.currency.range);
    }
  }

  private suggest(kind: "calendar" | "team" | "lead" | "field" | "condition", word: string): string {
    let index = this.indexes.get(kind);
    if (!index) {
      const { calendars, teams, leads, fields } = this.symbols;
      const names = { calendar: calendars, team: teams, lead: leads, field: fields, condition: undefined }[kind];
      index = new Suggestions(names ? names.keys() : [...fields.keys(), ...leads.keys()]);
      this.indexes.set(kind, index);
    }
    return index.didYouMean(word);
  }

  private calendarRef(id: A.Ident, file: string): void {
    if (this.symbols.calendars.has(id.name)) {
      this.usedCalendars.add(id.name);
      return;
    }
    this.report("E0204", `unknown calendar '${id.name}'${this.suggest("calendar", id.name)}`, file, id.range);
  }

  private teamRef(id: A.Ident, file: string): void {
    if (this.symbols.teams.has(id.name)) return;
    this.report("E0202", `unknown team '${id.name}'${this.suggest("team", id.name)}`, file, id.range);
  }

  private leadRef(id: A.Ident, file: string): boolean {
    if (this.symbols.leads.has(id.name)) {
      this.usedLeads.add(id.name);
      return true;
    }
    this.report("E0203", `unknown lead definition '${id.name}'${this.suggest("lead", id.name)}`, file, id.range);
    return false;
  }

  private fieldRef(id: A.Ident, file: string): A.FieldDecl | undefined {
    const field = this.symbols.fields.get(id.name);
    if (field) {
      this.usedFields.add(id.name);
      return field.node;
    }
    this.report("E0201", `unknown field '${id.name}'${this.suggest("field", id.name)}`, file, id.range);
    return undefined;
  }

  /** A clock or `since` field must hold a time or a date. */
  private timeFieldRef(id: A.Ident, file: string, role: string): void {
    const field = this.fieldRef(id, file);
    if (field && field.type !== "time" && field.type !== "date") {
      this.report("E0306", `${role} '${id.name}' must be a time or date field; it is ${field.type}`, file, id.range);
    }
  }

  private enumWord<T extends string>(id: A.Ident, allowed: readonly T[], what: string, file: string): T | undefined {
    if ((allowed as readonly string[]).includes(id.name)) return id.name as T;
    this.report("E0105", `unknown ${what} '${id.name}'${didYouMean(id.name, allowed)}: use ${allowed.join(", ")}`, file, id.range);
    return undefined;
  }

  private percent(p: A.PercentLit, file: string, what: string): void {
    if (p.value < 0 || p.value > 100) {
      this.report("E0401", `${what} ${p.text}% is outside 0–100%`, file, p.range);
    }
  }

  private leadScope(): Scope {
    return {
      describe: "field or lead definition",
      unknownCode: "E0205",
      lookup: (name) => {
        const field = this.symbols.fields.get(name);
        if (field) return fieldType(field.node);
        return this.symbols.leads.has(name) ? { kind: "definition" } : undefined;
      },
      suggest: (name) => this.suggest("condition", name),
      onUse: (name) => {
        if (this.symbols.fields.has(name)) this.usedFields.add(name);
        else this.usedLeads.add(name);
      },
      leadFields: null,
    };
  }

  /** `lead.NAME` in a touches filter: the lead's own fields (not its definitions). */
  private leadFieldScope(): Scope {
    return {
      describe: "lead field",
      unknownCode: "E0201",
      lookup: (name) => {
        const field = this.symbols.fields.get(name);
        return field ? fieldType(field.node) : undefined;
      },
      suggest: (name) => this.suggest("field", name),
      onUse: (name) => this.usedFields.add(name),
      leadFields: null,
    };
  }

  private lead(loc: Located<A.LeadBlock>): void {
    const lead = loc.node;
    if (!lead.when) {
      this.report("E0103", `lead definition '${lead.id.name}' needs a 'when' condition`, loc.file, lead.id.range);
    } else {
      new ExpressionChecker(this.leadScope(), loc.file, this.diagnostics).condition(lead.when);
    }
    if (lead.since) this.timeFieldRef(lead.since, loc.file, "'since'");
  }

  /**
   * Reports each cycle once, at the reference that closes it. A depth-first walk on an explicit
   * stack, not recursion: a chain of thousands of definitions must not overflow the call stack.
   */
  private cycles(): void {
    const state = new Map<string, "visiting" | "done">();
    const stack: { name: string; refs: A.RefExpr[]; next: number }[] = [];
    const enter = (name: string): void => {
      state.set(name, "visiting");
      stack.push({ name, refs: refsIn(this.symbols.leads.get(name)?.node.when), next: 0 });
    };
    for (const root of this.symbols.leads.keys()) {
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
        if (!this.symbols.leads.has(target)) continue;
        if (state.get(target) === "visiting") this.reportCycle(stack.map((f) => f.name), target, ref);
        else if (!state.has(target)) enter(target);
      }
    }
  }

  /** `names` is the walk's current path, ending at the definition whose reference `ref` closes the cycle. */
  private reportCycle(names: string[], target: string, ref: A.RefExpr): void {
    const name = names[names.length - 1]!;
    const chain = [...names.slice(names.indexOf(target)), target];
    // A cycle through thousands of definitions is named by its ends.
    if (chain.length > 9) chain.splice(4, chain.length - 8, `… ${chain.length - 8} more …`);
    this.report(
      "E0501",
      `lead definition '${name}' refers to itself through ${chain.join(" → ")}; a definition cannot depend on itself`,
      this.symbols.leads.get(name)!.file,
      ref.range,
    );
  }

  private sla(loc: Located<A.SlaBlock>): void {
    const sla = loc.node;
    const file = loc.file;
    const name = `SLA '${sla.id.name}'`;
    if (sla.owner) this.teamRef(sla.owner, file);
    else this.report("E0103", `${name} needs an 'owner': the team that owes it`, file, sla.id.range);

    let population: A.LeadBlock | undefined;
    if (!sla.leads) {
      this.report("E0103", `${name} needs 'leads DEFINITION': which leads it is about`, file, sla.id.range);
    } else if (this.leadRef(sla.leads, file)) {
      population = this.symbols.leads.get(sla.leads.name)?.node;
    }
    if (sla.clock) this.timeFieldRef(sla.clock, file, "clock field");
    else if (population && !population.since) {
      this.report(
        "E0502",
        `${name}: lead definition '${population.id.name}' has no 'since' time; write 'leads ${population.id.name} from FIELD' to say when its clock starts`,
        file,
        sla.leads!.range,
      );
    }
    if (sla.calendar) this.calendarRef(sla.calendar, file);
    if (sla.calendarBy) checkCalendarBy(sla.calendarBy, this.ruleContext(file));

    const expect = sla.expect;
    if (!expect) {
      this.report("E0103", `${name} needs 'expect …': what counts as meeting it`, file, sla.id.range);
    }
    const leadLevel = expect !== undefined && isLeadLevel(slaKindOf(expect));
    if (expect) this.expectation(expect, sla, file);
    if (sla.touches) {
      if (expect && !leadLevel) {
        this.report("E0106", `'touches' applies to first-touch and touch-count SLAs, not to ${name}`, file, sla.touches.range);
      }
      const scope: Scope = {
        describe: "activity field",
        unknownCode: "E0206",
        lookup: (n) => ACTIVITY_FIELDS.get(n),
        suggest: (n) => didYouMean(n, ACTIVITY_FIELDS.keys()),
        leadFields: this.leadFieldScope(),
      };
      new ExpressionChecker(scope, file, this.diagnostics).condition(sla.touches);
    }
    if (sla.target) {
      this.percent(sla.target, file, "target");
      if (expect && !leadLevel) {
        this.report(
          "E0106",
          `'target' applies to lead-by-lead SLAs (first touch, touches within); ${name} states its threshold in 'expect'`,
          file,
          sla.target.range,
        );
      }
    }
    if (sla.minimum) {
      const n = sla.minimum;
      if (!Number.isInteger(n.value) || n.value < 1) this.report("E0403", `the minimum is a whole number of leads from 1; found ${n.text}`, file, n.range);
      if (expect?.kind === "CountExpectation") {
        this.report("E0106", `'minimum' applies to lead-by-lead and rate SLAs; a count has no minimum (zero leads is a result)`, file, n.range);
      }
    }
    if (sla.per) this.enumWord(sla.per, PERIODS, "period", file);
    for (const field of sla.by) this.fieldRef(field, file);
    if (sla.severity) this.enumWord(sla.severity, SEVERITIES, "severity", file);
  }

  private expectation(expect: A.Expectation, sla: A.SlaBlock, file: string): void {
    const wholeNumber = (n: A.NumberLit, what: string) => {
      if (!Number.isInteger(n.value)) this.report("E0403", `${what} must be a whole number; found ${n.text}`, file, n.range);
    };
    switch (expect.kind) {
      case "CountExpectation":
        wholeNumber(expect.value, "a count");
        return;
      case "RateExpectation":
        this.leadRef(expect.definition, file);
        this.percent(expect.value, file, "rate");
        return;
      case "FirstTouchExpectation":
        this.duration(expect.within, sla, file);
        return;
      case "TouchesExpectation":
        this.duration(expect.within, sla, file);
        wholeNumber(expect.value, "a number of touches");
        return;
      default:
        assertNever(expect);
    }
  }

  private duration(d: A.Duration, sla: A.SlaBlock, file: string): void {
    if (d.amount.value <= 0) this.report("E0403", "a duration must be longer than 0", file, d.amount.range);
    if (d.calendar) this.calendarRef(d.calendar, file);
    if (!d.business) return;
    if (d.unit === "weeks") {
      this.report("E0105", "business durations are in minutes, hours or days; write e.g. '5 business days'", file, d.unitRange);
    }
    const calendar = d.calendar ?? sla.calendar ?? sla.calendarBy?.fallback ?? this.symbols.agreement?.node.calendar;
    if (!calendar) {
      this.report(
        "E0604",
        `'business ${d.unit}' need a calendar: add 'calendar ID' to the agreement or the SLA, or write '… ${d.unit} on ID'`,
        file,
        d.range,
      );
    } else {
      if (!d.calendar && !sla.calendar && !sla.calendarBy) this.usedCalendars.add(calendar.name);
      // Per lead (`calendar by`): every calendar it may pick must reach the deadline.
      const picked = !d.calendar && sla.calendarBy ? calendarsOf(sla.calendarBy) : [calendar];
      for (const c of picked) this.reachable(d, c, file);
    }
  }

  /** A business duration the calendar's open time covers within MAX_BUSINESS_WEEKS (else no deadline is ever found). */
  private reachable(d: A.Duration, calendar: A.Ident, file: string): void {
    const node = this.symbols.calendars.get(calendar.name)?.node;
    if (!node) return;
    const week = openWeek(node);
    if (week.minutes === 0) return;
    const minutes = d.unit === "minutes" ? d.amount.value : d.unit === "hours" ? d.amount.value * 60 : undefined;
    const weeks = minutes === undefined ? d.amount.value / week.days : minutes / week.minutes;
    if (weeks <= MAX_BUSINESS_WEEKS) return;
    this.report(
      "E0606",
      `${d.amount.text} business ${d.unit} on '${calendar.name}' is about ${Math.round(weeks / 52)} years of its open time; a business duration can be at most ${MAX_BUSINESS_WEEKS / 52} years of it`,
      file,
      d.range,
    );
  }

  private goal(loc: Located<A.GoalBlock>): void {
    const goal = loc.node;
    const file = loc.file;
    const name = `goal '${goal.id.name}'`;
    if (goal.owners.length === 0) this.report("E0103", `${name} needs an 'owner'`, file, goal.id.range);
    for (const owner of goal.owners) this.teamRef(owner, file);

    let currency: string | undefined;
    if (!goal.revenue) {
      this.report("E0103", `${name} needs 'revenue AMOUNT per PERIOD from FIELD'`, file, goal.id.range);
    } else {
      const r = goal.revenue;
      currency = r.amount.currency;
      if (r.amount.amount <= 0) this.report("E0403", "the revenue goal must be more than 0", file, r.amount.range);
      this.enumWord(r.per, PERIODS, "period", file);
      const field = this.fieldRef(r.from, file);
      if (field && field.type !== "money") {
        this.report("E0306", `revenue is summed from a money field; '${r.from.name}' is ${field.type}`, file, r.from.range);
      } else if (field?.currency && field.currency.name !== currency) {
        this.report("E0305", `the goal is in ${currency} but '${r.from.name}' holds ${field.currency.name}`, file, r.amount.range);
      }
    }
    if (goal.averageDeal) {
      if (goal.averageDeal.amount <= 0) this.report("E0403", "the average deal must be more than 0", file, goal.averageDeal.range);
      if (currency && goal.averageDeal.currency !== currency) {
        this.report("E0305", `the average deal is in ${goal.averageDeal.currency} but the revenue goal is in ${currency}`, file, goal.averageDeal.range);
      }
    }
    if (goal.funnel.length === 0) {
      this.report("E0103", `${name} needs a 'funnel', e.g. 'funnel mql -> sales_ready 40% -> won 25%'`, file, goal.id.range);
    }
    goal.funnel.forEach((stage, index) => {
      if (this.leadRef(stage.definition, file) && !this.symbols.leads.get(stage.definition.name)?.node.since) {
        this.report(
          "E0502",
          `${name}: lead definition '${stage.definition.name}' has no 'since' time, which places its leads in periods`,
          file,
          stage.definition.range,
        );
      }
      if (!stage.rate) return;
      if (index === 0) {
        this.report("E0106", "the first funnel stage has no stage before it, so it takes no rate", file, stage.rate.range);
      } else if (stage.rate.value === 0) {
        this.report("E0402", `a funnel rate of 0% makes the goal unreachable; leave the rate out to measure it from the data`, file, stage.rate.range);
      } else {
        this.percent(stage.rate, file, "funnel rate");
      }
    });
    for (const field of goal.by) this.fieldRef(field, file);
    if (goal.quotas) checkQuotas(goal, goal.quotas, this.ruleContext(file));
  }

  /** How the lead-rule checks (lead-rules.ts) resolve names: with this checker's codes and usage marks. */
  private ruleContext(file: string): RuleContext {
    return {
      field: (id) => this.fieldRef(id, file),
      declared: (name) => this.symbols.fields.get(name)?.node,
      calendar: (id) => this.calendarRef(id, file),
      report: (code, message, range) => this.report(code, message, file, range),
    };
  }

  private unused(): void {
    for (const [name, loc] of this.symbols.leads) {
      if (!this.usedLeads.has(name)) {
        this.report("W0101", `lead definition '${name}' is not used by any SLA, goal or other definition`, loc.file, loc.node.id.range);
      }
    }
    for (const lead of this.symbols.leads.values()) if (lead.node.since) this.usedFields.add(lead.node.since.name);
    for (const [name, loc] of this.symbols.fields) {
      if (!this.usedFields.has(name)) {
        this.report("W0102", `field '${name}' is not used by any definition, SLA or goal`, loc.file, loc.node.name.range);
      }
    }
    for (const [name, loc] of this.symbols.calendars) {
      if (!this.usedCalendars.has(name)) {
        this.report("W0105", `calendar '${name}' is not used by the agreement or any SLA`, loc.file, loc.node.id.range);
      }
    }
  }
}

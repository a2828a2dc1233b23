import type { CstNode, IToken } from "chevrotain";
import { DateTime } from "luxon";
import type * as A from "./ast.js";
import { diagnostic, type Diagnostic, type DiagnosticCode } from "./diagnostics.js";
import { rangeOfToken, spanning, type Range } from "./range.js";
import { didYouMean } from "./suggest.js";
import { BLOCK_KEYWORDS, CLAUSES, DURATION_UNITS, durationUnit, EPOCH_UNITS, EPOCH_WORD, FIELD_TYPES, GOAL_CLAUSE_RULES, PERIODS, SEVERITIES, SLA_CLAUSE_RULES, WAIVER_CLAUSE_RULES } from "./vocabulary.js";
import { periodSpan } from "./period-literal.js";

type Child = CstNode | IToken;

function isToken(child: Child): child is IToken {
  return (child as IToken).image !== undefined;
}

/** A token chevrotain invented while recovering is not in the source: treat it as missing. */
function realToken(token: IToken | undefined): IToken | undefined {
  if (!token || token.isInsertedInRecovery || Number.isNaN(token.startOffset)) return undefined;
  return token;
}

function tokens(node: CstNode, label: string): IToken[] {
  return ((node.children[label] ?? []) as Child[]).filter(isToken).filter((t) => realToken(t) !== undefined);
}
function token(node: CstNode, label: string): IToken | undefined {
  return tokens(node, label)[0];
}
function nodes(node: CstNode, label: string): CstNode[] {
  return ((node.children[label] ?? []) as Child[]).filter((c): c is CstNode => !isToken(c));
}
function child(node: CstNode, label: string): CstNode | undefined {
  return nodes(node, label)[0];
}

function rangeOfNode(node: CstNode): Range | undefined {
  const loc = node.location;
  if (!loc || Number.isNaN(loc.startOffset) || loc.endOffset === undefined || Number.isNaN(loc.endOffset)) {
    return undefined;
  }
  return {
    start: { line: loc.startLine ?? 1, column: loc.startColumn ?? 1, offset: loc.startOffset },
    end: { line: loc.endLine ?? 1, column: (loc.endColumn ?? 0) + 1, offset: loc.endOffset + 1 },
  };
}


/**
 * Turns chevrotain's concrete syntax tree into our AST. The CST may be partial after error
 * recovery: whatever is missing was already reported by the parser, so a node that lacks a
 * required part is left out rather than reported twice.
 */
export class Lowering {
  readonly diagnostics: Diagnostic[] = [];

  /** Line → offset of the first mistake the parser reported on it. */
  private readonly syntaxErrorAt = new Map<number, number>();

  /** `syntaxErrors`: where the parser already reported a mistake; junk it left behind on that line is not reported again. */
  constructor(
    private readonly file: string,
    syntaxErrors: readonly Range[] = [],
  ) {
    for (const e of syntaxErrors) {
      const seen = this.syntaxErrorAt.get(e.start.line);
      if (seen === undefined || e.start.offset < seen) this.syntaxErrorAt.set(e.start.line, e.start.offset);
    }
  }

  /** Recovery residue: the parser reported a mistake earlier on this line, and this junk is what it skipped after it. */
  private followsSyntaxError(start: Range["start"]): boolean {
    const at = this.syntaxErrorAt.get(start.line);
    return at !== undefined && at <= start.offset;
  }

  private report(code: DiagnosticCode, message: string, range: Range): void {
    this.diagnostics.push(diagnostic(code, message, this.file, range));
  }

  file_(cst: CstNode, comments: A.Comment[], fullRange: Range): A.PolicyFile {
    const blocks: A.Block[] = [];
    for (const [label, children] of Object.entries(cst.children)) {
      for (const c of children as Child[]) {
        if (isToken(c)) continue;
        const block = this.block(label, c);
        if (block) blocks.push(block);
      }
    }
    blocks.sort((a, b) => a.range.start.offset - b.range.start.offset);
    return { kind: "File", path: this.file, blocks, comments, range: fullRange };
  }

  private block(label: string, node: CstNode): A.Block | undefined {
    switch (label) {
      case "agreementBlock":
        return this.agreement(node);
      case "teamBlock":
        return this.team(node);
      case "calendarBlock":
        return this.calendar(node);
      case "fieldsBlock":
        return this.fields(node);
      case "activityFieldsBlock":
        return this.activityFields(node);
      case "leadBlock":
        return this.lead(node);
      case "slaBlock":
        return this.sla(node);
      case "goalBlock":
        return this.goal(node);
      case "waiverBlock":
        return this.waiver(node);
      case "topJunk":
        this.junk(node, undefined);
        return undefined;
      default:
        return undefined;
    }
  }

  private junk(node: CstNode, blockKind: keyof typeof CLAUSES | undefined): void {
    const consumed = tokens(node, "AnyToken");
    const first = consumed[0];
    const last = consumed[consumed.length - 1];
    if (!first || !last) return;
    const range = spanning(rangeOfToken(first), rangeOfToken(last));
    if (this.followsSyntaxError(range.start)) return;
    if (blockKind === undefined) {
      const hint = didYouMean(first.image, BLOCK_KEYWORDS);
      const blocks = BLOCK_KEYWORDS.map((k) => (k === "activity" ? "activity fields" : k));
      this.report(
        "E0002",
        `unexpected '${first.image}'${hint}: a policy file holds only ${blocks.slice(0, -1).join(", ")} and ${blocks[blocks.length - 1]} blocks`,
        range,
      );
      return;
    }
    const allowed: readonly string[] = CLAUSES[blockKind];
    this.report(
      "E0105",
      `unexpected '${first.image}' in ${blockKind} block${didYouMean(first.image, allowed)}: its clauses are ${allowed.join(", ")}`,
      range,
    );
  }

  private blockJunks(node: CstNode, kind: keyof typeof CLAUSES): void {
    for (const j of nodes(node, "blockJunk")) this.junk(j, kind);
  }

  private header(node: CstNode): { id?: A.Ident; title?: A.StringLit; range: Range } | undefined {
    const keyword = token(node, "keyword");
    const range = rangeOfNode(node);
    if (!keyword || !range) return undefined;
    const idToken = token(node, "id");
    const titleToken = token(node, "title");
    return {
      ...(idToken ? { id: this.ident(idToken) } : {}),
      ...(titleToken ? { title: this.string(titleToken) } : {}),
      range,
    };
  }

  /** The first of a single-valued clause wins; each further one is reported. */
  private single<T>(nodesOfClause: CstNode[], keyword: string, lower: (n: CstNode) => T | undefined): T | undefined {
    for (const extra of nodesOfClause.slice(1)) {
      const r = rangeOfNode(extra);
      if (r) this.report("E0102", `'${keyword}' is given more than once; keep one`, r);
    }
    const first = nodesOfClause[0];
    return first ? lower(first) : undefined;
  }

  private clauseMarks<K extends string>(node: CstNode, labels: Readonly<Record<string, K>>): Array<A.ClauseMark<K>> {
    const marks: Array<A.ClauseMark<K>> = [];
    for (const [label, keyword] of Object.entries(labels)) {
      for (const n of nodes(node, label)) {
        const r = rangeOfNode(n);
        if (r) marks.push({ keyword, range: r });
      }
    }
    return marks.sort((a, b) => a.range.start.offset - b.range.start.offset);
  }

  // ---- blocks ---------------------------------------------------------------

  private agreement(node: CstNode): A.AgreementBlock | undefined {
    const h = this.header(node);
    this.blockJunks(node, "agreement");
    if (!h?.title) return undefined;
    return {
      kind: "Agreement",
      title: h.title,
      version: this.single(nodes(node, "versionClause"), "version", (n) => this.valueNumber(n)),
      effective: this.single(nodes(node, "effectiveClause"), "effective", (n) => {
        const t = token(n, "value");
        return t ? this.date(t) : undefined;
      }),
      timezone: this.single(nodes(node, "timezoneClause"), "timezone", (n) => this.valueString(n)),
      calendar: this.single(nodes(node, "calendarRefClause"), "calendar", (n) => this.valueIdent(n)),
      // Parsed wherever `calendar` is, so that the checker can say it is an SLA's (E0106).
      calendarBy: this.calendarBy(nodes(node, "calendarRefClause")[0]),
      range: h.range,
    };
  }

  private team(node: CstNode): A.TeamBlock | undefined {
    const h = this.header(node);
    this.blockJunks(node, "team");
    if (!h?.id) return undefined;
    const approvers = nodes(node, "approversClause").flatMap((c) =>
      tokens(c, "handle").map((t): A.Handle => ({ kind: "Handle", value: t.image.slice(1), range: rangeOfToken(t) })),
    );
    return { kind: "Team", id: h.id, title: h.title, approvers, range: h.range };
  }

  private calendar(node: CstNode): A.CalendarBlock | undefined {
    const h = this.header(node);
    this.blockJunks(node, "calendar");
    if (!h?.id) return undefined;
    const hours = nodes(node, "hoursClause")
      .map((c) => this.hours(c))
      .filter((x) => x !== undefined);
    const holidays = nodes(node, "holidaysClause").flatMap((c) =>
      tokens(c, "date")
        .map((t) => this.date(t))
        .filter((x) => x !== undefined),
    );
    return {
      kind: "Calendar",
      id: h.id,
      timezone: this.single(nodes(node, "timezoneClause"), "timezone", (n) => this.valueString(n)),
      hours,
      holidays,
      range: h.range,
    };
  }

  private hours(node: CstNode): A.HoursClause | undefined {
    const range = rangeOfNode(node);
    if (!range) return undefined;
    const days = nodes(node, "daySpec").flatMap((d): A.DaySpec[] => {
      const from = token(d, "from");
      const to = token(d, "to");
      const r = rangeOfNode(d);
      if (!from || !r) return [];
      return [{ kind: "DaySpec", from: this.ident(from), to: to ? this.ident(to) : undefined, range: r }];
    });
    const intervals = nodes(node, "timeRange").flatMap((t): A.TimeRange[] => {
      const s = token(t, "start");
      const e = token(t, "end");
      const r = rangeOfNode(t);
      const start = s && this.timeOfDay(s);
      const end = e && this.timeOfDay(e);
      return start && end && r ? [{ kind: "TimeRange", start, end, range: r }] : [];
    });
    return { kind: "Hours", days, intervals, range };
  }

  private fields(node: CstNode): A.FieldsBlock | undefined {
    const h = this.header(node);
    if (!h) return undefined;
    const fields = nodes(node, "fieldDecl")
      .map((f) => this.field(f))
      .filter((x) => x !== undefined);
    return { kind: "Fields", fields, range: h.range };
  }

  private activityFields(node: CstNode): A.ActivityFieldsBlock | undefined {
    const range = rangeOfNode(node);
    if (!range) return undefined;
    const fields = nodes(node, "fieldDecl")
      .map((f) => this.field(f))
      .filter((x) => x !== undefined);
    return { kind: "ActivityFields", fields, range };
  }

  /** `format …` on a field, as written; which field types take which format is the checker's (E0106, E0107). */
  private fieldFormat(node: CstNode, name: string): A.FieldFormat | undefined {
    const clauses = nodes(node, "formatClause");
    for (const extra of clauses.slice(1)) {
      const r = rangeOfNode(extra);
      if (r) this.report("E0102", `'format' is given more than once for '${name}'`, r);
    }
    const clause = clauses[0];
    const range = clause && rangeOfNode(clause);
    if (!clause || !range) return undefined;
    const pattern = token(clause, "pattern");
    if (pattern) return { kind: "Pattern", pattern: this.string(pattern), range };
    const epoch = token(clause, "epoch");
    const unit = token(clause, "unit");
    const unitName = EPOCH_UNITS.find((u) => u === unit?.image);
    if (epoch?.image !== EPOCH_WORD || unitName === undefined) {
      this.report("E0105", `a format is a quoted pattern or 'epoch ms' / 'epoch s'${unit ? didYouMean(unit.image, EPOCH_UNITS) : ""}`, range);
      return undefined;
    }
    return { kind: "Epoch", unit: unitName, range };
  }

  private field(node: CstNode): A.FieldDecl | undefined {
    const name = token(node, "name");
    const type = token(node, "type");
    const range = rangeOfNode(node);
    if (!name || !type || !range) return undefined;
    // The list's own string, not the token's text: the engine compares types per row, and
    // comparing with a constant is quickest when it is that very constant.
    const typeName = FIELD_TYPES.find((t) => t === type.image);
    if (typeName === undefined) {
      this.report(
        "E0105",
        `unknown type '${type.image}' for field '${name.image}'${didYouMean(type.image, FIELD_TYPES)}: types are ${FIELD_TYPES.join(", ")}`,
        rangeOfToken(type),
      );
      return undefined;
    }
    const currency = token(node, "currency");
    // Whether a field takes a currency is the checker's (E0103, E0106); its spelling is a word's.
    if (typeName === "money" && currency && !/^[A-Z]{3}$/.test(currency.image)) {
      this.report("E0105", `'${currency.image}' is not a currency code; use three capital letters such as USD or EUR`, rangeOfToken(currency));
    }
    const lists = nodes(node, "literalList");
    const columns = tokens(node, "column");
    if (lists.length > 1) this.report("E0102", `'one of' is given more than once for '${name.image}'`, range);
    if (columns.length > 1) this.report("E0102", `'from' is given more than once for '${name.image}'`, range);
    let oneOf: A.StringLit[] | undefined;
    const list = lists[0];
    if (list) {
      const values = this.literalList(list);
      oneOf = [];
      for (const v of values) {
        if (v.kind === "String") oneOf.push(v);
        else this.report("E0002", `'one of' lists quoted texts; found ${describeLiteral(v)}`, v.range);
      }
    }
    const column = columns[0];
    return {
      kind: "Field",
      name: this.ident(name),
      type: typeName,
      typeRange: rangeOfToken(type),
      currency: currency ? this.ident(currency) : undefined,
      oneOf,
      oneOfRange: list ? (rangeOfNode(list) ?? range) : undefined,
      column: column ? this.string(column) : undefined,
      format: this.fieldFormat(node, name.image),
      pii: tokens(node, "pii").length > 0,
      range,
    };
  }

  private lead(node: CstNode): A.LeadBlock | undefined {
    const h = this.header(node);
    this.blockJunks(node, "lead");
    if (!h?.id) return undefined;
    return {
      kind: "Lead",
      id: h.id,
      title: h.title,
      when: this.single(nodes(node, "whenClause"), "when", (n) => this.exprOf(n, "orExpr")),
      since: this.single(nodes(node, "sinceClause"), "since", (n) => this.valueIdent(n)),
      range: h.range,
    };
  }

  private sla(node: CstNode): A.SlaBlock | undefined {
    const h = this.header(node);
    this.blockJunks(node, "sla");
    if (!h?.id) return undefined;
    const leadsClause = this.single(nodes(node, "leadsClause"), "leads", (n) => n);
    const definitionToken = leadsClause && token(leadsClause, "definition");
    const clockToken = leadsClause && token(leadsClause, "clock");
    const owners = this.single(nodes(node, "ownerClause"), "owner", (n) => tokens(n, "team").map((t) => this.ident(t))) ?? [];
    const byClauses = nodes(node, "byClause");
    const per = this.single(nodes(node, "perClause"), "per", (n) => this.valueIdent(n));
    const severity = this.single(nodes(node, "severityClause"), "severity", (n) => this.valueIdent(n));
    if (per) this.keyword(per, PERIODS, "period");
    if (severity) this.keyword(severity, SEVERITIES, "severity");
    return {
      kind: "Sla",
      id: h.id,
      title: h.title,
      owner: owners[0],
      ...(owners.length > 1 ? { extraOwners: owners.slice(1) } : {}),
      leads: definitionToken ? this.ident(definitionToken) : undefined,
      clock: clockToken ? this.ident(clockToken) : undefined,
      touches: this.single(nodes(node, "touchesClause"), "touches", (n) => this.touchFilter(n)),
      expect: this.single(nodes(node, "expectClause"), "expect", (n) => this.expectation(n)),
      target: this.single(nodes(node, "targetClause"), "target", (n) => this.target(n)),
      minimum: this.single(nodes(node, "minimumClause"), "minimum", (n) => this.valueNumber(n)),
      per,
      by: this.single(byClauses, "by", (n) => tokens(n, "field").map((t) => this.ident(t))) ?? [],
      severity,
      calendar: this.single(nodes(node, "calendarRefClause"), "calendar", (n) => this.valueIdent(n)),
      calendarBy: this.calendarBy(nodes(node, "calendarRefClause")[0]),
      clauses: this.clauseMarks(node, SLA_CLAUSE_RULES),
      range: h.range,
    };
  }

  private waiver(node: CstNode): A.WaiverBlock | undefined {
    const h = this.header(node);
    this.blockJunks(node, "waiver");
    if (!h?.id) return undefined;
    const dateOf = (n: CstNode) => {
      const t = token(n, "value");
      return t ? this.date(t) : undefined;
    };
    return {
      kind: "Waiver",
      id: h.id,
      title: h.title,
      slas: this.single(nodes(node, "waiverSlaClause"), "sla", (n) => tokens(n, "sla").map((t) => this.ident(t))) ?? [],
      leads: this.single(nodes(node, "waiverLeadsClause"), "leads", (n) => tokens(n, "lead").map((t) => this.string(t))) ?? [],
      when: this.single(nodes(node, "whenClause"), "when", (n) => this.exprOf(n, "orExpr")),
      periods: this.single(nodes(node, "periodsClause"), "periods", (n) => tokens(n, "period").flatMap((t) => this.period(t))) ?? [],
      from: this.single(nodes(node, "fromClause"), "from", dateOf),
      until: this.single(nodes(node, "untilClause"), "until", dateOf),
      clauses: this.clauseMarks(node, WAIVER_CLAUSE_RULES),
      range: h.range,
    };
  }

  private period(t: IToken): A.PeriodLit[] {
    if (periodSpan(t.image) === undefined) {
      this.report("E0004", `'${t.image}' is not a period; write a day 2027-01-15, a week 2027-W05, a month 2027-01, a quarter 2027-Q1 or a year 2027`, rangeOfToken(t));
      return [];
    }
    return [{ kind: "PeriodLit", text: t.image, range: rangeOfToken(t) }];
  }

  private goal(node: CstNode): A.GoalBlock | undefined {
    const h = this.header(node);
    this.blockJunks(node, "goal");
    if (!h?.id) return undefined;
    const owners = this.single(nodes(node, "ownerClause"), "owner", (n) => tokens(n, "team").map((t) => this.ident(t)));
    const revenue = this.single(nodes(node, "revenueClause"), "revenue", (n): A.RevenueClause | undefined => {
      const money = child(n, "money");
      const amount = money && this.money(money);
      const per = token(n, "period");
      const from = token(n, "field");
      const r = rangeOfNode(n);
      if (!amount || !per || !from || !r) return undefined;
      const period = this.ident(per);
      this.keyword(period, PERIODS, "period");
      return { kind: "Revenue", amount, per: period, from: this.ident(from), range: r };
    });
    const averageDeal = this.single(nodes(node, "averageDealClause"), "average deal", (n) => {
      const money = child(n, "money");
      return money && this.money(money);
    });
    const funnel =
      this.single(nodes(node, "funnelClause"), "funnel", (n) =>
        nodes(n, "funnelStage").flatMap((s): A.FunnelStage[] => {
          const def = token(s, "definition");
          const rate = token(s, "rate");
          const r = rangeOfNode(s);
          if (!def || !r) return [];
          return [{ kind: "FunnelStage", definition: this.ident(def), rate: rate ? this.percent(rate) : undefined, range: r }];
        }),
      ) ?? [];
    return {
      kind: "Goal",
      id: h.id,
      title: h.title,
      owners: owners ?? [],
      revenue,
      averageDeal,
      funnel,
      by: this.single(nodes(node, "byClause"), "by", (n) => tokens(n, "field").map((t) => this.ident(t))) ?? [],
      quotas: this.single(nodes(node, "quotasClause"), "quotas", (n) => this.quotas(n)),
      clauses: this.clauseMarks(node, GOAL_CLAUSE_RULES),
      range: h.range,
    };
  }

  /** `calendar by FIELD { "V": ID, … } default ID` (the first calendar clause; a second is reported by `single`). */
  private calendarBy(node: CstNode | undefined): A.CalendarByClause | undefined {
    const field = node && token(node, "field");
    const range = node && rangeOfNode(node);
    if (!node || !field || !range || !token(node, "by")) return undefined;
    const cases = nodes(node, "cases").flatMap((c): A.CalendarCase[] => {
      const value = token(c, "value");
      const calendar = token(c, "calendar");
      const r = rangeOfNode(c);
      return value && calendar && r ? [{ kind: "CalendarCase", value: this.string(value), calendar: this.ident(calendar), range: r }] : [];
    });
    const fallback = token(node, "fallback");
    return { kind: "CalendarBy", field: this.ident(field), cases, fallback: fallback ? this.ident(fallback) : undefined, range };
  }

  private quotas(node: CstNode): A.QuotasClause | undefined {
    const range = rangeOfNode(node);
    if (!range) return undefined;
    const entries = nodes(node, "entries").flatMap((e): A.QuotaEntry[] => {
      const group = token(e, "group");
      const money = child(e, "money");
      const amount = money && this.money(money);
      const r = rangeOfNode(e);
      return group && amount && r ? [{ kind: "QuotaEntry", group: this.string(group), amount, range: r }] : [];
    });
    return { kind: "Quotas", entries, range };
  }

  /** `target 95%`; `target 95` and `target 95 percent` are reported once and read as 95%, so nothing else follows from them. */
  private target(node: CstNode): A.PercentLit | undefined {
    const t = token(node, "value");
    if (t) return this.percent(t);
    const bare = token(node, "bare");
    if (!bare) return undefined;
    const word = token(node, "percentWord");
    const range = word ? spanning(rangeOfToken(bare), rangeOfToken(word)) : rangeOfToken(bare);
    this.report("E0002", `a target is a percentage: write 'target ${bare.image}%'`, range);
    const text = bare.image;
    return { kind: "Percent", value: Number(text.replace(/_/g, "")), text, range };
  }

  private expectation(node: CstNode): A.Expectation | undefined {
    const range = rangeOfNode(node);
    const opToken = token(node, "op");
    if (!range) return undefined;
    const op = opToken?.image as A.CompareOp | undefined;
    if (token(node, "count")) {
      const n = token(node, "number");
      return op && n ? { kind: "CountExpectation", op, value: this.number(n), range } : undefined;
    }
    if (token(node, "rate")) {
      const def = token(node, "definition");
      const p = token(node, "percent");
      return op && def && p
        ? { kind: "RateExpectation", definition: this.ident(def), op, value: this.percent(p), range }
        : undefined;
    }
    const durationNode = child(node, "duration");
    const within = durationNode && this.duration(durationNode);
    if (!within) return undefined;
    if (token(node, "first")) return { kind: "FirstTouchExpectation", within, range };
    const n = token(node, "number");
    return op && n ? { kind: "TouchesExpectation", within, op, value: this.number(n), range } : undefined;
  }

  private duration(node: CstNode): A.Duration | undefined {
    const amount = token(node, "amount");
    const unit = token(node, "unit");
    const range = rangeOfNode(node);
    if (!amount || !unit || !range) return undefined;
    // `5 bussiness hours`: the unit came after an unknown word (the parser takes it only then).
    // One diagnostic, on that word; the duration stands, so no "needs 'expect …'" follows.
    const misspelt = token(node, "misspelt");
    if (misspelt) {
      const hint = didYouMean(misspelt.image, ["business"]);
      const help = hint ? hint : ": a duration is like '5 hours' or '5 business hours'";
      this.report("E0105", `unknown word '${misspelt.image}' in a duration${help}`, rangeOfToken(misspelt));
    }
    const normalized = durationUnit(unit.image);
    if (!normalized) {
      this.report(
        "E0105",
        `unknown unit '${unit.image}'${didYouMean(unit.image, DURATION_UNITS)}: durations are in minutes, hours, days or weeks`,
        rangeOfToken(unit),
      );
      return undefined;
    }
    const calendar = token(node, "calendar");
    const business = tokens(node, "business").length > 0 || (misspelt !== undefined && didYouMean(misspelt.image, ["business"]) !== "");
    return {
      kind: "Duration",
      amount: this.number(amount),
      unit: normalized,
      unitRange: rangeOfToken(unit),
      business,
      calendar: calendar ? this.ident(calendar) : undefined,
      range,
    };
  }

  /** A word from a fixed list (a period, a severity) where the grammar takes any name: kept as written, reported when unknown. */
  private keyword(id: A.Ident, allowed: readonly string[], what: string): void {
    if (allowed.includes(id.name)) return;
    this.report("E0105", `unknown ${what} '${id.name}'${didYouMean(id.name, allowed)}: use ${allowed.join(", ")}`, id.range);
  }

  // ---- expressions ------------------------------------------------------------

  /** Whether the condition being lowered is a touch filter, where `lead.NAME` has a meaning. */
  private inTouchFilter = false;

  private touchFilter(node: CstNode): A.Expr | undefined {
    this.inTouchFilter = true;
    try {
      return this.exprOf(node, "orExpr");
    } finally {
      this.inTouchFilter = false;
    }
  }

  private exprOf(node: CstNode, label: string): A.Expr | undefined {
    const inner = child(node, label);
    return inner && this.orExpr(inner);
  }

  private orExpr(node: CstNode): A.Expr | undefined {
    return this.chain(node, "Or", (n) => this.andExpr(n));
  }

  private andExpr(node: CstNode): A.Expr | undefined {
    return this.chain(node, "And", (n) => this.notExpr(n));
  }

  private chain(node: CstNode, kind: "And" | "Or", lowerOperand: (n: CstNode) => A.Expr | undefined): A.Expr | undefined {
    const operandNodes = nodes(node, "operands");
    const operands = operandNodes.map(lowerOperand);
    if (operands.some((o) => o === undefined)) return undefined;
    const present = operands as A.Expr[];
    const range = rangeOfNode(node);
    if (present.length === 1) return present[0];
    if (!range) return undefined;
    return { kind, operands: present, range };
  }

  private notExpr(node: CstNode): A.Expr | undefined {
    const range = rangeOfNode(node);
    if (token(node, "not")) {
      const inner = child(node, "operand");
      const operand = inner && this.notExpr(inner);
      return operand && range ? { kind: "Not", operand, range } : undefined;
    }
    const predicate = child(node, "predicate");
    return predicate && this.predicate(predicate);
  }

  private predicate(node: CstNode): A.Expr | undefined {
    const atomNode = child(node, "atom");
    const range = rangeOfNode(node);
    const atom = atomNode && this.atom(atomNode);
    if (!atom || !range) return undefined;
    const compare = token(node, "compare");
    const hasSuffix =
      compare || token(node, "in") || token(node, "contains") || token(node, "starts") || token(node, "ends") || token(node, "is");
    if (atom.kind === "LeadField") {
      const field = atom.field.name;
      const help = compare ? `write the activity field first: 'owner ${compare.image} lead.${field}'` : `compare it with an activity field: 'owner = lead.${field}'`;
      this.report("E0711", `'lead.${field}' stands on the right of a comparison in a touches filter; ${help}`, atom.range);
      return undefined;
    }
    if (!hasSuffix) return atom;
    if (atom.kind !== "Ref" && !(compare && isLiteral(atom))) {
      this.report("E0002", "the left side of this comparison must be a field", atom.range);
      return undefined;
    }
    if (compare) {
      const operandNode = child(node, "operand");
      const right = operandNode && this.operand(operandNode);
      return right ? { kind: "Compare", op: compare.image as A.CompareOp, left: atom as A.Operand, right, range } : undefined;
    }
    const subject = atom as A.RefExpr;
    if (token(node, "in")) {
      const list = child(node, "literalList");
      if (!list) return undefined;
      return { kind: "In", negated: tokens(node, "negated").length > 0, subject, values: this.literalList(list), range };
    }
    if (token(node, "is")) return { kind: "IsSet", negated: tokens(node, "isNot").length > 0, subject, range };
    const text = token(node, "text");
    if (!text) return undefined;
    const op: A.TextOp = token(node, "contains") ? "contains" : token(node, "starts") ? "starts with" : "ends with";
    return { kind: "TextMatch", op, subject, value: this.string(text), range };
  }

  private atom(node: CstNode): A.Expr | A.LeadFieldRef | undefined {
    const inner = child(node, "inner");
    if (inner) {
      const range = rangeOfNode(node);
      const expr = this.orExpr(inner);
      return expr && range ? { kind: "Paren", inner: expr, range } : undefined;
    }
    const operand = child(node, "operand");
    return operand && this.operand(operand);
  }

  private operand(node: CstNode): A.Operand | undefined {
    const ref = token(node, "ref");
    const member = token(node, "member");
    if (ref && member) return this.leadField(ref, member);
    if (ref && token(node, "dot")) return undefined; // `lead.` cut short: the parser reported it
    if (ref) {
      const name = this.ident(ref);
      return { kind: "Ref", name, range: name.range };
    }
    const lit = child(node, "literal");
    return lit && this.literal(lit);
  }

  /** `lead.owner`; any other `x.y` is one diagnostic (only the lead's fields are written with a dot). */
  private leadField(ref: IToken, member: IToken): A.LeadFieldRef | undefined {
    const range = spanning(rangeOfToken(ref), rangeOfToken(member));
    if (ref.image !== "lead") {
      this.report("E0711", `'${ref.image}.${member.image}': only the lead's own fields are written with a dot ('lead.${member.image}')`, range);
      return undefined;
    }
    if (!this.inTouchFilter) {
      this.report("E0711", `'lead.${member.image}' compares an activity with its lead, in a touches filter; in a lead definition write '${member.image}'`, range);
      return undefined;
    }
    return { kind: "LeadField", field: this.ident(member), range };
  }

  private literalList(node: CstNode): A.Literal[] {
    return nodes(node, "items")
      .map((n) => this.literal(n))
      .filter((x) => x !== undefined);
  }

  private literal(node: CstNode): A.Literal | undefined {
    const s = token(node, "string");
    if (s) return this.string(s);
    const p = token(node, "percent");
    if (p) return this.percent(p);
    const n = token(node, "number");
    if (n) {
      const currency = token(node, "currency");
      if (!currency) return this.number(n);
      const amount = this.number(n);
      return { kind: "Money", amount: amount.value, text: amount.text, currency: currency.image, range: spanning(amount.range, rangeOfToken(currency)) };
    }
    const d = token(node, "date");
    if (d) return this.date(d);
    const dt = token(node, "dateTime");
    if (dt) {
      const parsed = DateTime.fromISO(dt.image, { setZone: true });
      if (!parsed.isValid) {
        this.report("E0004", `'${dt.image}' is not a real date and time`, rangeOfToken(dt));
        return undefined;
      }
      return { kind: "DateTime", value: dt.image, range: rangeOfToken(dt) };
    }
    const t = token(node, "true");
    if (t) return { kind: "Boolean", value: true, range: rangeOfToken(t) };
    const f = token(node, "false");
    if (f) return { kind: "Boolean", value: false, range: rangeOfToken(f) };
    return undefined;
  }

  private money(node: CstNode): A.MoneyLit | undefined {
    const amount = token(node, "amount");
    const currency = token(node, "currency");
    if (!amount || !currency) return undefined;
    const n = this.number(amount);
    return {
      kind: "Money",
      amount: n.value,
      text: n.text,
      currency: currency.image,
      range: spanning(n.range, rangeOfToken(currency)),
    };
  }

  // ---- tokens -----------------------------------------------------------------

  private ident(t: IToken): A.Ident {
    return { kind: "Ident", name: t.image, range: rangeOfToken(t) };
  }

  private valueIdent(n: CstNode): A.Ident | undefined {
    const t = token(n, "value");
    return t ? this.ident(t) : undefined;
  }

  private valueString(n: CstNode): A.StringLit | undefined {
    const t = token(n, "value");
    return t ? this.string(t) : undefined;
  }

  private valueNumber(n: CstNode): A.NumberLit | undefined {
    const t = token(n, "value");
    return t ? this.number(t) : undefined;
  }

  private number(t: IToken): A.NumberLit {
    return { kind: "Number", value: Number(t.image.replace(/_/g, "")), text: t.image, range: rangeOfToken(t) };
  }

  private percent(t: IToken): A.PercentLit {
    const text = t.image.slice(0, -1);
    return { kind: "Percent", value: Number(text.replace(/_/g, "")), text, range: rangeOfToken(t) };
  }

  private date(t: IToken): A.DateLit | undefined {
    if (!DateTime.fromISO(t.image).isValid) {
      this.report("E0004", `'${t.image}' is not a real calendar date (year-month-day)`, rangeOfToken(t));
      return undefined;
    }
    return { kind: "Date", value: t.image, range: rangeOfToken(t) };
  }

  private timeOfDay(t: IToken): A.TimeOfDay | undefined {
    const [h, m] = t.image.split(":").map(Number) as [number, number];
    const minutes = h * 60 + m;
    if (m > 59 || minutes > 24 * 60) {
      this.report("E0004", `'${t.image}' is not a time of day (00:00 to 24:00)`, rangeOfToken(t));
      return undefined;
    }
    const text = `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
    return { kind: "TimeOfDay", minutes, text, range: rangeOfToken(t) };
  }

  private string(t: IToken): A.StringLit {
    const range = rangeOfToken(t);
    return { kind: "String", value: this.unescape(t.image.slice(1, -1), range), range };
  }

  private unescape(body: string, range: Range): string {
    return body.replace(/\\(u\{[0-9A-Fa-f]{1,6}\}|.)/g, (whole, esc: string) => {
      switch (esc[0]) {
        case "n":
          if (esc.length === 1) return "\n";
          break;
        case "t":
          if (esc.length === 1) return "\t";
          break;
        case "\\":
          return "\\";
        case '"':
          return '"';
        case "u": {
          const code = Number.parseInt(esc.slice(2, -1), 16);
          if (esc.length > 1 && code <= 0x10ffff) return String.fromCodePoint(code);
          break;
        }
      }
      this.report("E0004", `unknown escape '${whole}' in a quoted text; use \\" \\\\ \\n \\t or \\u{…}`, range);
      return whole;
    });
  }
}

export function isLiteral(expr: A.Expr): expr is A.Literal {
  return (
    expr.kind === "String" ||
    expr.kind === "Number" ||
    expr.kind === "Percent" ||
    expr.kind === "Money" ||
    expr.kind === "Date" ||
    expr.kind === "DateTime" ||
    expr.kind === "Boolean"
  );
}

export function describeLiteral(lit: A.Literal): string {
  switch (lit.kind) {
    case "String":
      return `the text "${lit.value}"`;
    case "Number":
      return `the number ${lit.text}`;
    case "Percent":
      return `the percentage ${lit.text}%`;
    case "Money":
      return `the amount ${lit.text} ${lit.currency}`;
    case "Date":
      return `the date ${lit.value}`;
    case "DateTime":
      return `the time ${lit.value}`;
    case "Boolean":
      return lit.value ? "true" : "false";
  }
}

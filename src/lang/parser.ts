import type { IToken, TokenType } from "chevrotain";
import { chevrotain } from "./chevrotain.js";
import { parserErrorMessages } from "./parser-messages.js";
import {
  AnyToken,
  Arrow,
  allTokens,
  Colon,
  Comma,
  CompareOperator,
  DateLiteral,
  DateTimeLiteral,
  Dot,
  HandleLiteral,
  Identifier,
  Kw,
  LBracket,
  LCurly,
  LParen,
  Minus,
  Name,
  NumberLiteral,
  PercentLiteral,
  PeriodLiteral,
  RBracket,
  RCurly,
  RParen,
  StringLiteral,
  TimeLiteral,
} from "./tokens.js";
import { BLOCK_KEYWORDS, CLAUSES, durationUnit, EPOCH_WORD, PERCENT_WORDS } from "./vocabulary.js";

const { CstParser, EOF, tokenMatcher } = chevrotain;

const blockStarts: TokenType[] = BLOCK_KEYWORDS.map((w) => Kw[w]);

const CURRENCY_SHAPE = /^[A-Z]{3}$/;

/**
 * The grammar of SPEC §2. Newlines carry no meaning; clauses start with keywords, so a
 * clause ends where the next keyword begins. Each block body and the file itself accept a
 * run of unexpected tokens as a "junk" node, which the lowering reports once and skips:
 * one mistake never hides the rest of the file.
 */
export class PolicyParser extends CstParser {
  /**
   * `validate` runs chevrotain's grammar checks (ambiguities, left recursion, unreachable
   * alternatives) as it is built: a test does, so a grammar mistake fails `npm test`. Commands
   * skip them: the grammar does not change at run time, and they cost each run about 30 ms.
   */
  constructor(validate = false) {
    super(allTokens, {
      skipValidations: !validate,
      recoveryEnabled: true,
      maxLookahead: 3,
      nodeLocationTracking: "full",
      errorMessageProvider: parserErrorMessages,
    });
    this.performSelfAnalysis();
  }

  private startsBlock(token: IToken): boolean {
    return blockStarts.some((t) => tokenMatcher(token, t));
  }

  /**
   * A block keyword in the first column, with its `{` close behind, is taken as the next block
   * even inside a broken one, so a missing `}` does not swallow the rest of the file. The `{`
   * matters: `calendar` is also a clause, and may be written in the first column.
   */
  private startsBlockAtLineStart(token: IToken): boolean {
    if (token.startColumn !== 1 || !this.startsBlock(token) || token !== this.LA(1)) return false;
    // `calendar by region {` is an SLA clause, not a calendar block.
    if (tokenMatcher(token, Kw.calendar) && tokenMatcher(this.LA(2), Kw.by)) return false;
    return [this.LA(2), this.LA(3), this.LA(4)].some((t) => tokenMatcher(t, LCurly));
  }

  private misspeltBeforeUnit(): boolean {
    const [word, unit] = [this.LA(1), this.LA(2)];
    return (
      tokenMatcher(word, Name) && tokenMatcher(unit, Name) && word.startLine === unit.startLine &&
      durationUnit(word.image) === undefined && durationUnit(unit.image) !== undefined
    );
  }

  private endsBlockBody(next: IToken): boolean {
    return tokenMatcher(next, EOF) || tokenMatcher(next, RCurly) || this.startsBlockAtLineStart(next);
  }

  private isJunk(next: IToken, clauseWords: readonly string[]): boolean {
    return !this.endsBlockBody(next) && !clauseWords.some((w) => tokenMatcher(next, Kw[w as keyof typeof Kw]));
  }

  /** The clauses of a block, in any order, with a run of anything else taken as one junk node. */
  private blockBody(clauseWords: readonly string[], clauses: Array<() => void>): void {
    // One token of lookahead: the clause keyword decides. Longer lookahead past the junk
    // alternative (which matches any token) makes chevrotain's error paths explode.
    this.MANY({
      GATE: () => !this.endsBlockBody(this.LA(1)),
      MAX_LOOKAHEAD: 1,
      DEF: () =>
        this.OR({
          IGNORE_AMBIGUITIES: true,
          MAX_LOOKAHEAD: 1,
          DEF: [
            ...clauses.map((clause) => ({ ALT: clause })),
            {
              GATE: () => this.isJunk(this.LA(1), clauseWords),
              ALT: () => {
                this.junkClauseWords = clauseWords;
                this.SUBRULE(this.blockJunk);
              },
            },
          ],
        }),
    });
  }

  public policyFile = this.RULE("policyFile", () => {
    this.MANY(() =>
      this.OR({
        IGNORE_AMBIGUITIES: true,
        MAX_LOOKAHEAD: 1,
        DEF: [
          { ALT: () => this.SUBRULE(this.agreementBlock) },
          { ALT: () => this.SUBRULE(this.teamBlock) },
          { ALT: () => this.SUBRULE(this.calendarBlock) },
          { ALT: () => this.SUBRULE(this.fieldsBlock) },
          { ALT: () => this.SUBRULE(this.activityFieldsBlock) },
          { ALT: () => this.SUBRULE(this.leadBlock) },
          { ALT: () => this.SUBRULE(this.slaBlock) },
          { ALT: () => this.SUBRULE(this.goalBlock) },
          { ALT: () => this.SUBRULE(this.waiverBlock) },
          { ALT: () => this.SUBRULE(this.topJunk) },
        ],
      }),
    );
  });

  private topJunk = this.RULE("topJunk", () => {
    this.AT_LEAST_ONE({
      GATE: () => !tokenMatcher(this.LA(1), EOF) && !this.startsBlock(this.LA(1)),
      DEF: () => this.CONSUME(AnyToken),
    });
  });

  /** CstParser rules take no arguments, so the block being skipped in says which words end the junk. */
  private junkClauseWords: readonly string[] = [];

  private blockJunk = this.RULE("blockJunk", () => {
    this.AT_LEAST_ONE({
      GATE: () => this.isJunk(this.LA(1), this.junkClauseWords),
      DEF: () => this.CONSUME(AnyToken),
    });
  });

  private blockHeader(keyword: TokenType, withTitle: boolean, titleRequired = false): void {
    this.CONSUME(keyword, { LABEL: "keyword" });
    if (keyword !== Kw.agreement && keyword !== Kw.fields) this.CONSUME(Name, { LABEL: "id" });
    if (withTitle) {
      if (titleRequired) this.CONSUME(StringLiteral, { LABEL: "title" });
      else this.OPTION(() => this.CONSUME2(StringLiteral, { LABEL: "title" }));
    }
    this.CONSUME(LCurly);
  }

  private agreementBlock = this.RULE("agreementBlock", () => {
    this.blockHeader(Kw.agreement, true, true);
    this.blockBody(CLAUSES.agreement, [
      () => this.SUBRULE(this.versionClause),
      () => this.SUBRULE(this.effectiveClause),
      () => this.SUBRULE(this.timezoneClause),
      () => this.SUBRULE(this.calendarRefClause),
    ]);
    this.CONSUME(RCurly);
  });

  private versionClause = this.RULE("versionClause", () => {
    this.CONSUME(Kw.version, { LABEL: "keyword" });
    this.CONSUME(NumberLiteral, { LABEL: "value" });
  });
  private effectiveClause = this.RULE("effectiveClause", () => {
    this.CONSUME(Kw.effective, { LABEL: "keyword" });
    this.CONSUME(DateLiteral, { LABEL: "value" });
  });
  private timezoneClause = this.RULE("timezoneClause", () => {
    this.CONSUME(Kw.timezone, { LABEL: "keyword" });
    this.CONSUME(StringLiteral, { LABEL: "value" });
  });
  /** `calendar ID`, or per lead (SLAs): `calendar by FIELD { "VALUE": ID, … } default ID`. */
  private calendarRefClause = this.RULE("calendarRefClause", () => {
    this.CONSUME(Kw.calendar, { LABEL: "keyword" });
    this.OR({
      IGNORE_AMBIGUITIES: true,
      DEF: [
        {
          // `by` is also a name (a calendar may be called `by`): the table's `{` decides.
          GATE: () => tokenMatcher(this.LA(1), Kw.by) && tokenMatcher(this.LA(3), LCurly),
          ALT: () => {
            this.CONSUME(Kw.by, { LABEL: "by" });
            this.CONSUME2(Name, { LABEL: "field" });
            this.CONSUME(LCurly);
            this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.calendarCase, { LABEL: "cases" }) });
            this.CONSUME(RCurly);
            this.OPTION(() => {
              this.CONSUME(Kw.default);
              this.CONSUME3(Name, { LABEL: "fallback" });
            });
          },
        },
        { ALT: () => this.CONSUME(Name, { LABEL: "value" }) },
      ],
    });
  });
  private calendarCase = this.RULE("calendarCase", () => {
    this.CONSUME(StringLiteral, { LABEL: "value" });
    this.CONSUME(Colon);
    this.CONSUME(Name, { LABEL: "calendar" });
  });

  private teamBlock = this.RULE("teamBlock", () => {
    this.blockHeader(Kw.team, true);
    this.blockBody(CLAUSES.team, [
      () => this.SUBRULE(this.approversClause),
    ]);
    this.CONSUME(RCurly);
  });
  private approversClause = this.RULE("approversClause", () => {
    this.CONSUME(Kw.approvers, { LABEL: "keyword" });
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.CONSUME(HandleLiteral, { LABEL: "handle" }) });
  });

  private calendarBlock = this.RULE("calendarBlock", () => {
    this.blockHeader(Kw.calendar, false);
    this.blockBody(CLAUSES.calendar, [
      () => this.SUBRULE(this.timezoneClause),
      () => this.SUBRULE(this.hoursClause),
      () => this.SUBRULE(this.holidaysClause),
    ]);
    this.CONSUME(RCurly);
  });
  private hoursClause = this.RULE("hoursClause", () => {
    this.CONSUME(Kw.hours, { LABEL: "keyword" });
    this.SUBRULE(this.daySpec);
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.daySpec);
    });
    this.SUBRULE(this.timeRange);
    this.MANY2(() => {
      this.CONSUME2(Comma);
      this.SUBRULE2(this.timeRange);
    });
  });
  private daySpec = this.RULE("daySpec", () => {
    this.CONSUME(Name, { LABEL: "from" });
    this.OPTION(() => {
      this.CONSUME(Minus);
      this.CONSUME2(Name, { LABEL: "to" });
    });
  });
  private timeRange = this.RULE("timeRange", () => {
    this.CONSUME(TimeLiteral, { LABEL: "start" });
    this.CONSUME(Minus);
    this.CONSUME2(TimeLiteral, { LABEL: "end" });
  });
  private holidaysClause = this.RULE("holidaysClause", () => {
    this.CONSUME(Kw.holidays, { LABEL: "keyword" });
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.CONSUME(DateLiteral, { LABEL: "date" }) });
  });

  private fieldsBlock = this.RULE("fieldsBlock", () => {
    this.blockHeader(Kw.fields, false);
    this.MANY(() => this.SUBRULE(this.fieldDecl));
    this.CONSUME(RCurly);
  });
  private fieldDecl = this.RULE("fieldDecl", () => {
    this.CONSUME(Name, { LABEL: "name" });
    const type = this.CONSUME2(Name, { LABEL: "type" });
    this.OPTION({
      // `money USD`: the currency sits on the field's own line, so a next field is never taken for one.
      GATE: () =>
        type.image === "money" && this.LA(1).startLine === type.startLine && tokenMatcher(this.LA(1), Identifier),
      DEF: () => this.CONSUME(Identifier, { LABEL: "currency" }),
    });
    this.MANY({
      // `format` only before a pattern or `epoch`: a next field may be named `format`.
      GATE: () => !tokenMatcher(this.LA(1), Kw.format) || this.startsFormat(),
      DEF: () => this.OR([
        { ALT: () => this.CONSUME(Kw.pii, { LABEL: "pii" }) },
        {
          ALT: () => {
            this.CONSUME(Kw.one, { LABEL: "oneOf" });
            this.CONSUME(Kw.of);
            this.SUBRULE(this.literalList);
          },
        },
        {
          ALT: () => {
            this.CONSUME(Kw.from, { LABEL: "from" });
            this.CONSUME(StringLiteral, { LABEL: "column" });
          },
        },
        { ALT: () => this.SUBRULE(this.formatClause) },
      ]),
    });
  });
  private startsFormat(): boolean {
    return tokenMatcher(this.LA(2), StringLiteral) || this.LA(2).image === EPOCH_WORD;
  }
  /** `format "M/d/yyyy h:mm a"`, `format epoch ms` (SPEC §8.2); the unit sits on the clause's line. */
  private formatClause = this.RULE("formatClause", () => {
    const keyword = this.CONSUME(Kw.format, { LABEL: "keyword" });
    this.OR([
      { ALT: () => this.CONSUME(StringLiteral, { LABEL: "pattern" }) },
      {
        ALT: () => {
          this.CONSUME(Identifier, { LABEL: "epoch" });
          this.OPTION({
            GATE: () => this.LA(1).startLine === keyword.startLine && tokenMatcher(this.LA(1), Identifier),
            DEF: () => this.CONSUME2(Identifier, { LABEL: "unit" }),
          });
        },
      },
    ]);
  });

  private activityFieldsBlock = this.RULE("activityFieldsBlock", () => {
    this.CONSUME(Kw.activity, { LABEL: "keyword" });
    this.CONSUME(Kw.fields);
    this.CONSUME(LCurly);
    this.MANY(() => this.SUBRULE(this.fieldDecl));
    this.CONSUME(RCurly);
  });

  private leadBlock = this.RULE("leadBlock", () => {
    this.blockHeader(Kw.lead, true);
    this.blockBody(CLAUSES.lead, [
      () => this.SUBRULE(this.whenClause),
      () => this.SUBRULE(this.sinceClause),
    ]);
    this.CONSUME(RCurly);
  });
  private whenClause = this.RULE("whenClause", () => {
    this.CONSUME(Kw.when, { LABEL: "keyword" });
    this.SUBRULE(this.orExpr);
  });
  private sinceClause = this.RULE("sinceClause", () => {
    this.CONSUME(Kw.since, { LABEL: "keyword" });
    this.CONSUME(Name, { LABEL: "value" });
  });

  private slaBlock = this.RULE("slaBlock", () => {
    this.blockHeader(Kw.sla, true);
    this.blockBody(CLAUSES.sla, [
      () => this.SUBRULE(this.ownerClause),
      () => this.SUBRULE(this.leadsClause),
      () => this.SUBRULE(this.touchesClause),
      () => this.SUBRULE(this.expectClause),
      () => this.SUBRULE(this.targetClause),
      () => this.SUBRULE(this.minimumClause),
      () => this.SUBRULE(this.perClause),
      () => this.SUBRULE(this.byClause),
      () => this.SUBRULE(this.severityClause),
      () => this.SUBRULE(this.calendarRefClause),
    ]);
    this.CONSUME(RCurly);
  });
  private ownerClause = this.RULE("ownerClause", () => {
    this.CONSUME(Kw.owner, { LABEL: "keyword" });
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.CONSUME(Name, { LABEL: "team" }) });
  });
  private leadsClause = this.RULE("leadsClause", () => {
    this.CONSUME(Kw.leads, { LABEL: "keyword" });
    this.CONSUME(Name, { LABEL: "definition" });
    this.OPTION(() => {
      this.CONSUME(Kw.from);
      this.CONSUME2(Name, { LABEL: "clock" });
    });
  });
  private touchesClause = this.RULE("touchesClause", () => {
    this.CONSUME(Kw.touches, { LABEL: "keyword" });
    this.SUBRULE(this.orExpr);
  });
  private expectClause = this.RULE("expectClause", () => {
    this.CONSUME(Kw.expect, { LABEL: "keyword" });
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Kw.count, { LABEL: "count" });
          this.CONSUME(CompareOperator, { LABEL: "op" });
          this.CONSUME(NumberLiteral, { LABEL: "number" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.rate, { LABEL: "rate" });
          this.CONSUME(Kw.of);
          this.CONSUME(Name, { LABEL: "definition" });
          this.CONSUME2(CompareOperator, { LABEL: "op" });
          this.CONSUME(PercentLiteral, { LABEL: "percent" });
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.first, { LABEL: "first" });
          this.CONSUME(Kw.touch);
          this.CONSUME(Kw.within);
          this.SUBRULE(this.duration);
        },
      },
      {
        ALT: () => {
          this.CONSUME(Kw.touches, { LABEL: "touches" });
          this.CONSUME2(Kw.within);
          this.SUBRULE2(this.duration);
          this.CONSUME3(CompareOperator, { LABEL: "op" });
          this.CONSUME2(NumberLiteral, { LABEL: "number" });
        },
      },
    ]);
  });
  private duration = this.RULE("duration", () => {
    this.CONSUME(NumberLiteral, { LABEL: "amount" });
    this.OPTION(() => this.CONSUME(Kw.business, { LABEL: "business" }));
    // `5 bussiness hours`: an unknown word, then a unit on the same line. Taken as one duration
    // with a misspelt word, so lowering says "did you mean 'business'" once, instead of an
    // unknown unit, a stray 'hours' and an SLA without 'expect'.
    this.OPTION3({
      GATE: () => this.misspeltBeforeUnit(),
      DEF: () => this.CONSUME3(Name, { LABEL: "misspelt" }),
    });
    this.CONSUME(Name, { LABEL: "unit" });
    this.OPTION2(() => {
      this.CONSUME(Kw.on);
      this.CONSUME2(Name, { LABEL: "calendar" });
    });
  });
  private targetClause = this.RULE("targetClause", () => {
    this.CONSUME(Kw.target, { LABEL: "keyword" });
    // `target 95` or `target 95 percent`: parsed, so lowering says once how to write it (`95%`),
    // instead of a syntax error and a stray word on the same span.
    this.OR([
      { ALT: () => this.CONSUME(PercentLiteral, { LABEL: "value" }) },
      {
        ALT: () => {
          const number = this.CONSUME(NumberLiteral, { LABEL: "bare" });
          this.OPTION({
            GATE: () => this.LA(1).startLine === number.startLine && PERCENT_WORDS.includes(this.LA(1).image),
            DEF: () => this.CONSUME(Name, { LABEL: "percentWord" }),
          });
        },
      },
    ]);
  });
  /** `minimum N leads`: below it a lead-level or rate result is `insufficient` (SPEC §8.1). */
  private minimumClause = this.RULE("minimumClause", () => {
    this.CONSUME(Kw.minimum, { LABEL: "keyword" });
    this.CONSUME(NumberLiteral, { LABEL: "value" });
    this.CONSUME(Kw.leads, { LABEL: "unit" });
  });
  private perClause = this.RULE("perClause", () => {
    this.CONSUME(Kw.per, { LABEL: "keyword" });
    this.CONSUME(Name, { LABEL: "value" });
  });
  private byClause = this.RULE("byClause", () => {
    this.CONSUME(Kw.by, { LABEL: "keyword" });
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.CONSUME(Name, { LABEL: "field" }) });
  });
  private severityClause = this.RULE("severityClause", () => {
    this.CONSUME(Kw.severity, { LABEL: "keyword" });
    this.CONSUME(Name, { LABEL: "value" });
  });

  private goalBlock = this.RULE("goalBlock", () => {
    this.blockHeader(Kw.goal, true);
    this.blockBody(CLAUSES.goal, [
      () => this.SUBRULE(this.ownerClause),
      () => this.SUBRULE(this.revenueClause),
      () => this.SUBRULE(this.averageDealClause),
      () => this.SUBRULE(this.funnelClause),
      () => this.SUBRULE(this.byClause),
      () => this.SUBRULE(this.quotasClause),
    ]);
    this.CONSUME(RCurly);
  });
  private revenueClause = this.RULE("revenueClause", () => {
    this.CONSUME(Kw.revenue, { LABEL: "keyword" });
    this.SUBRULE(this.money);
    this.CONSUME(Kw.per);
    this.CONSUME(Name, { LABEL: "period" });
    this.CONSUME(Kw.from);
    this.CONSUME2(Name, { LABEL: "field" });
  });
  /** `quotas { "alice": 60_000 USD, … }`: each group's own revenue; the `revenue` amount is the rest's. */
  private quotasClause = this.RULE("quotasClause", () => {
    this.CONSUME(Kw.quotas, { LABEL: "keyword" });
    this.CONSUME(LCurly);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.quotaEntry, { LABEL: "entries" }) });
    this.CONSUME(RCurly);
  });
  private quotaEntry = this.RULE("quotaEntry", () => {
    this.CONSUME(StringLiteral, { LABEL: "group" });
    this.CONSUME(Colon);
    this.SUBRULE(this.money);
  });
  private averageDealClause = this.RULE("averageDealClause", () => {
    this.CONSUME(Kw.average, { LABEL: "keyword" });
    this.CONSUME(Kw.deal);
    this.SUBRULE(this.money);
  });
  private funnelClause = this.RULE("funnelClause", () => {
    this.CONSUME(Kw.funnel, { LABEL: "keyword" });
    this.SUBRULE(this.funnelStage);
    this.MANY(() => {
      this.CONSUME(Arrow);
      this.SUBRULE2(this.funnelStage);
    });
  });
  private funnelStage = this.RULE("funnelStage", () => {
    this.CONSUME(Name, { LABEL: "definition" });
    this.OPTION(() => this.CONSUME(PercentLiteral, { LABEL: "rate" }));
  });
  private money = this.RULE("money", () => {
    this.CONSUME(NumberLiteral, { LABEL: "amount" });
    this.CONSUME(Identifier, { LABEL: "currency" });
  });

  /** SPEC §8.4: leads excused from lead-level SLAs, by id or by a condition, until a date. */
  private waiverBlock = this.RULE("waiverBlock", () => {
    this.blockHeader(Kw.waiver, true);
    this.blockBody(CLAUSES.waiver, [
      () => this.SUBRULE(this.waiverSlaClause),
      () => this.SUBRULE(this.waiverLeadsClause),
      () => this.SUBRULE(this.whenClause),
      () => this.SUBRULE(this.periodsClause),
      () => this.SUBRULE(this.fromClause),
      () => this.SUBRULE(this.untilClause),
    ]);
    this.CONSUME(RCurly);
  });
  private waiverSlaClause = this.RULE("waiverSlaClause", () => {
    this.CONSUME(Kw.sla, { LABEL: "keyword" });
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.CONSUME(Name, { LABEL: "sla" }) });
  });
  private waiverLeadsClause = this.RULE("waiverLeadsClause", () => {
    this.CONSUME(Kw.leads, { LABEL: "keyword" });
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.CONSUME(StringLiteral, { LABEL: "lead" }) });
  });
  private periodsClause = this.RULE("periodsClause", () => {
    this.CONSUME(Kw.periods, { LABEL: "keyword" });
    this.AT_LEAST_ONE_SEP({
      SEP: Comma,
      DEF: () =>
        this.OR([
          { ALT: () => this.CONSUME(PeriodLiteral, { LABEL: "period" }) },
          { ALT: () => this.CONSUME(DateLiteral, { LABEL: "period" }) },
          { ALT: () => this.CONSUME(NumberLiteral, { LABEL: "period" }) },
        ]),
    });
  });
  private fromClause = this.RULE("fromClause", () => {
    this.CONSUME(Kw.from, { LABEL: "keyword" });
    this.CONSUME(DateLiteral, { LABEL: "value" });
  });
  private untilClause = this.RULE("untilClause", () => {
    this.CONSUME(Kw.until, { LABEL: "keyword" });
    this.CONSUME(DateLiteral, { LABEL: "value" });
  });

  // ---- expressions: or < and < not < predicate ----------------------------

  private orExpr = this.RULE("orExpr", () => {
    this.SUBRULE(this.andExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(Kw.or);
      this.SUBRULE2(this.andExpr, { LABEL: "operands" });
    });
  });
  private andExpr = this.RULE("andExpr", () => {
    this.SUBRULE(this.notExpr, { LABEL: "operands" });
    this.MANY(() => {
      this.CONSUME(Kw.and);
      this.SUBRULE2(this.notExpr, { LABEL: "operands" });
    });
  });
  private notExpr = this.RULE("notExpr", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Kw.not, { LABEL: "not" });
          this.SUBRULE(this.notExpr, { LABEL: "operand" });
        },
      },
      { ALT: () => this.SUBRULE(this.predicate, { LABEL: "predicate" }) },
    ]);
  });
  private predicate = this.RULE("predicate", () => {
    this.SUBRULE(this.atom);
    this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(CompareOperator, { LABEL: "compare" });
            this.SUBRULE(this.operand);
          },
        },
        {
          ALT: () => {
            this.OPTION2(() => this.CONSUME(Kw.not, { LABEL: "negated" }));
            this.CONSUME(Kw.in, { LABEL: "in" });
            this.SUBRULE(this.literalList);
          },
        },
        {
          ALT: () => {
            this.CONSUME(Kw.contains, { LABEL: "contains" });
            this.CONSUME(StringLiteral, { LABEL: "text" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(Kw.starts, { LABEL: "starts" });
            this.CONSUME(Kw.with);
            this.CONSUME2(StringLiteral, { LABEL: "text" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(Kw.ends, { LABEL: "ends" });
            this.CONSUME2(Kw.with);
            this.CONSUME3(StringLiteral, { LABEL: "text" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(Kw.is, { LABEL: "is" });
            this.OPTION3(() => this.CONSUME2(Kw.not, { LABEL: "isNot" }));
            this.CONSUME(Kw.set);
          },
        },
      ]),
    );
  });
  private atom = this.RULE("atom", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.orExpr, { LABEL: "inner" });
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.operand) },
    ]);
  });
  private operand = this.RULE("operand", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(Name, { LABEL: "ref" });
          // `lead.owner`: the lead's own field (touch filters); lowering says where it may stand.
          // The name after the dot is on its line: `lead.` cut short does not swallow the next clause's word.
          this.OPTION({
            GATE: () => this.LA(2).startLine === this.LA(1).startLine,
            DEF: () => {
              this.CONSUME(Dot, { LABEL: "dot" });
              this.CONSUME2(Name, { LABEL: "member" });
            },
          });
        },
      },
      { ALT: () => this.SUBRULE(this.literal) },
    ]);
  });
  private literal = this.RULE("literal", () => {
    this.OR([
      { ALT: () => this.CONSUME(StringLiteral, { LABEL: "string" }) },
      { ALT: () => this.CONSUME(PercentLiteral, { LABEL: "percent" }) },
      {
        ALT: () => {
          const amount = this.CONSUME(NumberLiteral, { LABEL: "number" });
          this.OPTION({
            GATE: () =>
              tokenMatcher(this.LA(1), Identifier) &&
              this.LA(1).startLine === amount.startLine &&
              CURRENCY_SHAPE.test(this.LA(1).image),
            DEF: () => this.CONSUME(Identifier, { LABEL: "currency" }),
          });
        },
      },
      { ALT: () => this.CONSUME(DateTimeLiteral, { LABEL: "dateTime" }) },
      { ALT: () => this.CONSUME(DateLiteral, { LABEL: "date" }) },
      { ALT: () => this.CONSUME(Kw.true, { LABEL: "true" }) },
      { ALT: () => this.CONSUME(Kw.false, { LABEL: "false" }) },
    ]);
  });
  private literalList = this.RULE("literalList", () => {
    this.CONSUME(LBracket);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.literal, { LABEL: "items" }) });
    this.CONSUME(RBracket);
  });
}

/** One instance: chevrotain parsers are reusable and expensive to build. */
export const policyParser = new PolicyParser();

import type { ITokenConfig, TokenType } from "chevrotain";
import { chevrotain } from "./chevrotain.js";

const { createToken: createChevrotainToken, Lexer } = chevrotain;

/**
 * Every concrete token also belongs to AnyToken, so the parser can skip a run of unexpected
 * tokens as one "junk" node and carry on, instead of giving up at the first mistake.
 */
export const AnyToken = createChevrotainToken({ name: "AnyToken", pattern: Lexer.NA });
function createToken(config: ITokenConfig): TokenType {
  if (config.pattern === Lexer.NA) return createChevrotainToken(config);
  return createChevrotainToken({ ...config, categories: ([] as TokenType[]).concat(config.categories ?? [], AnyToken) });
}

/**
 * Every word that is not an operator is a *soft* keyword: it also works as a name, because
 * fields such as `owner`, `date` or `type` collide with clause words. Only the words that can
 * continue an expression are reserved (see RESERVED_WORDS).
 */
export const Name = createToken({ name: "Name", pattern: Lexer.NA, label: "a name" });
export const Identifier = createToken({
  name: "Identifier",
  pattern: /[A-Za-z_][A-Za-z0-9_]*/,
  categories: [Name],
});

function keyword(word: string, soft: boolean): TokenType {
  return createToken({
    name: `Kw_${word}`,
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories: soft ? [Name] : [],
    label: `'${word}'`,
  });
}

const softWords = [
  "agreement", "version", "effective", "timezone", "calendar", "team", "approvers", "hours",
  "holidays", "fields", "pii", "one", "of", "from", "lead", "when", "since", "sla", "owner",
  "leads", "touches", "expect", "target", "per", "by", "severity", "count", "rate", "first",
  "touch", "within", "goal", "revenue", "average", "deal", "funnel", "business", "on", "set", "minimum",
  "format", "activity", "default", "quotas",
  // Waivers (SPEC §8.4).
  "waiver", "periods", "until",
] as const;
export const RESERVED_WORDS = [
  "and", "or", "not", "in", "contains", "starts", "ends", "with", "is", "true", "false",
] as const;

type SoftWord = (typeof softWords)[number];
type ReservedWord = (typeof RESERVED_WORDS)[number];

export const Kw = Object.fromEntries([
  ...softWords.map((w) => [w, keyword(w, true)]),
  ...RESERVED_WORDS.map((w) => [w, keyword(w, false)]),
]) as Record<SoftWord | ReservedWord, TokenType>;

export const WhiteSpace = createToken({
  name: "WhiteSpace",
  pattern: /[ \t\r\n\f\v\uFEFF]+/,
  group: Lexer.SKIPPED,
  line_breaks: true,
});
export const Comment = createToken({ name: "Comment", pattern: /#[^\r\n]*/, group: "comments" });

export const DateTimeLiteral = createToken({
  name: "DateTimeLiteral",
  pattern: /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?/,
  label: "a date and time",
});
export const DateLiteral = createToken({ name: "DateLiteral", pattern: /\d{4}-\d{2}-\d{2}/, label: "a date" });
/** A calendar period by its report key (SPEC §8.4 `periods`): a month 2027-01, a quarter 2027-Q1, an ISO week 2027-W05. */
export const PeriodLiteral = createToken({ name: "PeriodLiteral", pattern: /\d{4}-(?:Q[1-4]|W\d{2}|\d{2})/, label: "a period (2027-01, 2027-Q1, 2027-W05)" });
export const TimeLiteral = createToken({ name: "TimeLiteral", pattern: /\d{1,2}:\d{2}/, label: "a time of day" });
export const PercentLiteral = createToken({
  name: "PercentLiteral",
  pattern: /\d+(?:_\d+)*(?:\.\d+)?%/,
  label: "a percentage",
});
export const NumberLiteral = createToken({
  name: "NumberLiteral",
  pattern: /\d+(?:_\d+)*(?:\.\d+)?/,
  label: "a number",
});
export const StringLiteral = createToken({
  name: "StringLiteral",
  pattern: /"(?:[^"\\\r\n]|\\.)*"/,
  label: "a quoted text",
});
/** Recognised so the checker can say "unterminated string" instead of "unexpected character". */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\r\n]|\\.)*/,
  label: "a quoted text",
});
export const HandleLiteral = createToken({
  name: "HandleLiteral",
  pattern: /@[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?(?:\/[A-Za-z0-9](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)?/,
  label: "a GitHub handle (@user or @org/team)",
});

export const Arrow = createToken({ name: "Arrow", pattern: /->/, label: "'->'" });
export const LCurly = createToken({ name: "LCurly", pattern: /{/, label: "'{'" });
export const RCurly = createToken({ name: "RCurly", pattern: /}/, label: "'}'" });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "'('" });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "')'" });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "'['" });
export const RBracket = createToken({ name: "RBracket", pattern: /]/, label: "']'" });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','" });

export const CompareOperator = createToken({ name: "CompareOperator", pattern: Lexer.NA, label: "a comparison" });
const op = (name: string, pattern: RegExp, text: string) =>
  createToken({ name, pattern, categories: [CompareOperator], label: `'${text}'` });
export const GreaterEqual = op("GreaterEqual", />=/, ">=");
export const LessEqual = op("LessEqual", /<=/, "<=");
export const NotEqual = op("NotEqual", /!=/, "!=");
export const Equal = op("Equal", /=/, "=");
export const Greater = op("Greater", />/, ">");
export const Less = op("Less", /</, "<");
export const Minus = createToken({ name: "Minus", pattern: /-/, label: "'-'" });
/** `lead.owner`: a lead's own field inside a touches filter. After NumberLiteral, so `2.5` stays a number. */
export const Dot = createToken({ name: "Dot", pattern: /\./, label: "'.'" });
/** `"EMEA": london_office` in `calendar by` and `quotas` tables. After the time literals, so `09:00` stays one. */
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "':'" });

export const allTokens: TokenType[] = [
  WhiteSpace,
  Comment,
  DateTimeLiteral,
  DateLiteral,
  PeriodLiteral,
  TimeLiteral,
  PercentLiteral,
  NumberLiteral,
  StringLiteral,
  UnterminatedString,
  HandleLiteral,
  Arrow,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  GreaterEqual,
  LessEqual,
  NotEqual,
  Equal,
  Greater,
  Less,
  Minus,
  Dot,
  Colon,
  // Longest first, so `one` is not lexed as `on` followed by `e`, nor `touches` as `touch`.
  ...Object.values(Kw).sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Identifier,
  Name,
  CompareOperator,
  AnyToken,
];

/**
 * The lexer. `validate` checks the token definitions as it is built (bad patterns, tokens that
 * can never match): a test does, so a mistake in this file fails `npm test`. Every command skips
 * it: the definitions do not change at run time, and the check cost each run about 25 ms.
 */
export function makePolicyLexer(validate: boolean): InstanceType<typeof Lexer> {
  return new Lexer(allTokens, { ensureOptimizations: true, positionTracking: "full", skipValidations: !validate });
}

export const policyLexer = makePolicyLexer(false);

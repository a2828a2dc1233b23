import type { IParserErrorMessageProvider, IToken, TokenType } from "chevrotain";

function describe(token: IToken): string {
  if (token.tokenType.name === "EOF") return "the end of the file";
  return `'${token.image}'`;
}

function label(tokenType: TokenType): string {
  if (tokenType.name === "EOF") return "the end of the file";
  return tokenType.LABEL ?? tokenType.name;
}

function oneOf(labels: string[]): string {
  const unique = [...new Set(labels)];
  if (unique.length === 1) return unique[0] ?? "";
  return `${unique.slice(0, -1).join(", ")} or ${unique[unique.length - 1]}`;
}

const RULE_NAMES: Record<string, string> = {
  policyFile: "the file",
  agreementBlock: "the agreement block",
  teamBlock: "a team block",
  calendarBlock: "a calendar block",
  fieldsBlock: "the fields block",
  fieldDecl: "a field",
  leadBlock: "a lead definition",
  slaBlock: "an SLA",
  goalBlock: "a goal",
  expectClause: "'expect'",
  targetClause: "'target'",
  duration: "a duration",
  hoursClause: "'hours'",
  money: "an amount of money (like 25_000 USD)",
  literal: "a value",
  operand: "a value or field",
  atom: "a condition",
  predicate: "a condition",
  notExpr: "a condition",
  andExpr: "a condition",
  orExpr: "a condition",
  funnelStage: "a funnel stage",
  approversClause: "'approvers'",
  holidaysClause: "'holidays'",
  byClause: "'by'",
  leadsClause: "'leads'",
  touchesClause: "'touches'",
  formatClause: "'format'",
  activityFieldsBlock: "the activity fields block",
  waiverBlock: "a waiver",
  waiverSlaClause: "'sla'",
  waiverLeadsClause: "'leads'",
  periodsClause: "'periods'",
  fromClause: "'from'",
  untilClause: "'until'",
};

/** A rule without a name above, in words rather than as the grammar spells it (waiverLeadsClause). */
function where(ruleName: string): string {
  return RULE_NAMES[ruleName] ?? `'${ruleName.replace(/(Clause|Block)$/, "").replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase()}'`;
}

/** Messages for people who are not programmers: what was expected, in words, and what was found. */
export const parserErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${label(expected)} but found ${describe(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describe(firstRedundant)}: expected a block (agreement, team, calendar, fields, activity fields, lead, sla, goal or waiver)`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, ruleName }) {
    const firsts = expectedPathsPerAlt.flatMap((paths) => paths.map((path) => path[0])).filter((t) => t !== undefined);
    const found = actual[0] ? describe(actual[0]) : "nothing";
    return `expected ${oneOf(firsts.map(label))} in ${where(ruleName)} but found ${found}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, ruleName }) {
    const firsts = expectedIterationPaths.map((path) => path[0]).filter((t) => t !== undefined);
    const found = actual[0] ? describe(actual[0]) : "nothing";
    return `expected ${oneOf(firsts.map(label))} in ${where(ruleName)} but found ${found}`;
  },
};

import type * as A from "../../lang/ast.js";
import type { SymbolTable } from "../../lang/check/symbols.js";
import { assertNever } from "../../lang/never.js";
import { cat, day, id, instant, list, money, number, percent, spoken, value, type Phrase } from "./phrase.js";

/** What a sentence needs to know about the rest of the policy set: declarations by id. */
export interface Lookup {
  agreement: A.AgreementBlock | undefined;
  field(name: string): A.FieldDecl | undefined;
  lead(name: string): A.LeadBlock | undefined;
  team(name: string): A.TeamBlock | undefined;
  calendar(name: string): A.CalendarBlock | undefined;
}

export function lookupOf(symbols: SymbolTable): Lookup {
  return {
    agreement: symbols.agreement?.node,
    field: (name) => symbols.fields.get(name)?.node,
    lead: (name) => symbols.leads.get(name)?.node,
    team: (name) => symbols.teams.get(name)?.node,
    calendar: (name) => symbols.calendars.get(name)?.node,
  };
}

/** Conditions nest as deep as the parser allows; past this a sentence would be unreadable anyway. */
const MAX_DEPTH = 48;

/** Where a condition is read: on a lead (`when`) or on an activity (`touches`). */
export type Scope = "lead" | "activity";

interface Ctx {
  lookup: Lookup;
  scope: Scope;
}

export function literalWords(lit: A.Literal): Phrase {
  switch (lit.kind) {
    case "String":
      return value(lit.value);
    case "Number":
      return cat(number(lit.value));
    case "Percent":
      return cat(percent(lit.value));
    case "Money":
      return cat(money(lit.amount, lit.currency));
    case "Date":
      return cat(day(lit.value));
    case "DateTime":
      return cat(instant(lit.value));
    case "Boolean":
      return cat(lit.value ? "yes" : "no");
  }
}

function subject(ref: A.RefExpr, ctx: Ctx): Phrase {
  return cat("its ", ctx.scope === "lead" ? fieldWords(ref.name.name, ctx.lookup) : spoken(ref.name.name));
}

/** A field as a manager knows it: the CRM column it is read from, else its name read aloud. */
export function fieldWords(name: string, lookup: Lookup): string {
  return lookup.field(name)?.column?.value ?? spoken(name);
}

/** Top-level parts may hold commas and lists themselves, so each after the first gets ", and"/", or". */
function series(parts: readonly Phrase[], word: string): Phrase {
  return cat(...parts.flatMap((p, i) => (i === 0 ? [p] : [`, ${word} `, p])));
}
function isTemporal(operand: A.Operand, ctx: Ctx): boolean {
  if (operand.kind === "Date" || operand.kind === "DateTime") return true;
  if (operand.kind === "LeadField") {
    const type = ctx.lookup.field(operand.field.name)?.type;
    return type === "time" || type === "date";
  }
  if (operand.kind !== "Ref" || ctx.scope === "activity") return operand.kind === "Ref" && operand.name.name === "at";
  const type = ctx.lookup.field(operand.name.name)?.type;
  return type === "time" || type === "date";
}

const COMPARE_WORDS: Record<A.CompareOp, { plain: string; temporal: string }> = {
  "=": { plain: "is", temporal: "is" },
  "!=": { plain: "is not", temporal: "is not" },
  "<": { plain: "is less than", temporal: "is before" },
  "<=": { plain: "is at most", temporal: "is on or before" },
  ">": { plain: "is more than", temporal: "is after" },
  ">=": { plain: "is at least", temporal: "is on or after" },
};

/** "is at least" → "is not at least"; "is not" → "is". */
function negateVerb(verb: string): string {
  return verb.startsWith("is not") ? `is${verb.slice("is not".length)}` : verb.replace(/^is/, "is not");
}

function operand(o: A.Operand, ctx: Ctx): Phrase {
  if (o.kind === "LeadField") return cat("the lead's ", fieldWords(o.field.name, ctx.lookup));
  return o.kind === "Ref" ? subject(o, ctx) : literalWords(o);
}

function compare(e: A.CompareExpr, ctx: Ctx, negated: boolean): Phrase {
  const words = COMPARE_WORDS[e.op];
  const verb = isTemporal(e.left, ctx) || isTemporal(e.right, ctx) ? words.temporal : words.plain;
  return cat(operand(e.left, ctx), ` ${negated ? negateVerb(verb) : verb} `, operand(e.right, ctx));
}

function inList(e: A.InExpr, ctx: Ctx, negated: boolean): Phrase {
  const values = e.values.map(literalWords);
  const not = e.negated !== negated;
  const head = subject(e.subject, ctx);
  if (values.length === 0) return cat(head, not ? " is anything (an empty list excludes nothing)" : " is in an empty list (never true)");
  if (!not) return cat(head, values.length > 2 ? " is one of " : " is ", list(values, "or"));
  if (values.length === 1) return cat(head, " is not ", values[0]!);
  return values.length === 2 ? cat(head, " is neither ", values[0]!, " nor ", values[1]!) : cat(head, " is none of ", list(values, "or"));
}

const TEXT_WORDS: Record<A.TextOp, { yes: string; no: string }> = {
  contains: { yes: "contains", no: "does not contain" },
  "starts with": { yes: "starts with", no: "does not start with" },
  "ends with": { yes: "ends with", no: "does not end with" },
};

function ref(e: A.RefExpr, ctx: Ctx, negated: boolean): Phrase {
  const name = e.name.name;
  if (ctx.scope === "lead" && ctx.lookup.lead(name)) return cat(negated ? "it is not " : "it is ", id(name));
  return cat(subject(e, ctx), negated ? " is not yes" : " is yes");
}

/** Strips parentheses: the sentence's own structure (either/both) shows the grouping. */
function bare(e: A.Expr): A.Expr {
  let x = e;
  for (let i = 0; x.kind === "Paren" && i < MAX_DEPTH; i++) x = x.inner;
  return x;
}

/**
 * A condition as words. `negated` pushes a surrounding `not` down to the words of an atom
 * ("does not end with") rather than leaving "not (…)". `nested` says a list sits inside another,
 * so it is opened with "either"/"both" to keep the grouping.
 */
function words(expr: A.Expr, ctx: Ctx, negated: boolean, nested: boolean, depth: number): Phrase {
  if (depth > MAX_DEPTH) return cat("(a condition nested too deeply to put in words)");
  const e = bare(expr);
  switch (e.kind) {
    case "Paren":
      return cat("(a condition nested too deeply to put in words)");
    case "Not":
      return words(e.operand, ctx, !negated, nested, depth + 1);
    case "And":
    case "Or": {
      // not (A and B) reads "not both A and B"; not (A or B) reads "neither A nor B".
      const parts = e.operands.map((o) => words(o, ctx, false, true, depth + 1));
      const and = e.kind === "And";
      if (negated) return and ? cat(parts.length === 2 ? "not both " : "not all of ", list(parts, "and")) : cat(parts.length === 2 ? "neither " : "none of ", list(parts, parts.length === 2 ? "nor" : "or"));
      if (!nested) return series(parts, and ? "and" : "or");
      return and ? cat(parts.length === 2 ? "both " : "all of ", list(parts, "and")) : cat("either ", list(parts, "or"));
    }
    case "Ref":
      return ref(e, ctx, negated);
    case "Compare":
      return compare(e, ctx, negated);
    case "In":
      return inList(e, ctx, negated);
    case "TextMatch": {
      const w = TEXT_WORDS[e.op];
      return cat(subject(e.subject, ctx), ` ${negated ? w.no : w.yes} `, value(e.value.value), " (in any letter case)");
    }
    case "IsSet":
      return cat(subject(e.subject, ctx), e.negated !== negated ? " is empty" : " is filled in");
    case "Boolean":
      return cat(e.value !== negated ? "always" : "never");
    case "String":
    case "Number":
    case "Percent":
    case "Money":
    case "Date":
    case "DateTime":
      return cat(negated ? "not " : "", literalWords(e));
    default:
      return assertNever(e);
  }
}

/** A `when` or `touches` condition as words ("its lead score is at least 60, and …"). */
export function conditionWords(expr: A.Expr, lookup: Lookup, scope: Scope): Phrase {
  return words(expr, { lookup, scope }, false, false, 0);
}

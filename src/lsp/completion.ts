import type { SymbolTable } from "../lang/check/symbols.js";
import { CLAUSES, FIELD_TYPES, PERIODS, SEVERITIES } from "../lang/vocabulary.js";
import { activityFieldTypes } from "../lang/check/fields.js";

/** What fits at the cursor, decided from the text before it; the checker says whether it is right. */
export type CompletionKind = "keyword" | "field" | "definition" | "team" | "calendar" | "zone" | "value" | "sla";

export interface Suggestion {
  label: string;
  kind: CompletionKind;
  /** Text to insert when it differs from the label (a zone goes in quotes). */
  insert?: string | undefined;
  detail?: string | undefined;
}

const BLOCKS = ["agreement", "team", "calendar", "fields", "lead", "sla", "goal", "waiver"] as const;
type BlockWord = (typeof BLOCKS)[number];
const CONDITION_WORDS = ["and", "or", "not", "in", "is set", "is not set", "contains", "starts with", "ends with"];

interface Context {
  block: BlockWord | undefined;
  clause: string | undefined;
  previous: string | undefined;
  /** The cursor is the first word on its line (a new clause or block may start). */
  lineStart: boolean;
  /** Words already on the cursor's line inside a fields block. */
  wordsOnLine: number;
}

const TOKEN = /"(?:[^"\\\n]|\\.)*"?|->|[A-Za-z_][A-Za-z0-9_]*|[^\sA-Za-z_]/g;

/** Reads the text before the cursor: the enclosing block, its current clause and the word before. */
export function contextAt(textBefore: string): Context {
  const code = textBefore.replace(/#[^\n]*/g, "");
  const lineText = code.slice(code.lastIndexOf("\n") + 1);
  const partial = /[A-Za-z_][A-Za-z0-9_]*$/.exec(code)?.[0] ?? "";
  const tokens = code.slice(0, code.length - partial.length).match(TOKEN) ?? [];
  let depth = 0;
  let block: BlockWord | undefined;
  let clause: string | undefined;
  let candidate: BlockWord | undefined;
  for (const t of tokens) {
    if (t === "{") {
      depth++;
      if (depth === 1) {
        block = candidate;
        clause = undefined;
      }
    } else if (t === "}") {
      depth = Math.max(0, depth - 1);
      if (depth === 0) block = undefined;
    } else if (depth === 0 && (BLOCKS as readonly string[]).includes(t)) candidate = t as BlockWord;
    // Inside a clause's own `{…}` (a `calendar by` or `quotas` table) words are not clauses.
    else if (block && depth === 1 && block !== "fields" && (CLAUSES[block] as readonly string[]).includes(t)) clause = t;
  }
  const lineWords = lineText.slice(0, lineText.length - partial.length).trim();
  return {
    block: depth > 0 ? block : undefined,
    clause,
    previous: tokens[tokens.length - 1],
    lineStart: lineWords === "" || lineWords.endsWith("{"),
    wordsOnLine: lineWords === "" ? 0 : lineWords.split(/\s+/).length,
  };
}

function keywords(words: readonly string[]): Suggestion[] {
  return words.map((label) => ({ label, kind: "keyword" }));
}

function names(symbols: SymbolTable, kind: "field" | "definition" | "team" | "calendar", filter: (type: string) => boolean = () => true): Suggestion[] {
  switch (kind) {
    case "field":
      return [...symbols.fields.values()].filter((f) => filter(f.node.type)).map((f) => ({ label: f.node.name.name, kind, detail: f.node.type }));
    case "definition":
      return [...symbols.leads.values()].map((l) => ({ label: l.node.id.name, kind, detail: l.node.title?.value }));
    case "team":
      return [...symbols.teams.values()].map((t) => ({ label: t.node.id.name, kind, detail: t.node.title?.value }));
    case "calendar":
      return [...symbols.calendars.values()].map((c) => ({ label: c.node.id.name, kind }));
  }
}

let zones: Suggestion[] | undefined;
function timeZones(): Suggestion[] {
  zones ??= Intl.supportedValuesOf("timeZone").map((z) => ({ label: z, kind: "zone" as const, insert: `"${z}"` }));
  return zones;
}

/** The SLAs a waiver may name: the lead-by-lead ones (a waiver on a count or rate SLA is E0702). */
function waivableSlas(symbols: SymbolTable): Suggestion[] {
  return [...symbols.slas.values()]
    .filter((s) => s.node.expect?.kind === "FirstTouchExpectation" || s.node.expect?.kind === "TouchesExpectation")
    .map((s) => ({ label: s.node.id.name, kind: "sla" as const, detail: s.node.title?.value }));
}

/** In a waiver: SLA ids after `sla`; nothing to offer after `leads` (quoted lead ids) or `from`/`until`/`periods` (dates). */
function waiverCompletion(previous: string | undefined, clause: string | undefined, symbols: SymbolTable): Suggestion[] | undefined {
  if (previous === "sla" || (previous === "," && clause === "sla")) return waivableSlas(symbols);
  if (previous === "leads" || previous === "from" || previous === "until" || previous === "periods" || previous === ",") return [];
  return undefined;
}

/** Suggestions for the cursor, from the text before it and the names the policy set declares. */
export function complete(textBefore: string, symbols: SymbolTable): Suggestion[] {
  const c = contextAt(textBefore);
  if (!c.block) return keywords(BLOCKS);
  const time = (t: string) => t === "time" || t === "date";
  const inWaiver = c.block === "waiver" ? waiverCompletion(c.previous, c.clause, symbols) : undefined;
  if (inWaiver) return inWaiver;
  // `owner = lead.` in a touch filter: the lead's own fields.
  // (By the block: `owner` in `owner = lead.` reads as the SLA's owner clause.)
  if (c.block === "sla" && /\blead\.[A-Za-z0-9_]*$/.test(textBefore)) return names(symbols, "field");
  switch (c.previous) {
    case "owner":
      return names(symbols, "team");
    case "leads":
    case "funnel":
    case "->":
      return names(symbols, "definition");
    case "calendar":
      // An SLA may also pick its calendar per lead: `calendar by region { "EMEA": london } default ny`.
      return c.block === "sla" ? [...names(symbols, "calendar"), ...keywords(["by"])] : names(symbols, "calendar");
    case "on":
    case "default":
      return names(symbols, "calendar");
    case ":":
      // Only `calendar by`'s table has `"VALUE": ID` in an SLA (its `by` reads as the clause word).
      return c.block === "sla" ? names(symbols, "calendar") : [];
    case "timezone":
      return timeZones();
    case "since":
      return names(symbols, "field", time);
    case "per":
      return keywords(PERIODS);
    case "severity":
      return keywords(SEVERITIES);
    case "by":
      return names(symbols, "field");
    case "from":
      return c.block === "goal" ? names(symbols, "field", (t) => t === "money" || t === "number") : c.block === "sla" ? names(symbols, "field", time) : [];
    case "of":
      return c.clause === "expect" ? names(symbols, "definition") : [];
    case ",":
      if (c.clause === "owner") return names(symbols, "team");
      if (c.clause === "by") return names(symbols, "field");
      break;
    default:
      break;
  }
  if (c.block === "fields") return c.wordsOnLine === 1 ? keywords(FIELD_TYPES) : c.wordsOnLine > 1 ? keywords(["pii", "from", "one of", "format"]) : [];
  const clauses = c.lineStart ? keywords(CLAUSES[c.block]) : [];
  if (c.clause === "when") return [...clauses, ...names(symbols, "field"), ...names(symbols, "definition"), ...keywords(CONDITION_WORDS)];
  if (c.clause === "touches") return [...clauses, ...[...activityFieldTypes(symbols).keys()].map((label) => ({ label, kind: "field" as const })), ...keywords(CONDITION_WORDS)];
  return clauses;
}

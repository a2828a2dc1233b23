import type * as A from "../ast.js";
import { diagnostic, type Diagnostic } from "../diagnostics.js";
import type { CheckContext } from "./context.js";
import { printExpr } from "../format.js";
import { periodSpan } from "../period-literal.js";
import { isLeadLevel, slaKindOf } from "../sla-kind.js";
import { Suggestions } from "../suggest.js";
import { ExpressionChecker } from "./expressions.js";
import type { Located, SymbolTable } from "./symbols.js";

/** The days a waiver can apply to: from its start (or any time) to its `until`, as ISO dates; "" when open. */
interface Window {
  first: string;
  last: string;
}

function windowOf(w: A.WaiverBlock): Window {
  const spans = w.periods.flatMap((p) => periodSpan(p.text) ?? []);
  const starts = [...(w.from ? [w.from.value] : []), ...(spans.length > 0 ? [spans.map((s) => s.first).sort()[0]!] : [])];
  return { first: starts.sort().reverse()[0] ?? "", last: w.until?.value ?? "9999-12-31" };
}

const intersect = (a: Window, b: Window) => a.first <= b.last && b.first <= a.last;

/**
 * A waiver (SPEC §8.4) names known lead-level SLAs, its leads by id or by a condition on lead
 * fields (not both), a reason, and an `until` no earlier than its start.
 */
export function waiverClauses(w: A.WaiverBlock, file: string, ctx: CheckContext): void {
  checkWaiver({ node: w, file }, ctx.symbols, slaSuggestions(ctx.symbols), ctx, ctx.diagnostics);
}

/** Two waivers excusing the same lead from the same SLA at the same time are a warning (W0701). */
export function waiverOverlaps(ctx: CheckContext): void {
  /** (SLA, lead id or condition) → the first waiver that excuses it. */
  const seen = new Map<string, { id: string; window: Window }>();
  for (const loc of ctx.symbols.waivers.values()) overlaps(loc, seen, ctx.diagnostics);
}

/** One index per symbol table: building it per waiver would cost a pass over the SLAs each. */
const slaIndexes = new WeakMap<SymbolTable, Suggestions>();
function slaSuggestions(symbols: SymbolTable): Suggestions {
  let index = slaIndexes.get(symbols);
  if (!index) {
    index = new Suggestions(symbols.slas.keys());
    slaIndexes.set(symbols, index);
  }
  return index;
}

function checkWaiver(loc: Located<A.WaiverBlock>, symbols: SymbolTable, slaNames: Suggestions, ctx: CheckContext, out: Diagnostic[]): void {
  const { node: w, file } = loc;
  const name = `waiver '${w.id.name}'`;
  const report = (code: Parameters<typeof diagnostic>[0], message: string, range: A.Ident["range"]) => out.push(diagnostic(code, message, file, range));
  // The title is the reason every report and the pull-request comment quote: an empty one says nothing.
  if (!w.title || w.title.value.trim() === "") report("E0103", `${name} needs a title saying why, e.g. waiver ${w.id.name} "L7 was a duplicate of L3"`, w.id.range);
  if (w.slas.length === 0) report("E0103", `${name} needs 'sla ID': which SLA it excuses leads from`, w.id.range);
  for (const s of w.slas) {
    const sla = symbols.slas.get(s.name)?.node;
    if (!sla) report("E0701", `${name} names unknown SLA '${s.name}'${slaNames.didYouMean(s.name)}`, s.range);
    else if (sla.expect && !isLeadLevel(slaKindOf(sla.expect))) {
      report("E0702", `SLA '${s.name}' counts leads (a ${slaKindOf(sla.expect)} SLA): a waiver excuses leads from lead-by-lead SLAs, not from a target`, s.range);
    }
  }
  if (w.leads.length > 0 && w.when) {
    report("E0704", `${name} names its leads by id and by a condition; keep one ('leads "ID", …' or 'when …')`, w.when.range);
  } else if (w.leads.length === 0 && !w.when) {
    report("E0103", `${name} needs 'leads "ID", …' or 'when CONDITION': which leads it excuses`, w.id.range);
  }
  if (w.when) new ExpressionChecker(ctx.leadScope(), file, out).condition(w.when);
  if (!w.until) {
    report("E0103", `${name} needs 'until DATE': no waiver lasts for ever`, w.id.range);
    return;
  }
  const until = w.until.value;
  if (w.from && w.from.value > until) report("E0703", `${name} ends (${until}) before it starts (from ${w.from.value})`, w.until.range);
  for (const p of w.periods) {
    const span = periodSpan(p.text);
    if (span && span.first > until) report("E0703", `period ${p.text} starts after the waiver ends (${until}); the waiver would have expired before any of its leads`, p.range);
  }
}

function overlaps(loc: Located<A.WaiverBlock>, seen: Map<string, { id: string; window: Window }>, out: Diagnostic[]): void {
  const w = loc.node;
  const window = windowOf(w);
  const who = w.leads.length > 0 ? w.leads.map((l) => ({ key: `lead ${l.value}`, words: `lead "${l.value}"`, range: l.range })) : w.when ? [{ key: `when ${printExpr(w.when)}`, words: "the same leads", range: w.when.range }] : [];
  for (const s of w.slas) {
    for (const x of who) {
      const key = `${s.name}\u0000${x.key}`;
      const first = seen.get(key);
      if (!first) {
        seen.set(key, { id: w.id.name, window });
      } else if (first.id !== w.id.name && intersect(first.window, window)) {
        out.push(diagnostic("W0701", `waiver '${w.id.name}' excuses ${x.words} from '${s.name}' as waiver '${first.id}' already does, at the same time; keep one`, loc.file, x.range));
      }
    }
  }
}

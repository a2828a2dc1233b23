import type * as A from "../../lang/ast.js";
import { conditionWords, type Lookup } from "./conditions.js";
import { cat, day, id, list, value, type Phrase } from "./phrase.js";

/**
 * A waiver in words (SPEC §8.4): which leads are excused from which SLAs, for which time, until
 * when, and why. The pull-request comment and `diff` quote it, so a reviewer signs what it says.
 */
export function waiverSentence(w: A.WaiverBlock, lookup: Lookup): Phrase {
  const who =
    w.leads.length > 0
      ? cat(w.leads.length === 1 ? "Lead " : "Leads ", list(w.leads.map((l) => value(l.value))), w.leads.length === 1 ? " is" : " are")
      : w.when
        ? cat("Leads whose ", conditionWords(w.when, lookup, "lead"), " are")
        : cat("No lead is named, so no lead is");
  const slas = w.slas.length > 0 ? list(w.slas.map((s) => id(s.name))) : cat("no SLA");
  const span: Phrase[] = [];
  if (w.periods.length > 0) span.push(cat(" for clocks that start in ", list(w.periods.map((p) => cat(p.text)), "or")));
  if (w.from) span.push(cat(w.periods.length > 0 ? ", on or after " : " for clocks that start on or after ", day(w.from.value), ","));
  const until = w.until ? cat(" until ", day(w.until.value), " (the waiver then expires and the leads count again)") : " with no end date given";
  const why = w.title ? cat(". The reason given: ", value(w.title.value), ".") : ". No reason is given.";
  return cat(who, " excused from ", slas, ...span, until, ": reported as waived, and left out of met and breached", why);
}

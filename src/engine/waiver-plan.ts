import type { SymbolTable } from "../lang/check/symbols.js";
import { printExpr } from "../lang/format.js";
import { periodSpan } from "../lang/period-literal.js";
import { slotsIn, toIr, type Ir, type IrScope } from "./ir.js";
import { compilePredicate, type Predicate } from "./predicate.js";
import { dayOfIsoDate, type Zone } from "./time.js";

/** Which leads a waiver names: by id, or by a condition on lead fields (and definitions). */
export type WaivedLeads =
  | { kind: "ids"; ids: readonly string[]; set: ReadonlySet<string> }
  | { kind: "condition"; ir: Ir; predicate: Predicate; text: string };

/**
 * A waiver compiled (SPEC §8.4): times are epoch ms in the agreement's zone. It excuses a lead
 * whose clock starts in [from, untilEnd) and, when periods are given, in one of them, while
 * as_of is before untilEnd; from then on it has expired (W0703) and excuses nothing.
 */
export interface WaiverPlan {
  id: string;
  title: string;
  slas: readonly string[];
  leads: WaivedLeads;
  from: number;
  /** The `until` day as written (yyyy-mm-dd): the last day the waiver is in force. */
  until: string;
  /** Local midnight after the `until` day. */
  untilEnd: number;
  /** Clock spans [start, end) of the `periods` clause; null: any time. */
  periods: ReadonlyArray<readonly [number, number]> | null;
}

/** The waivers of a checked policy set (no errors), in the order written. */
export function waiverPlans(symbols: SymbolTable, zone: Zone, scope: IrScope): WaiverPlan[] {
  const midnight = (iso: string) => zone.startOfDay(dayOfIsoDate(iso));
  return [...symbols.waivers.values()].map(({ node }) => {
    const ids = node.leads.map((l) => l.value);
    let leads: WaivedLeads;
    if (node.when) {
      const ir = toIr(node.when, scope);
      leads = { kind: "condition", ir, predicate: compilePredicate(ir), text: printExpr(node.when) };
    } else {
      leads = { kind: "ids", ids, set: new Set(ids) };
    }
    const until = node.until!.value;
    const spans = node.periods.flatMap((p) => periodSpan(p.text) ?? []);
    return {
      id: node.id.name,
      title: node.title?.value ?? "",
      slas: node.slas.map((s) => s.name),
      leads,
      from: node.from ? midnight(node.from.value) : -Infinity,
      until,
      untilEnd: midnight(periodSpan(until)!.next),
      periods: spans.length === 0 ? null : spans.map((s) => [midnight(s.first), midnight(s.next)] as const),
    };
  });
}

/** The lead fields waivers' conditions read once a lead is classified (see slotsReadAfterClassifying). */
export function waiverSlots(waivers: readonly WaiverPlan[]): number[] {
  return waivers.flatMap((w) => (w.leads.kind === "condition" ? slotsIn(w.leads.ir) : []));
}

import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/engine/plan.js";
import type * as A from "../../src/lang/ast.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { CALENDARS, calendarByPolicyArb, DEF_IDS, policyWithWaiversArb, runEngine, snapshotArb, ZONE, type Rec, type Snapshot } from "./generators.js";

/**
 * A deliberately simple reference evaluator: it interprets the AST directly, finds periods with
 * luxon for every lead, and walks business time minute by minute. It shares nothing with the
 * engine but the parser, so agreeing with it on random policies and snapshots means something.
 */
function refExpr(e: A.Expr | A.LeadFieldRef, lead: Rec, defs: Record<string, boolean>, owner: Rec = {}): boolean | string | number | null {
  // `lead` is the record the condition reads (an activity, for a touch filter); `owner` is that activity's lead.
  const rec = (x: A.Expr | A.LeadFieldRef) => refExpr(x, lead, defs, owner);
  switch (e.kind) {
    case "And":
      return e.operands.every((o) => rec(o) === true);
    case "Or":
      return e.operands.some((o) => rec(o) === true);
    case "Not":
      return rec(e.operand) !== true;
    case "Paren":
      return rec(e.inner);
    case "Ref":
      return e.name.name in defs ? defs[e.name.name]! : lead[e.name.name] ?? null;
    case "Compare": {
      const l = rec(e.left);
      const r = rec(e.right);
      if (l === null || r === null) return false;
      return { "=": l === r, "!=": l !== r, "<": l < r, "<=": l <= r, ">": l > r, ">=": l >= r }[e.op];
    }
    case "In": {
      const v = lead[e.subject.name.name] ?? null;
      const hit = v !== null && e.values.some((x) => (x.kind === "String" || x.kind === "Number" ? x.value === v : false));
      return e.negated ? !hit : hit;
    }
    case "TextMatch": {
      const v = lead[e.subject.name.name];
      if (typeof v !== "string") return false;
      const s = v.toLowerCase();
      const n = e.value.value.toLowerCase();
      return e.op === "contains" ? s.includes(n) : e.op === "starts with" ? s.startsWith(n) : s.endsWith(n);
    }
    case "IsSet": {
      const v = lead[e.subject.name.name];
      const set = v !== null && v !== undefined && v !== "";
      return e.negated ? !set : set;
    }
    case "LeadField":
      return owner[e.field.name] ?? null;
    case "String":
    case "Number":
    case "Boolean":
      return e.value;
    default:
      throw new Error(`reference does not handle ${e.kind}`);
  }
}

function openAt(ms: number, calendar: string): boolean {
  const open = CALENDARS[calendar]!;
  const t = DateTime.fromMillis(ms, { zone: ZONE });
  if (t.weekday > 5 || t.toISODate() === open.holiday) return false;
  const minute = t.hour * 60 + t.minute;
  return minute >= open.from && minute < open.to;
}

/** Walks forward a minute at a time, counting only open minutes. */
function refBusinessDeadline(start: number, minutes: number, calendar: string): number {
  let t = start;
  let left = minutes;
  while (left > 0) {
    if (openAt(t, calendar)) left--;
    t += 60_000;
  }
  return t;
}

/** The calendar a lead's deadline is counted in: `calendar by`'s pick for its value, else the agreement's. */
function refCalendar(sla: A.SlaBlock, lead: Rec): string {
  const by = sla.calendarBy;
  if (!by) return "office";
  const value = lead[by.field.name];
  return by.cases.find((c) => c.value.value === value)?.calendar.name ?? by.fallback!.name;
}

/** Whether a clock time falls in a period written as a report names it, found with luxon. */
function refInPeriod(clock: number, text: string): boolean {
  const t = DateTime.fromMillis(clock, { zone: ZONE });
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return t.toISODate() === text;
  if (/^\d{4}-W\d{2}$/.test(text)) return t.toFormat("kkkk-'W'WW") === text;
  if (/^\d{4}-Q\d$/.test(text)) return `${t.year}-Q${t.quarter}` === text;
  if (/^\d{4}-\d{2}$/.test(text)) return t.toFormat("yyyy-MM") === text;
  return String(t.year) === text;
}

/** The first waiver that excuses a lead (SPEC §8.4), straight from the AST: in force at as_of, covering the clock, naming the lead. */
function refWaiver(waivers: readonly A.WaiverBlock[], lead: Rec, defs: Record<string, boolean>, clock: number, asOf: number): string | null {
  for (const w of waivers) {
    const end = DateTime.fromISO(w.until!.value, { zone: ZONE }).plus({ days: 1 }).toMillis();
    if (asOf >= end || clock >= end) continue;
    if (w.from && clock < DateTime.fromISO(w.from.value, { zone: ZONE }).toMillis()) continue;
    if (w.periods.length > 0 && !w.periods.some((p) => refInPeriod(clock, p.text))) continue;
    const named = w.when ? refExpr(w.when, lead, defs) === true : w.leads.some((l) => l.value === lead["id"]);
    if (named) return w.id.name;
  }
  return null;
}

/** The engine against the reference on one random policy and snapshot: definitions, lead outcomes, every result's counts. */
function agree(policyText: string, snap: Snapshot): void {
    const analyzed = analyzePolicySet([{ path: "p.policy", text: policyText }]);
    const errors = analyzed.diagnostics.filter((d) => d.severity === "error");
    fc.pre(errors.length === 0);
    const plan = buildPlan(analyzed.symbols);
    const { leads, activities, asOf, evaluator, engine } = runEngine(plan, snap);

    // The reference.
    const leadBlocks = analyzed.files[0]!.blocks.filter((b): b is A.LeadBlock => b.kind === "Lead");
    const sla = analyzed.files[0]!.blocks.find((b): b is A.SlaBlock => b.kind === "Sla")!;
    const defCounts: Record<string, number> = Object.fromEntries(DEF_IDS.map((d) => [d, 0]));
    const waivers = analyzed.files[0]!.blocks.filter((b): b is A.WaiverBlock => b.kind === "Waiver");
  const cells = new Map<string, { leads: number; hits: number; met: number; breached: number; pending: number; waived: number }>();
    const outcomes: Record<string, string> = {};
    const per = sla.per?.name as A.Period | undefined;
    for (const lead of leads) {
      const defs: Record<string, boolean> = {};
      for (const block of leadBlocks) {
        defs[block.id.name] = refExpr(block.when!, lead, defs) === true;
        if (defs[block.id.name]) defCounts[block.id.name]!++;
      }
      if (!defs[sla.leads!.name]) continue;
      const clock = lead[sla.clock!.name] as number | null;
      if (clock === null) {
        outcomes[lead["id"] as string] = "no_clock";
        continue;
      }
      // --as-of cuts everything (SPEC §8.1): a clock that starts after it has not started.
      if (clock > asOf) continue;
      const period = per ? DateTime.fromMillis(clock, { zone: ZONE }).startOf(per).toMillis() : 0;
      const group = sla.by.length ? String(lead[sla.by[0]!.name] ?? "(none)") : "all";
      const key = `${period}|${group}`;
      const cell = cells.get(key) ?? { leads: 0, hits: 0, met: 0, breached: 0, pending: 0, waived: 0 };
      cells.set(key, cell);
      cell.leads++;
      const expect = sla.expect!;
      if (expect.kind === "RateExpectation" && defs[expect.definition.name]) cell.hits++;
      if (expect.kind !== "FirstTouchExpectation" && expect.kind !== "TouchesExpectation") continue;
      const d = expect.within;
      const deadline = d.business
        ? refBusinessDeadline(clock, d.amount.value * (d.unit === "hours" ? 60 : 1), refCalendar(sla, lead))
        : clock + d.amount.value * { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 }[d.unit];
      // The touch filter, read from the AST on each activity and its lead (`owner = lead.owner`).
      const counts = (a: Rec) => sla.touches === undefined || refExpr(sla.touches, a, {}, lead) === true;
      const touches = activities.filter((a) => a.lead === lead["id"] && counts(a) && a.at >= clock && a.at <= asOf);
      let outcome: string;
      if (expect.kind === "FirstTouchExpectation") {
        const first = Math.min(...touches.map((t) => t.at));
        outcome = first <= deadline ? "met" : asOf < deadline ? "pending" : "breached";
      } else {
        const n = touches.filter((t) => t.at <= deadline).length;
        const ok = expect.op === "<=" ? n <= expect.value.value : n >= expect.value.value;
        if (asOf >= deadline) outcome = ok ? "met" : "breached";
        else if (expect.op === "<=") outcome = ok ? "pending" : "breached";
        else outcome = ok ? "met" : "pending";
      }
      if (refWaiver(waivers, lead, defs, clock, asOf) !== null) outcome = "waived";
      outcomes[lead["id"] as string] = outcome;
      cell[outcome as "met" | "breached" | "pending" | "waived"]++;
    }

    // Zero is a number (SPEC §8.1): a count SLA has a result for every period up to as_of
    // (from the first lead's; the random agreements have no effective date) and every group
    // that a lead of the snapshot or the `one of` list names, 0 where no lead counted.
    if (sla.expect!.kind === "CountExpectation") {
      const starts = [...cells.keys()].map((k) => Number(k.split("|")[0]));
      const periods: number[] = [];
      if (!per) periods.push(0);
      else {
        const last = DateTime.fromMillis(asOf, { zone: ZONE }).startOf(per);
        let at = starts.length > 0 ? DateTime.fromMillis(Math.min(...starts), { zone: ZONE }) : last;
        for (; at <= last; at = at.plus({ [per]: 1 }).startOf(per)) periods.push(at.toMillis());
      }
      const byField = sla.by[0]?.name;
      const groups = !byField ? ["all"] : [...new Set([...leads.map((l) => String(l[byField] ?? "(none)")), ...(byField === "stage" ? ["a", "b", "c"] : [])])];
      for (const p of periods) for (const g of groups) if (!cells.has(`${p}|${g}`)) cells.set(`${p}|${g}`, { leads: 0, hits: 0, met: 0, breached: 0, pending: 0, waived: 0 });
    }

    expect(engine.definitions).toEqual(defCounts);
    const engineOutcomes: Record<string, string> = {};
    for (const [id, o] of evaluator.leadOutcomes) if (o.slas["s"]) engineOutcomes[id] = o.slas["s"];
    expect(engineOutcomes).toEqual(outcomes);
    const count = engine.slas[0]!.kind === "count";
    const engineCells = Object.fromEntries(
      engine.slas[0]!.results
        .filter((c) => count || c.leads > 0)
        .map((c) => [`${c.periodStart ? Date.parse(c.periodStart) : 0}|${c.group}`, { leads: c.leads, met: c.met, breached: c.breached, pending: c.pending, waived: c.waived }]),
    );
    const refCells = Object.fromEntries([...cells].map(([k, c]) => [k, { leads: c.leads, met: c.met, breached: c.breached, pending: c.pending, waived: c.waived }]));
    expect(engineCells).toEqual(refCells);
    // Too few leads (SPEC §8.1): a closed result decided on fewer than the default minimum
    // of 5 leads is insufficient; one on 5 or more never is. Counts have no minimum.
    for (const c of engine.slas[0]!.results) {
      const ref = cells.get(`${c.periodStart ? Date.parse(c.periodStart) : 0}|${c.group}`)!;
      const judged = count ? 0 : engine.slas[0]!.kind === "rate" ? ref.leads : ref.met + ref.breached + ref.pending;
      const decided = engine.slas[0]!.kind === "rate" ? ref.leads : ref.met + ref.breached;
      const closed = c.periodEnd === null || Date.parse(c.periodEnd) <= asOf;
      if (judged >= 5 || judged === 0) expect(c.status).not.toBe("insufficient");
      else if (closed && decided > 0) expect(c.status).toBe("insufficient");
    }
    const rate = engine.slas[0]!.kind === "rate";
    if (rate) {
      for (const c of engine.slas[0]!.results.filter((x) => x.leads > 0)) {
        const ref = cells.get(`${c.periodStart ? Date.parse(c.periodStart) : 0}|${c.group}`)!;
        expect(c.value).toBeCloseTo(ref.hits / ref.leads);
      }
    }
}

describe("the evaluator agrees with a simple reference (fast-check)", () => {
  it("on definitions, lead outcomes and every result's counts", () => {
    fc.assert(fc.property(policyWithWaiversArb, snapshotArb, agree), { numRuns: 150 });
  });

  // Calendars per lead, where every lead is judged and touches come near the two calendars'
  // deadlines: the random agreements above seldom have both.
  it("with the calendar picked per lead (calendar by)", () => {
    fc.assert(fc.property(calendarByPolicyArb, snapshotArb, agree), { numRuns: 60 });
  });
});


describe("the random waivers are worth comparing", () => {
  it("they check clean, and some of them excuse leads", () => {
    const samples = fc.sample(fc.tuple(policyWithWaiversArb, snapshotArb), { numRuns: 100, seed: 19 });
    let checked = 0;
    let waived = 0;
    for (const [policyText, snap] of samples) {
      const analyzed = analyzePolicySet([{ path: "p.policy", text: policyText }]);
      if (analyzed.diagnostics.some((d) => d.severity === "error")) continue;
      checked++;
      const { evaluator } = runEngine(buildPlan(analyzed.symbols), snap);
      if ([...evaluator.leadOutcomes.values()].some((o) => o.slas["s"] === "waived")) waived++;
    }
    expect(checked).toBeGreaterThan(80);
    expect(waived).toBeGreaterThan(5);
  });
});

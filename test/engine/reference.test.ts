import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { Evaluator } from "../../src/engine/evaluator.js";
import type { Value } from "../../src/engine/ir.js";
import { ACTIVITY_SLOTS, buildPlan } from "../../src/engine/plan.js";
import type * as A from "../../src/lang/ast.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";

/**
 * A deliberately simple reference evaluator: it interprets the AST directly, finds periods with
 * luxon for every lead, and walks business time minute by minute. It shares nothing with the
 * engine but the parser, so agreeing with it on random policies and snapshots means something.
 */
const ZONE = "America/New_York";
const OPEN = { from: 9 * 60, to: 17 * 60 }; // Monday to Friday
const HOLIDAY = "2026-11-26";

type Rec = Record<string, string | number | boolean | null>;

function refExpr(e: A.Expr, lead: Rec, defs: Record<string, boolean>): boolean | string | number | null {
  switch (e.kind) {
    case "And":
      return e.operands.every((o) => refExpr(o, lead, defs) === true);
    case "Or":
      return e.operands.some((o) => refExpr(o, lead, defs) === true);
    case "Not":
      return refExpr(e.operand, lead, defs) !== true;
    case "Paren":
      return refExpr(e.inner, lead, defs);
    case "Ref":
      return e.name.name in defs ? defs[e.name.name]! : lead[e.name.name] ?? null;
    case "Compare": {
      const l = refExpr(e.left, lead, defs);
      const r = refExpr(e.right, lead, defs);
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
    case "String":
    case "Number":
    case "Boolean":
      return e.value;
    default:
      throw new Error(`reference does not handle ${e.kind}`);
  }
}

function openAt(ms: number): boolean {
  const t = DateTime.fromMillis(ms, { zone: ZONE });
  if (t.weekday > 5 || t.toISODate() === HOLIDAY) return false;
  const minute = t.hour * 60 + t.minute;
  return minute >= OPEN.from && minute < OPEN.to;
}

/** Walks forward a minute at a time, counting only open minutes. */
function refBusinessDeadline(start: number, minutes: number): number {
  let t = start;
  let left = minutes;
  while (left > 0) {
    if (openAt(t)) left--;
    t += 60_000;
  }
  return t;
}

const DEF_IDS = ["d1", "d2", "d3"];

/** Random lead definitions over a fixed set of fields; each may use the ones before it. */
const exprArb = (earlier: string[]): fc.Arbitrary<string> =>
  fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom('stage = "a"', 'stage in ["a", "b"]', "score >= 50", "score < 20", "flag", 'owner ends with "x"', "owner is set", "t1 is not set", ...earlier),
      fc.tuple(tie("e"), tie("e")).map(([a, b]) => `(${a} and ${b})`),
      fc.tuple(tie("e"), tie("e")).map(([a, b]) => `(${a} or ${b})`),
      tie("e").map((a) => `not ${a}`),
    ),
  })).e;

const policyArb = fc
  .tuple(
    exprArb([]),
    exprArb(["d1"]),
    exprArb(["d1", "d2"]),
    fc.constantFrom("t1", "t2"),
    fc.constantFrom("", "per month", "per week", "per day"),
    fc.constantFrom("", "by owner", "by stage"),
    fc.constantFrom("count >= 2", "rate of d2 >= 50%", "first touch within 90 minutes", "first touch within 3 business hours", "touches within 2 days <= 1", "touches within 1 days >= 2"),
    fc.constantFrom("d1", "d2", "d3"),
  )
  .map(([e1, e2, e3, clock, per, by, expect, population]) => {
    const leadLevel = expect.includes("touch");
    return `agreement "Random" {
  timezone "${ZONE}"
  calendar office
}
team t { approvers @t }
calendar office {
  hours mon-fri 09:00-17:00
  holidays ${HOLIDAY}
}
fields {
  stage text one of ["a", "b", "c"]
  score number
  flag boolean
  owner text
  t1 time
  t2 time
}
lead d1 { when ${e1} since t1 }
lead d2 { when ${e2} since t2 }
lead d3 { when ${e3} since t1 }
sla s {
  owner t
  leads ${population} from ${clock}
  ${leadLevel ? 'touches type in ["call", "email"]' : ""}
  expect ${expect}
  ${leadLevel ? "target 80%" : ""}
  ${per}
  ${by}
}
`;
  });

const BASE_MS = Date.parse("2026-10-28T12:00:00Z");
// A quarter-hour grid, so touches often land exactly on a deadline: the boundary that matters most.
const QUARTER = 15 * 60_000;
const timeArb = fc.option(fc.integer({ min: 0, max: 40 * 24 * 4 }).map((q) => BASE_MS + q * QUARTER), { nil: null });
const leadArb = fc.record({
  stage: fc.constantFrom("a", "b", "c", null),
  score: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  flag: fc.option(fc.boolean(), { nil: null }),
  owner: fc.constantFrom("ax", "bo", "Cx", "ÉX", "öx", null),
  t1: timeArb,
  t2: timeArb,
});
const snapshotArb = fc.record({
  // size "max": fast-check's default size keeps arrays to about ten items whatever maxLength says.
  leads: fc.array(leadArb, { minLength: 1, maxLength: 12, size: "max" }),
  activities: fc.array(
    fc.record({ lead: fc.nat(11), type: fc.constantFrom("call", "email", "note"), quarters: fc.oneof(fc.constantFrom(6, 12, 96, 192), fc.integer({ min: -4, max: 4 * 24 * 4 })) }),
    { maxLength: 25, size: "max" },
  ),
  asOfMinutes: fc.integer({ min: 10 * 24 * 60, max: 45 * 24 * 60 }),
});

describe("the evaluator agrees with a simple reference (fast-check)", () => {
  it("on definitions, lead outcomes and every result's counts", () => {
    fc.assert(
      fc.property(policyArb, snapshotArb, (policyText, snap) => {
        const analyzed = analyzePolicySet([{ path: "p.policy", text: policyText }]);
        const errors = analyzed.diagnostics.filter((d) => d.severity === "error");
        fc.pre(errors.length === 0);
        const plan = buildPlan(analyzed.symbols);
        const clockField = plan.slas[0]!.clock.name;
        const asOf = BASE_MS + snap.asOfMinutes * 60_000;
        const leads: Rec[] = snap.leads.map((l, i) => ({ id: `L${i}`, ...l }));
        const activities = snap.activities
          .filter((a) => a.lead < leads.length)
          .map((a) => {
            const lead = leads[a.lead]!;
            const anchor = (lead[clockField] as number | null) ?? BASE_MS;
            return { lead: `L${a.lead}`, type: a.type, at: anchor + a.quarters * QUARTER };
          });

        // The engine.
        const evaluator = new Evaluator(plan, { asOf, keepLeadOutcomes: true });
        const leadNumbers = new Map<string, number>();
        for (const lead of leads) {
          const values: Value[] = plan.fields.map((f) => (lead[f.name] ?? null) as Value);
          leadNumbers.set(lead["id"] as string, evaluator.addLead(lead["id"] as string, values));
        }
        for (const a of activities) {
          const values: Value[] = new Array<Value>(ACTIVITY_SLOTS.size).fill(null);
          values[ACTIVITY_SLOTS.get("lead_id")!] = a.lead;
          values[ACTIVITY_SLOTS.get("type")!] = a.type;
          values[ACTIVITY_SLOTS.get("at")!] = a.at;
          evaluator.addActivity(leadNumbers.get(a.lead)!, values);
        }
        const engine = evaluator.finish();

        // The reference.
        const leadBlocks = analyzed.files[0]!.blocks.filter((b): b is A.LeadBlock => b.kind === "Lead");
        const sla = analyzed.files[0]!.blocks.find((b): b is A.SlaBlock => b.kind === "Sla")!;
        const defCounts: Record<string, number> = Object.fromEntries(DEF_IDS.map((d) => [d, 0]));
        const cells = new Map<string, { leads: number; hits: number; met: number; breached: number; pending: number }>();
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
          const period = per ? DateTime.fromMillis(clock, { zone: ZONE }).startOf(per).toMillis() : 0;
          const group = sla.by.length ? String(lead[sla.by[0]!.name] ?? "(none)") : "all";
          const key = `${period}|${group}`;
          const cell = cells.get(key) ?? { leads: 0, hits: 0, met: 0, breached: 0, pending: 0 };
          cells.set(key, cell);
          cell.leads++;
          const expect = sla.expect!;
          if (expect.kind === "RateExpectation" && defs[expect.definition.name]) cell.hits++;
          if (expect.kind !== "FirstTouchExpectation" && expect.kind !== "TouchesExpectation") continue;
          const d = expect.within;
          const deadline = d.business
            ? refBusinessDeadline(clock, d.amount.value * (d.unit === "hours" ? 60 : 1))
            : clock + d.amount.value * { minutes: 60_000, hours: 3_600_000, days: 86_400_000, weeks: 604_800_000 }[d.unit];
          const touches = activities.filter((a) => a.lead === lead["id"] && (a.type === "call" || a.type === "email") && a.at >= clock && a.at <= asOf);
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
          outcomes[lead["id"] as string] = outcome;
          cell[outcome as "met" | "breached" | "pending"]++;
        }

        expect(engine.definitions).toEqual(defCounts);
        const engineOutcomes: Record<string, string> = {};
        for (const [id, o] of evaluator.leadOutcomes) if (o.slas["s"]) engineOutcomes[id] = o.slas["s"];
        expect(engineOutcomes).toEqual(outcomes);
        const engineCells = Object.fromEntries(
          engine.slas[0]!.results
            .filter((c) => c.leads > 0)
            .map((c) => [`${c.periodStart ? Date.parse(c.periodStart) : 0}|${c.group}`, { leads: c.leads, met: c.met, breached: c.breached, pending: c.pending }]),
        );
        const refCells = Object.fromEntries([...cells].map(([k, c]) => [k, { leads: c.leads, met: c.met, breached: c.breached, pending: c.pending }]));
        expect(engineCells).toEqual(refCells);
        const rate = engine.slas[0]!.kind === "rate";
        if (rate) {
          for (const c of engine.slas[0]!.results.filter((x) => x.leads > 0)) {
            const ref = cells.get(`${c.periodStart ? Date.parse(c.periodStart) : 0}|${c.group}`)!;
            expect(c.value).toBeCloseTo(ref.hits / ref.leads);
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});

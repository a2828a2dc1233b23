import fc from "fast-check";
import { Evaluator } from "../../src/engine/evaluator.js";
import type { Value } from "../../src/engine/ir.js";
import { ACTIVITY_SLOTS, type EvalPlan } from "../../src/engine/plan.js";

/**
 * Random policies (three definitions, one SLA of any kind) and snapshots for the engine's
 * property tests: test/engine/reference.test.ts and test/engine/explain-agrees.test.ts.
 */
export const ZONE = "America/New_York";
export const OPEN = { from: 9 * 60, to: 17 * 60 }; // Monday to Friday
export const HOLIDAY = "2026-11-26";
/** The calendars of the random agreements, Monday to Friday in ZONE: `office` (the agreement's) and `late`, for `calendar by`. */
export const CALENDARS: Readonly<Record<string, { from: number; to: number; holiday: string | null }>> = {
  office: { ...OPEN, holiday: HOLIDAY },
  late: { from: 12 * 60, to: 20 * 60, holiday: null },
};

export type Rec = Record<string, string | number | boolean | null>;

export const DEF_IDS = ["d1", "d2", "d3"];

/** Random lead definitions over a fixed set of fields; each may use the ones before it. */
export const exprArb = (earlier: string[]): fc.Arbitrary<string> =>
  fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: "small" },
      fc.constantFrom('stage = "a"', 'stage in ["a", "b"]', "score >= 50", "score < 20", "flag", 'owner ends with "x"', "owner is set", "t1 is not set", ...earlier),
      fc.tuple(tie("e"), tie("e")).map(([a, b]) => `(${a} and ${b})`),
      fc.tuple(tie("e"), tie("e")).map(([a, b]) => `(${a} or ${b})`),
      tie("e").map((a) => `not ${a}`),
    ),
  })).e;

interface PolicyParts {
  e1: string;
  e2: string;
  e3: string;
  clock: string;
  per: string;
  by: string;
  expect: string;
  population: string;
  touches: string;
  calendarBy: string;
  /** Waiver blocks of the SLA `s` (waiversArb), added when it is lead-level. */
  waivers: string;
}

/**
 * What every random agreement opens with: the agreement in ZONE with the `office` calendar (and
 * `more.agreement`'s lines), its team and calendar (then `more.blocks`), the fields (and
 * `more.fields`), and the three definitions d1–d3 over them.
 */
export function randomAgreementHead([e1, e2, e3]: readonly [string, string, string], more: { agreement: string; blocks: string; fields: string }): string {
  return `agreement "Random" {
  timezone "${ZONE}"
  calendar office
${more.agreement}}
team t { approvers @t }
calendar office {
  hours mon-fri 09:00-17:00
  holidays ${HOLIDAY}
}
${more.blocks}fields {
  stage text one of ["a", "b", "c"]
  score number
  flag boolean
  owner text
  t1 time
  t2 time
${more.fields}}
lead d1 { when ${e1} since t1 }
lead d2 { when ${e2} since t2 }
lead d3 { when ${e3} since t1 }
`;
}

/** The random agreement's text: three definitions and one SLA. */
function policyTemplate({ e1, e2, e3, clock, per, by, expect, population, touches, calendarBy, waivers }: PolicyParts): string {
  const leadLevel = expect.includes("touch");
  return `${randomAgreementHead([e1, e2, e3], { agreement: "", blocks: "calendar late {\n  hours mon-fri 12:00-20:00\n}\n", fields: "" })}sla s {
  owner t
  leads ${population} from ${clock}
  ${leadLevel ? `touches ${touches}` : ""}
  expect ${expect}
  ${leadLevel ? "target 80%" : ""}
  ${per}
  ${by}
  ${calendarBy}
}
${leadLevel ? waivers : ""}`;
}

/** Dates around the snapshots' times (BASE_MS, 28 Oct 2026, and 45 days on): waivers start, end and expire among them. */
const WAIVER_DATES = ["2026-10-30", "2026-11-05", "2026-11-12", "2026-11-20", "2026-12-01", "2027-01-31"];

/**
 * One or two random waivers (SPEC §8.4) of the SLA `s`: by lead id (some not in the snapshot)
 * or by a condition, with or without `from` and `periods`, ending on a date that as_of may be past.
 */
export const waiversArb: fc.Arbitrary<string> = fc
  .array(
    fc.record({
      who: fc.oneof(
        fc.uniqueArray(fc.integer({ min: 0, max: 13 }), { minLength: 1, maxLength: 4 }).map((ids) => `leads ${ids.map((i) => `"L${i}"`).join(", ")}`),
        exprArb(["d1", "d2"]).map((e) => `when ${e}`),
      ),
      // Mostly open, so that many waivers excuse someone; the rest try each boundary.
      from: fc.constantFrom("", "", "", ...WAIVER_DATES.slice(0, 3).map((d) => `from ${d}`)),
      periods: fc.constantFrom("", "", "", "periods 2026-11", "periods 2026-10, 2026-W46", "periods 2026-11-03, 2026-Q4"),
      until: fc.constantFrom(...WAIVER_DATES.slice(3)),
    }),
    // At least one: the SLAs without waivers are the count and rate ones, and waivers that match no lead.
    { minLength: 1, maxLength: 2 },
  )
  .map((ws) => ws.map((w, i) => `waiver w${i} "random ${i}" {\n  sla s\n  ${w.who}\n  ${w.from}\n  ${w.periods}\n  until ${w.until}\n}\n`).join(""));

/** A random policy with one or two waivers when its SLA is lead-level (the reference and explain properties). */
export const policyWithWaiversArb = fc
  .tuple(
    exprArb([]),
    exprArb(["d1"]),
    exprArb(["d1", "d2"]),
    fc.constantFrom("t1", "t2"),
    fc.constantFrom("", "per month", "per week", "per day"),
    fc.constantFrom("", "by owner", "by stage"),
    fc.constantFrom("count >= 2", "rate of d2 >= 50%", "first touch within 90 minutes", "first touch within 3 business hours", "touches within 2 days <= 1", "touches within 1 days >= 2", "touches within 4 business hours >= 1"),
    fc.constantFrom("d1", "d2", "d3"),
    // Whose touch counts (SPEC §8): a filter may compare an activity's field with its lead's.
    fc.constantFrom('type in ["call", "email"]', 'type in ["call", "email"] and owner = lead.owner', 'owner != lead.owner or type = "note"', "not (owner = lead.owner)"),
    // Calendars per lead (SPEC §8): the calendar picked by the lead's stage, `office` for c and none.
    fc.constantFrom("", 'calendar by stage { "a": late, "b": office } default office', 'calendar by stage { "b": late, "c": late } default office'),
    waiversArb,
  )
  .map(([e1, e2, e3, clock, per, by, expect, population, touches, calendarBy, waivers]) =>
    policyTemplate({ e1, e2, e3, clock, per, by, expect, population, touches, calendarBy, waivers }),
  );

/**
 * A random policy without waivers: the SQL form does not compile them (it says so), so the
 * differential tests against DuckDB use these.
 */
export const policyArb = policyWithWaiversArb.map((text) => text.replace(/\nwaiver [\s\S]*$/, "\n"));

/** One SLA over every lead with a clock, judged in business hours of the calendar its stage picks. */
export const calendarByPolicyArb = fc
  .tuple(
    fc.constantFrom("first touch within 3 business hours", "touches within 4 business hours >= 1", "first touch within 90 business minutes"),
    fc.constantFrom('calendar by stage { "a": late, "b": office } default office', 'calendar by stage { "b": late, "c": late } default office', 'calendar by stage { "a": office } default late'),
  )
  .map(([expect, calendarBy]) =>
    policyTemplate({ e1: "score >= 0 or score is not set", e2: "d1", e3: "d1", clock: "t1", per: "", by: "", expect, population: "d1", touches: 'type in ["call", "email"]', calendarBy, waivers: "" }),
  );

export const BASE_MS = Date.parse("2026-10-28T12:00:00Z");
// A quarter-hour grid, so touches often land exactly on a deadline: the boundary that matters most.
export const QUARTER = 15 * 60_000;
export const timeArb = fc.option(fc.integer({ min: 0, max: 40 * 24 * 4 }).map((q) => BASE_MS + q * QUARTER), { nil: null });
export const leadArb = fc.record({
  stage: fc.constantFrom("a", "b", "c", null),
  score: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  flag: fc.option(fc.boolean(), { nil: null }),
  owner: fc.constantFrom("ax", "bo", "Cx", "ÉX", "öx", null),
  t1: timeArb,
  t2: timeArb,
});
export const snapshotArb = fc.record({
  // size "max": fast-check's default size keeps arrays to about ten items whatever maxLength says.
  leads: fc.array(leadArb, { minLength: 1, maxLength: 12, size: "max" }),
  activities: fc.array(
    fc.record({ lead: fc.nat(11), type: fc.constantFrom("call", "email", "note"), owner: fc.constantFrom("ax", "bo", "Cx", null), quarters: fc.oneof(fc.constantFrom(6, 12, 16, 20, 96, 192), fc.integer({ min: -4, max: 4 * 24 * 4 })) }),
    { maxLength: 25, size: "max" },
  ),
  asOfMinutes: fc.integer({ min: 10 * 24 * 60, max: 45 * 24 * 60 }),
});

export type Snapshot = typeof snapshotArb extends fc.Arbitrary<infer T> ? T : never;

/** The snapshot's leads (ids L0, L1…) and activities (times anchored on the SLA's clock), run through the Evaluator. */
export function runEngine(plan: EvalPlan, snap: Snapshot) {
  const clockField = plan.slas[0]!.clock.name;
  const asOf = BASE_MS + snap.asOfMinutes * 60_000;
  const leads: Rec[] = snap.leads.map((l, i) => ({ id: `L${i}`, ...l }));
  const activities = snap.activities
    .filter((a) => a.lead < leads.length)
    .map((a) => {
      const lead = leads[a.lead]!;
      const anchor = (lead[clockField] as number | null) ?? BASE_MS;
      return { lead: `L${a.lead}`, type: a.type, owner: a.owner, at: anchor + a.quarters * QUARTER };
    });
  const leadValues = (lead: Rec): Value[] => plan.fields.map((f) => (lead[f.name] ?? null) as Value);
  const activityValues = (a: { lead: string; type: string; owner: string | null; at: number }): Value[] => {
    const values: Value[] = new Array<Value>(ACTIVITY_SLOTS.size).fill(null);
    values[ACTIVITY_SLOTS.get("lead_id")!] = a.lead;
    values[ACTIVITY_SLOTS.get("type")!] = a.type;
    values[ACTIVITY_SLOTS.get("at")!] = a.at;
    values[ACTIVITY_SLOTS.get("owner")!] = a.owner;
    return values;
  };

  const evaluator = new Evaluator(plan, { asOf, keepLeadOutcomes: true });
  const leadNumbers = new Map<string, number>();
  for (const lead of leads) leadNumbers.set(lead["id"] as string, evaluator.addLead(lead["id"] as string, leadValues(lead)));
  for (const a of activities) evaluator.addActivity(leadNumbers.get(a.lead)!, activityValues(a));
  const engine = evaluator.finish();
  return { leads, activities, asOf, evaluator, engine, leadValues, activityValues };
}

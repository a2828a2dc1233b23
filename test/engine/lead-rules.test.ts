import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildPlan } from "../../src/engine/plan.js";
import { compileSql } from "../../src/engine/sql/compile.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { runSnapshot, type SnapshotRun } from "../../src/snapshot/load.js";
import { ROOT, runCli } from "../helpers.js";

const FIXTURE = path.join(ROOT, "test/fixtures/lead-rules");
const AS_OF = Date.parse("2026-11-30T20:00:00Z"); // Monday 15:00 in New York

function load(options: { groupBy?: string[] } = {}): ReturnType<typeof buildPlan> {
  const dir = path.join(FIXTURE, "policies");
  const sources = readdirSync(dir).map((f) => ({ path: f, text: readFileSync(path.join(dir, f), "utf8") }));
  const analyzed = analyzePolicySet(sources);
  expect(analyzed.diagnostics).toEqual([]);
  return buildPlan(analyzed.symbols, options);
}

/**
 * owner_touch: only calls by the lead's own owner count (`owner = lead.owner`), within 2 business
 * hours of the calendar its region picks: EMEA → london (09:00-17:00 Europe/London, GMT in
 * November), NA → ny (09:00-17:00 New York, EST), anything else or empty → the default, ny.
 *   L1 EMEA/london, owner ana, clock Mon 11-02 16:00Z = 16:00 GMT: 1h Monday, 1h from Tuesday
 *      09:00 GMT, deadline Tue 10:00Z. Ben's call 16:30Z is not the owner's; ana's call Tue
 *      09:30Z                                                                           → met
 *      (on ny the deadline would be Mon 13:00 EST = 18:00Z, and this lead breached)
 *   L2 NA/ny, owner ben, clock 16:00Z = 11:00 EST, deadline 13:00 EST = 18:00Z; the e-mail is
 *      not a call; ben's call 19:00Z                                                    → breached
 *      (on london the deadline would be Tue 10:00Z, and this lead met)
 *   L3 APAC, not listed → ny; owner cy, clock Tue 13:00Z = 08:00 EST, counting from 09:00 EST,
 *      deadline 11:00 EST = 16:00Z; ana's call 14:30Z is a helper's; cy's call 15:30Z   → met
 *      (on london: 13:00 GMT + 2h = 15:00Z, breached)
 *   L4 no region → ny; owner ana, clock Wed 15:00Z = 10:00 EST, deadline 17:00Z; only ben
 *      called                                                                          → breached
 *   L5 EMEA/london, no owner: clock Thu 10:00Z, deadline 12:00Z; ana's call cannot be the
 *      owner's (a comparison with an empty value is false)                              → breached
 * 2 met of 5, target 50%: breached.
 */
const OUTCOMES = { L1: "met", L2: "breached", L3: "met", L4: "breached", L5: "breached" };

describe("lead rules, hand-checked: whose touch counts, calendars per lead, quotas per rep", () => {
  let run: SnapshotRun;
  beforeAll(async () => {
    run = await runSnapshot({ plan: load(), dir: path.join(FIXTURE, "snapshot"), shown: "snapshot", asOf: AS_OF, keepLeadOutcomes: true });
  });

  it("judges each lead as worked out by hand", () => {
    expect(Object.fromEntries([...run.leadOutcomes].map(([id, o]) => [id, o.slas["owner_touch"]]))).toEqual(OUTCOMES);
    const sla = run.slas.find((s) => s.id === "owner_touch")!;
    expect(sla.results.map((c) => [c.period, c.status, c.met, c.breached, c.pending])).toEqual([["all", "breached", 2, 3, 0]]);
    const breached = sla.results[0]!.breachedLeads.leads.map((l) => [l.id, l.deadline, l.firstTouch]);
    // By deadline: L2 Mon 18:00Z, L4 Wed 17:00Z, L5 Thu 12:00Z.
    expect(breached).toEqual([
      ["L2", "2026-11-02T18:00:00.000Z", "2026-11-02T19:00:00.000Z"],
      ["L4", "2026-11-04T17:00:00.000Z", null],
      ["L5", "2026-11-05T12:00:00.000Z", null],
    ]);
  });

  it("the same on two threads (the classifying thread sends the calendar's and the filter's lead fields)", async () => {
    const two = await runSnapshot({ plan: load(), dir: path.join(FIXTURE, "snapshot"), shown: "snapshot", asOf: AS_OF, keepLeadOutcomes: true, threads: "two" });
    expect(Object.fromEntries([...two.leadOutcomes].map(([id, o]) => [id, o.slas["owner_touch"]]))).toEqual(OUTCOMES);
  });

  /*
   * rep_revenue, November (the only month; as_of is inside it): each rep's own revenue goal, the
   * goal's 10,000 USD for any other group. Won = ceil(goal / 5,000 average deal); ready = won / 50%.
   *   ana   20,000: won 4, ready 8; actual: ready L1, L4 = 2; won L1 = 1; revenue 12,000
   *   ben    5,000: won 1, ready 2; actual: ready L2 = 1; won L2 = 1; revenue 6,000
   *   cy     8,000: won 2 (1.6 up), ready 4; actual: ready L3 = 1; won 0; revenue 0
   *   dee    7,000: won 2 (1.4 up), ready 4; no lead yet, listed because it has a quota: all 0
   *   (none) 10,000 (no quota: the goal's): won 2, ready 4; actual: ready L5 = 1
   */
  it("gives each rep their own revenue goal, and the rest the goal's", () => {
    const goal = run.goals.find((g) => g.id === "rep_revenue")!;
    expect(goal.results.map((c) => [c.group, c.revenue.required, c.revenue.actual, ...c.stages.map((s) => `${s.actual}/${s.required}`)])).toEqual([
      ["(none)", 10_000, 0, "1/4", "0/2"],
      ["ana", 20_000, 12_000, "2/8", "1/4"],
      ["ben", 5_000, 6_000, "1/2", "1/1"],
      ["cy", 8_000, 0, "1/4", "0/2"],
      ["dee", 7_000, 0, "0/4", "0/2"],
    ]);
    expect(goal.results.every((c) => c.period === "2026-11")).toBe(true);
  });

  it("the Markdown report (job summary, PR check) shows each rep's result against their own target", async () => {
    const md = (await runCli(["eval", "--policies", "test/fixtures/lead-rules/policies", "--snapshot", "test/fixtures/lead-rules/snapshot", "--format", "markdown"])).stdout;
    expect(md).toContain("<details><summary><b>rep_revenue</b> by owner: 5 results</summary>");
    expect(md).toContain("| period | group | status | ready | won | revenue |");
    // The figures above, worked by hand: ana's quota is 20,000, ben's 5,000.
    expect(md).toContain("| 2026-11 | ana | ⚠️ at risk | 2 of 8 | 1 of 4 | 12,000 USD of 20,000 USD |");
    expect(md).toContain("| 2026-11 | ben | ⚠️ at risk | 1 of 2 | 1 of 1 | 6,000 USD of 5,000 USD |");
  });

  it("under --group-by other than the goal's own 'by', quotas do not apply: every group has the goal's revenue", () => {
    const plan = load({ groupBy: ["region"] });
    expect(plan.goals[0]!.quotas.size).toBe(0);
    expect(plan.goals[0]!.quotasNotApplied).toEqual({ count: 4, ownBy: ["owner"] });
    expect(load({ groupBy: ["owner"] }).goals[0]!.quotas.get("ana")).toBe(20_000);
    expect(load({ groupBy: ["owner"] }).goals[0]!.quotasNotApplied).toBeNull();
    expect(load().goals[0]!.quotasNotApplied).toBeNull();
  });

  it("the report says when --group-by sets the quotas aside, and not otherwise", async () => {
    const notes = async (...more: string[]) => {
      const run = await runCli(["eval", "--policies", "test/fixtures/lead-rules/policies", "--snapshot", "test/fixtures/lead-rules/snapshot", "--format", "json", ...more]);
      return (JSON.parse(run.stdout) as { notes: string[] }).notes.filter((n) => n.includes("quota"));
    };
    expect(await notes("--group-by", "region")).toEqual([
      "Goal 'rep_revenue': its 4 quotas per owner were not applied, since --group-by region regroups it; every group is held to the goal's revenue, 10,000 USD per month. Run without --group-by (or with --group-by owner) for each group's own target.",
    ]);
    expect(await notes("--group-by", "owner")).toEqual([]);
    expect(await notes()).toEqual([]);
  });

  it("explain names the calendar each lead's deadline was counted in, and why", async () => {
    const window = async (lead: string) => {
      const out = await runCli(["explain", "--policies", "test/fixtures/lead-rules/policies", "--snapshot", "test/fixtures/lead-rules/snapshot", "--lead", lead, "--format", "json"]);
      const e = JSON.parse(out.stdout) as { slas: Array<{ id: string; window: string; deadline: string; touches: Array<{ counted: boolean; why: string }> }> };
      return e.slas.find((s) => s.id === "owner_touch")!;
    };
    const l1 = await window("L1");
    expect(l1.window).toBe('2 business hours on london (region is "EMEA")');
    expect(l1.deadline).toBe("2026-11-03 05:00 EST"); // Tue 10:00Z
    expect(l1.touches.map((t) => [t.counted, t.why])).toEqual([
      [false, 'does not match type = "call" and owner = lead.owner'],
      [true, "first touch, within the window"],
    ]);
    expect((await window("L3")).window).toBe('2 business hours on ny (the default: region is "APAC", not listed)');
    expect((await window("L4")).window).toBe("2 business hours on ny (the default: region is empty)");
  });

  it("eval --engine duckdb judges these in memory and gives the same report", async () => {
    const args = ["eval", "--policies", "test/fixtures/lead-rules/policies", "--snapshot", "test/fixtures/lead-rules/snapshot", "--format", "json"];
    const memory = JSON.parse((await runCli(args)).stdout) as { slas: unknown; goals: unknown };
    const duck = JSON.parse((await runCli([...args, "--engine", "duckdb"])).stdout) as { slas: unknown; goals: unknown };
    expect(duck.slas).toEqual(memory.slas);
    expect(duck.goals).toEqual(memory.goals);
  });

  it("the SQL compiler says it does not compile the SLA, instead of compiling it wrong", () => {
    const compiled = compileSql(load(), { dialect: "duckdb", asOf: AS_OF, leadsTable: "leads", activitiesTable: "activities", calendarDays: { from: 20_000, to: 20_500 } });
    expect(compiled.slas.map((s) => s.id)).toEqual([]);
    expect(compiled.notCompiled).toEqual([{ id: "owner_touch", reason: expect.stringContaining("lead.NAME") }]);
  });
});

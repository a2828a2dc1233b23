import fc from "fast-check";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/engine/plan.js";
import type { EvaluationResult, SlaResult } from "../../src/engine/result.js";
import { evaluateVersions, slicesAt, versionTimeline, type VersionCandidate } from "../../src/engine/versions.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { FolderSource } from "../../src/snapshot/load.js";
import { ROOT } from "../helpers.js";
import { THREE_VERSIONS, versionPolicy, type FixtureVersion } from "../versions-repo.js";

const SNAPSHOT = path.join(ROOT, "test/fixtures/versions/snapshot");
const AS_OF = Date.parse("2027-02-28T23:00:00Z");

function candidate(v: FixtureVersion | string, i: number): VersionCandidate {
  const analyzed = analyzePolicySet([{ path: "policies/agreement.policy", text: typeof v === "string" ? v : versionPolicy(v) }]);
  expect(analyzed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const agreement = analyzed.symbols.agreement!;
  return { commit: String(i + 1).repeat(40), plan: buildPlan(analyzed.symbols), hash: `sha256:${i}`, file: agreement.file, range: (agreement.node.effective ?? agreement.node).range };
}

async function evaluated(versions: ReadonlyArray<FixtureVersion>): Promise<EvaluationResult> {
  const timeline = versionTimeline(versions.map(candidate));
  expect(timeline.diagnostics).toEqual([]);
  const source = await FolderSource.open(SNAPSHOT, "snapshot");
  return (await evaluateVersions(timeline.versions, source, { asOf: AS_OF, failOn: "hard" })).result;
}

/** period, version, target, value, status of each result. */
function rows(sla: SlaResult): Array<[string, number | null, number, number | null, string]> {
  return sla.results.map((c) => [c.period, c.judgedBy!.version, c.judgedBy!.target.value, c.value, c.status]);
}

/**
 * The fixture (test/fixtures/versions): 10 sales-ready leads in November, December and January,
 * 8 in February, all in UTC; in each month one lead is never called (breached), the others are
 * called two hours after their clock starts. So each month's first-touch compliance is 90%
 * (9 of 10), and February's 87.5% (7 of 8). L00 (20 October) predates the first version.
 */
describe("versions in force (eval --versions)", () => {
  it("judges each month by the version in force at its start: 95% → 90% → 85%", async () => {
    const result = await evaluated(THREE_VERSIONS);
    const sla = (id: string) => result.slas.find((s) => s.id === id)!;
    expect(rows(sla("first_touch"))).toEqual([
      ["2026-11", 1, 0.95, 0.9, "breached"],
      ["2026-12", 1, 0.95, 0.9, "breached"],
      ["2027-01", 2, 0.9, 0.9, "met"],
      ["2027-02", 3, 0.85, 0.875, "in_progress"],
    ]);
    // February: 8 leads, which 10 and 9 would breach; the third version asks 8.
    expect(rows(sla("volume"))).toEqual([
      ["2026-11", 1, 10, 10, "met"],
      ["2026-12", 1, 10, 10, "met"],
      ["2027-01", 2, 9, 10, "met"],
      ["2027-02", 3, 8, 8, "met"],
    ]);
    expect(sla("first_touch").totals).toEqual({ met: 34, breached: 4, pending: 0, noClock: 0, waived: 0, leads: 38 });
    expect(sla("first_touch").status).toBe("breached");
    expect(result.goals[0]!.results.map((c) => [c.period, c.judgedBy!.version])).toEqual([
      ["2026-11", 1],
      ["2026-12", 1],
      ["2027-01", 2],
      ["2027-02", 3],
    ]);
    expect(result.versions!.map((v) => [v.version, v.effective, v.from, v.until])).toEqual([
      [1, "2026-11-01", "2026-11-01T00:00:00.000Z", "2027-01-01T00:00:00.000Z"],
      [2, "2027-01-01", "2027-01-01T00:00:00.000Z", "2027-02-01T00:00:00.000Z"],
      [3, "2027-02-01", "2027-02-01T00:00:00.000Z", null],
    ]);
    expect(result.input.leadsBeforeEffective).toBe(2); // L00, once per SLA
    expect(result.summary.failing).toEqual(["first_touch"]);
  });

  it("judges a period split by a mid-month change in parts, each prorated by its days in force", async () => {
    // The third version takes effect on 16 January: 15 of January's 31 days are the second's.
    const split = [THREE_VERSIONS[0]!, THREE_VERSIONS[1]!, { ...THREE_VERSIONS[2]!, effective: "2027-01-16" }];
    const result = await evaluated(split);
    const touch = result.slas.find((s) => s.id === "first_touch")!;
    // January's first half: 5 of 5 called at 90%; its second half: 4 of 5 at 85%.
    expect(rows(touch).filter((r) => r[0] === "2027-01")).toEqual([
      ["2027-01", 2, 0.9, 1, "met"],
      ["2027-01", 3, 0.85, 0.8, "breached"],
    ]);
    const volume = result.slas.find((s) => s.id === "volume")!;
    const january = volume.results.filter((c) => c.period === "2027-01");
    expect(january.map((c) => [c.judgedBy!.version, c.value, c.prorated])).toEqual([
      [2, 5, { daysInForce: 15, daysInPeriod: 31, target: (9 * 15) / 31 }],
      [3, 5, { daysInForce: 16, daysInPeriod: 31, target: (8 * 16) / 31 }],
    ]);
    const goal = result.goals[0]!.results.filter((c) => c.period === "2027-01");
    expect(goal.map((c) => [c.judgedBy!.version, c.prorated, c.stages[0]!.actual])).toEqual([
      [2, { daysInForce: 15, daysInPeriod: 31 }, 5],
      [3, { daysInForce: 16, daysInPeriod: 31 }, 5],
    ]);
    expect(result.notes.some((n) => n.startsWith("4 results cover part of a period"))).toBe(true);
  });

  it("leaves out a version effective before its predecessor (W0801), and lets a later commit with the same date win", () => {
    const backwards = { version: 4, effective: "2026-12-15", target: 50, count: 1 };
    const fix = { ...THREE_VERSIONS[1]!, target: 91 };
    const timeline = versionTimeline([...THREE_VERSIONS, backwards].map(candidate));
    expect(timeline.diagnostics.map((d) => [d.code, d.file, d.range.start.line])).toEqual([["W0801", "policies/agreement.policy", 3]]);
    expect(timeline.diagnostics[0]!.message).toContain("commit 4444444 takes effect on 2026-12-15, before the version it follows (commit 3333333, effective 2027-02-01)");
    expect(timeline.versions.map((v) => v.ref.version)).toEqual([1, 2, 3]);

    const fixed = versionTimeline([THREE_VERSIONS[0]!, THREE_VERSIONS[1]!, fix].map(candidate));
    expect(fixed.diagnostics).toEqual([]);
    expect(fixed.versions.map((v) => [v.ref.commit.slice(0, 1), v.plan.slas[0]!.kind === "firstTouch" && v.plan.slas[0]!.target])).toEqual([
      ["1", 0.95],
      ["3", 0.91],
    ]);
  });

  it("a count over all time (no `per`) is never prorated: before, its target came out NaN (days of all time)", async () => {
    const allTime = (v: FixtureVersion) => versionPolicy(v).replace(/(expect count >= \d+)\n  per month/, "$1");
    const timeline = versionTimeline([allTime(THREE_VERSIONS[0]!), allTime(THREE_VERSIONS[2]!)].map(candidate));
    const source = await FolderSource.open(SNAPSHOT, "snapshot");
    const { result } = await evaluateVersions(timeline.versions, source, { asOf: AS_OF, failOn: "hard" });
    const volume = result.slas.find((s) => s.id === "volume")!;
    // November to January under the first version (30 leads >= 10), February under the third (8 >= 8).
    expect(volume.results.map((c) => [c.period, c.judgedBy!.version, c.value, c.prorated, c.status])).toEqual([
      ["all", 1, 30, null, "met"],
      ["all", 3, 8, null, "met"],
    ]);
  });

  it("before a version takes effect it judges nothing: as of 15 January only the first two are in force", () => {
    const { versions } = versionTimeline(THREE_VERSIONS.map(candidate));
    const slices = slicesAt(versions, Date.parse("2027-01-15T00:00:00Z"));
    expect(slices.map((s) => [s.version.ref.version, s.until])).toEqual([
      [1, Date.parse("2027-01-01T00:00:00Z")],
      [2, Infinity],
    ]);
  });

  it("law: cutting the time line at any day with an identical version changes no total, and the parts' days add up to the period", async () => {
    const whole = await evaluated([THREE_VERSIONS[0]!]);
    const sumBy = (r: EvaluationResult, id: string) => {
      const sums = new Map<string, number>();
      for (const c of r.slas.find((x) => x.id === id)!.results) sums.set(c.period, (sums.get(c.period) ?? 0) + (c.value ?? 0));
      return sums;
    };
    const firstDay = Date.parse("2026-11-02T00:00:00Z");
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 116 }), async (day) => {
        const effective = new Date(firstDay + day * 86_400_000).toISOString().slice(0, 10);
        const cut = await evaluated([THREE_VERSIONS[0]!, { ...THREE_VERSIONS[0]!, version: 2, effective }]);
        const touch = (r: EvaluationResult) => r.slas.find((x) => x.id === "first_touch")!.totals;
        expect(touch(cut)).toEqual(touch(whole));
        expect(sumBy(cut, "volume")).toEqual(sumBy(whole, "volume"));
        const byPeriod = new Map<string, SlaResult["results"]>();
        for (const c of cut.slas.find((x) => x.id === "volume")!.results) byPeriod.set(c.period, [...(byPeriod.get(c.period) ?? []), c]);
        for (const [period, parts] of byPeriod) {
          if (parts.length === 1) continue;
          expect(parts.map((c) => c.judgedBy!.version), period).toEqual([1, 2]);
          expect(parts[0]!.prorated!.daysInForce + parts[1]!.prorated!.daysInForce).toBe(parts[0]!.prorated!.daysInPeriod);
          expect(parts[0]!.prorated!.target + parts[1]!.prorated!.target).toBeCloseTo(THREE_VERSIONS[0]!.count, 9);
        }
        const stages = (r: EvaluationResult) => r.goals[0]!.results.reduce((n, c) => n + c.stages[0]!.actual, 0);
        expect(stages(cut)).toBe(stages(whole));
      }),
      { numRuns: 12 },
    );
  });
});

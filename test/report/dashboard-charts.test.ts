import { writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { EvaluationResult, SlaCell, SlaResult } from "../../src/engine/result.js";
import { compareReports, parseBaseline, type PreviousReport } from "../../src/report/baseline.js";
import { valueAxis } from "../../src/report/charts/axis.js";
import { barChart } from "../../src/report/charts/bars.js";
import { trendWords } from "../../src/report/charts/changes.js";
import { HEAT_ROWS_SHOWN, heatmap, shortfall, sortWorstFirst } from "../../src/report/charts/heatmap.js";
import { hbarChart } from "../../src/report/charts/hbars.js";
import { LAYOUTS, targetText } from "../../src/report/charts/markup.js";
import { foldedList } from "../../src/report/charts/parts.js";
import { runCli, tempDir } from "../helpers.js";

/** The dashboard's chart modules as plain functions: axes, marks, folding, the baseline comparison. */

const [wide, narrow] = LAYOUTS as [(typeof LAYOUTS)[number], (typeof LAYOUTS)[number]];

describe("value axes (d3-scale)", () => {
  it.each([
    [4.4, "0 1 2 3 4 5"],
    [266, "0 50 100 150 200 250 300"],
    [2, "0 1 2"],
    [0, "0 1"],
    [12_345, "0 2,000 4,000 6,000 8,000 10,000 12,000 14,000"],
  ])("counts up to %d: round whole-number ticks with thousands separators", (max, ticks) => {
    const axis = valueAxis("leads", [max], wide, [200, 0]);
    expect(axis.ticks.map(axis.label).join(" ")).toBe(ticks);
    expect(axis.scale.domain()[1]).toBeGreaterThanOrEqual(max);
  });

  it("shares run 0-100% in percent ticks, fewer on a phone", () => {
    const ticks = (l: typeof wide) => {
      const axis = valueAxis("ratio", [0.3], l, [200, 0]);
      return axis.ticks.map(axis.label).join(" ");
    };
    expect(ticks(wide)).toBe("0% 20% 40% 60% 80% 100%");
    expect(ticks(narrow)).toBe("0% 20% 40% 60% 80% 100%");
    expect(valueAxis("leads", [266], narrow, [200, 0]).ticks.length).toBeLessThan(valueAxis("leads", [266], wide, [200, 0]).ticks.length);
  });
});

describe("grouped bars", () => {
  const chart = barChart({
    id: "c",
    alt: "a chart",
    categories: ["2027-01", "2027-02", "2027-03"],
    series: [{ name: "alice", bars: [{ value: 0, breached: true, tip: "zero" }, { value: null, breached: false, tip: "none" }, { value: 0.5, breached: true, tip: "half" }] }],
    target: { value: 0.95, label: `target ${targetText({ op: ">=", value: 0.95, unit: "ratio" })}` },
    unit: "ratio",
  });

  it("draws a zero as a flat bar, 'no leads' as a ring, and hatches breached bars, in both layouts", () => {
    expect(chart.match(/<rect class="point s1 zero breached"[^>]*height="3"/g)).toHaveLength(2);
    expect(chart.match(/<circle class="none"/g)).toHaveLength(2);
    expect(chart.match(/class="hatch"/g)).toHaveLength(2);
    expect(chart).toContain('data-points="2"');
    expect(chart).toContain("flat bar: zero");
    expect(chart).toContain("ring: no leads");
  });

  it("labels the target in the margin right of every bar", () => {
    const svg = chart.slice(0, chart.indexOf("</svg>"));
    const label = Number(/<text class="target-label" x="([\d.]+)"/.exec(svg)?.[1]);
    const rightmost = Math.max(...[...svg.matchAll(/<rect class="point[^"]*" x="([\d.]+)"[^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]) + Number(m[2])));
    expect(label).toBeGreaterThan(rightmost);
    expect(svg).toContain(">target ≥ 95%</text>");
  });

  it("escapes group names", () => {
    const svg = barChart({ id: "x", alt: "<b>", categories: ["<i>"], series: [{ name: '"q"', bars: [{ value: 1, breached: false, tip: "<tip>" }] }], target: null, unit: "leads" });
    expect(svg).not.toMatch(/<(b|i|tip)>/);
  });
});

describe("the heatmap past eight groups", () => {
  const target = { op: ">=" as const, value: 0.95, unit: "ratio" as const };
  const row = (group: string, values: Array<number | null>) => ({
    group,
    cells: values.map((value) => ({ value, status: value === null ? ("no_data" as const) : value >= 0.95 ? ("met" as const) : ("breached" as const), tip: group })),
  });

  it("measures shortfall in points for shares and relative to the target for counts", () => {
    expect(shortfall(0.9, target)).toBeCloseTo(0.05);
    expect(shortfall(1, target)).toBe(0);
    expect(shortfall(50, { op: ">=", value: 100, unit: "leads" })).toBe(0.5);
    expect(shortfall(6, { op: "<=", value: 4, unit: "leads" })).toBe(0.5);
  });

  it("sorts the worst first: most breached results, then the largest shortfall", () => {
    const rows = [row("ann", [1, 1]), row("bob", [0.5, 1]), row("cy", [0.9, 0.9]), row("dee", [0.2, null])];
    expect(sortWorstFirst(rows, target).map((r) => r.group)).toEqual(["cy", "dee", "bob", "ann"]);
  });

  it("writes every value, outlines breached cells, and folds rows past the limit behind 'N more' without dropping one", () => {
    const rows = Array.from({ length: HEAT_ROWS_SHOWN + 10 }, (_, i) => row(`rep${i}`, [i / 100, null, 1]));
    const html = heatmap({ id: "h", alt: "reps", groupLabel: "owner", periods: ["2027-01", "2027-02", "2027-03"], rows, target });
    expect(html.match(/<th scope="row">/g)).toHaveLength(HEAT_ROWS_SHOWN + 10);
    expect(html).toContain(`10 more owner rows (${HEAT_ROWS_SHOWN + 1}–${HEAT_ROWS_SHOWN + 10} of ${HEAT_ROWS_SHOWN + 10}, worst first)`);
    expect(html.match(/<td class="h4 breached"[^>]*>0%<\/td>/g)).toHaveLength(1);
    expect(html.match(/<td class="h-none"[^>]*>–<\/td>/g)).toHaveLength(HEAT_ROWS_SHOWN + 10);
    expect(html).toContain('data-points="120"');
    expect(html.indexOf("rep0<")).toBeLessThan(html.indexOf("rep59<"));
  });
});

describe("long lists are folded with a count, never cut", () => {
  it("horizontal bars past `shown` rows", () => {
    const rows = Array.from({ length: 20 }, (_, i) => ({ label: `rep${i}`, value: 20 - i }));
    const html = hbarChart({ id: "o", alt: "owners", rows, noun: "missed leads", rowsNoun: "owners", shown: 15 });
    expect(html).toContain("<summary>5 more owners (15 missed leads)</summary>");
    for (const r of rows) expect(html).toContain(`>${r.label}<`);
  });

  it("lists past `shown` items", () => {
    const html = foldedList("attention", ["a", "b", "c", "d"], 3, "result");
    expect(html).toContain("<summary>1 more result</summary>");
    expect(html.match(/<li>/g)).toHaveLength(4);
  });
});

describe("--baseline: what changed since an earlier report", () => {
  const cell = (period: string, group: string, status: SlaCell["status"], value: number | null): SlaCell =>
    ({ period, group, status, value, periodStart: null, periodEnd: null, pace: null, leads: 1, met: 0, breached: 0, pending: 0, noClock: 0, waived: 0, breachedLeads: { leads: [], leftOut: 0 }, pendingLeads: { leads: [], leftOut: 0 }, waivedLeads: { leads: [], leftOut: 0 }, prorated: null, sample: null });
  const sla = (id: string, by: string[], results: SlaCell[], status: SlaResult["status"], value: number | null): SlaResult =>
    ({ id, title: null, owner: "sales", severity: "hard", kind: "firstTouch", expectation: "", population: "p", clock: "c", per: "month", by, status, target: { op: ">=", value: 0.95, unit: "ratio" }, minimum: 5, value, totals: { met: 0, breached: 0, pending: 0, noClock: 0, waived: 0, leads: 0 }, waivers: [], results });
  const now = {
    asOf: "2027-03-15T22:00:00Z",
    slas: [
      sla("speed", ["owner"], [cell("2027-01", "ann", "breached", 0.5), cell("2027-02", "ann", "breached", 0.6), cell("2027-02", "bob", "met", 1)], "breached", 0.8),
      sla("by_email", ["email"], [cell("2027-02", "personal value 1", "breached", 0)], "breached", 0),
    ],
  } as unknown as EvaluationResult;
  const before: PreviousReport = {
    asOf: "2027-02-15T22:00:00Z",
    slas: [
      { id: "speed", title: null, status: "at_risk", value: 0.9, by: ["owner"], target: { op: ">=", value: 0.95, unit: "ratio" }, results: [{ period: "2027-01", group: "ann", status: "breached", value: 0.5 }, { period: "2027-02", group: "bob", status: "breached", value: 0.5 }] },
      { id: "gone", title: "Old SLA", status: "met", value: 1, by: [], target: { op: ">=", value: 1, unit: "ratio" }, results: [] },
    ],
  };

  it("finds status changes, new and cleared breaches, new and removed SLAs; personal groups are not matched", () => {
    const cmp = compareReports(now, before, new Set(["email"]));
    expect(cmp.slas.map((s) => [s.id, s.before?.status ?? null, s.now?.status ?? null])).toEqual([
      ["speed", "at_risk", "breached"],
      ["by_email", null, "breached"],
      ["gone", "met", null],
    ]);
    expect(cmp.newBreaches.map((b) => `${b.sla.id} ${b.cell.period} ${b.cell.group}`)).toEqual(["speed 2027-02 ann"]);
    expect(cmp.recovered).toBe(1);
    expect(cmp.unmatchedGroups).toEqual(["by_email"]);
    expect(cmp.slas.map(trendWords)).toEqual(["▼ down 10 points", "new SLA", "no longer in the agreement"]);
  });

  it.each([
    ["{", /^not JSON/],
    ["[]", /^not a JSON report of 'eval --format json': the top level must be object/],
    ['{"asOf":"x","slas":[{"id":1}]}', /\/slas\/0 must have required property/],
  ])("refuses %s with a reason", (text, reason) => {
    const parsed = parseBaseline(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });

  it("eval says what is wrong with --baseline and exits 2", async () => {
    const tmp = await tempDir();
    try {
      const missing = await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "html", "--baseline", "no-such.json"]);
      expect([missing.code, missing.stderr]).toEqual([2, "no-such.json: error: --baseline: cannot read the file (ENOENT)\n"]);
      const file = path.join(tmp.dir, "bad.json");
      await writeFile(file, '{"asOf": 3, "slas": []}');
      const bad = await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "html", "--baseline", file]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("error: --baseline: not a JSON report of 'eval --format json': /asOf must be string");
      // A title from the previous report is printed only for an SLA gone since, masked like every value.
      const gone = path.join(tmp.dir, "gone.json");
      await writeFile(gone, JSON.stringify({ asOf: "2027-02-15T22:00:00Z", slas: [{ id: "gone", title: "Ask bob@example.com", status: "met", value: 1, target: { op: ">=", value: 1, unit: "ratio" }, by: [], results: [] }] }));
      const masked = await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "html", "--baseline", gone]);
      expect(masked.code).toBe(1);
      expect(masked.stdout).toContain("Ask [email hidden]");
      expect(masked.stdout).not.toContain("bob@example.com");
      const json = await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "json", "--baseline", file]);
      expect(json.code).toBe(2);
      expect(json.stderr).toContain("--baseline is read by the dashboard only: add --format html");
    } finally {
      await tmp.cleanup();
    }
  });
});

describe("any team shape draws finite charts", () => {
  const shapeResult = (groups: number, periods: number, unit: "leads" | "ratio"): EvaluationResult => {
    const results: SlaCell[] = [];
    for (let p = 0; p < periods; p++)
      for (let g = 0; g < groups; g++)
        results.push({ period: `2027-W${String(p + 1).padStart(2, "0")}`, group: `rep ${g}`, status: (p + g) % 3 === 0 ? "breached" : "met", value: (p + g) % 5 === 0 ? null : unit === "ratio" ? ((p * g) % 11) / 10 : (p * g) % 1234, periodStart: null, periodEnd: null, pace: null, leads: 3, met: 2, breached: 1, pending: 0, noClock: 0, waived: 0, breachedLeads: { leads: [], leftOut: 0 }, pendingLeads: { leads: [], leftOut: 0 }, waivedLeads: { leads: [], leftOut: 0 }, prorated: null, sample: null });
    const sla: SlaResult = { id: "s", title: "S", owner: "sales", severity: "hard", kind: unit === "ratio" ? "firstTouch" : "count", expectation: "e", population: "p", clock: "c", per: "week", by: groups > 1 ? ["owner"] : [], status: "breached", target: { op: ">=", value: unit === "ratio" ? 0.95 : 75, unit }, minimum: unit === "ratio" ? 5 : null, value: null, totals: { met: 0, breached: 0, pending: 0, noClock: 0, waived: 0, leads: 0 }, waivers: [], results };
    return {
      asOf: "2027-03-15T22:00:00Z",
      policy: { title: "T", version: 1, effective: null, timezone: "UTC", hash: `sha256:${"0".repeat(64)}` },
      inForce: true,
      input: { engine: "memory", files: [], rejects: [], rejectReasons: [], naiveTimestamps: 0, duplicateLeadIds: 0, unknownLeadActivities: 0, rejectedLeadActivities: 0, unmatchedActivities: [], rejectsFile: null, activitiesAfterAsOf: 0, leadsBeforeEffective: 0, leadClocksAfterAsOf: 0 },
      definitions: {},
      slas: [sla],
      goals: [],
      notes: [],
      summary: { status: "breached", slas: { met: 0, breached: 1, at_risk: 0, in_progress: 0, insufficient: 0, no_data: 0 }, failing: ["s"], input: "accepted" },
    };
  };

  it.each([
    [0, 0, "ratio", false],
    [1, 1, "leads", false],
    [1, 60, "leads", false],
    [8, 12, "ratio", false],
    [3, 40, "ratio", true],
    [9, 1, "leads", true],
    [120, 3, "ratio", true],
  ] as const)("%i groups × %i periods (%s): heatmap %s", async (groups, periods, unit, heat) => {
    const { renderHtml } = await import("../../src/report/html.js");
    const html = renderHtml(shapeResult(groups, periods, unit));
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
    expect(html.includes('class="heatmap"')).toBe(heat);
    if (groups * periods > 0) expect(html).toContain(`data-points="${shapeResult(groups, periods, unit).slas[0]!.results.filter((c) => c.value !== null).length}"`);
  });
});

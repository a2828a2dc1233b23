/// <reference lib="dom" />
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EvaluationResult } from "../../src/engine/result.js";
import { isLeadLevel } from "../../src/lang/sla-kind.js";
import { launchChromium } from "../browser.js";
import { ROOT, runCli, tempDir } from "../helpers.js";
import { writeTeamSnapshot, ZERO_MONTH, ZERO_REP_INDEX, REPS } from "./team-snapshot.js";

/**
 * The HTML dashboard in a real headless Chromium (the system's or the npm-packaged one), on the
 * bundled sample (with --baseline, an earlier cut of the same sample) and on a generated
 * 40-rep × 12-month team, at 1400 and 400 px: labels never overlap, nothing is drawn outside its
 * chart, the page never scrolls sideways, every number in a chart's table is the JSON report's,
 * a 0% result is visible, axe-core finds nothing serious; screenshots kept as test artifacts.
 */
const ARTIFACTS = path.join(ROOT, "test-artifacts");
const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

interface Dashboard {
  name: string;
  html: string;
  report: EvaluationResult;
}

const dashboards: Dashboard[] = [];
let browser: Browser;
let cleanup: (() => Promise<void>) | undefined;

async function evalBoth(name: string, snapshot: string, extra: string[] = []): Promise<Dashboard> {
  const html = path.join(ARTIFACTS, `dashboard-${name}.html`);
  const written = await runCli(["eval", "--snapshot", snapshot, "--format", "html", "--output", html, ...extra]);
  expect(written.code, written.stderr).toBe(1);
  const json = await runCli(["eval", "--snapshot", snapshot, "--format", "json"]);
  return { name, html, report: JSON.parse(json.stdout) as EvaluationResult };
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  const tmp = await tempDir();
  cleanup = tmp.cleanup;
  // The baseline: the same sample cut a month earlier, as the compliance workflow would have kept it.
  const earlier = await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "json", "--as-of", "2027-02-15T17:00:00-05:00", "--output", path.join(tmp.dir, "previous.json")]);
  expect(earlier.code).toBe(1);
  dashboards.push(await evalBoth("sample", "snapshots/sample", ["--baseline", path.join(tmp.dir, "previous.json")]));
  writeTeamSnapshot(path.join(tmp.dir, "team"), 7);
  dashboards.push(await evalBoth("team", path.join(tmp.dir, "team")));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await cleanup?.();
});

async function open(d: Dashboard, width: number, colorScheme: "light" | "dark" = "light"): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
  const problems: string[] = [];
  page.on("console", (m) => void (m.type() === "error" && problems.push(m.text())));
  page.on("pageerror", (e) => problems.push(e.message));
  // Self-contained: the page asks for nothing but itself.
  page.on("request", (r) => void (r.url().startsWith("file://") || problems.push(`request: ${r.url()}`)));
  await page.goto(`file://${d.html}`);
  return { page, problems };
}

/** In every chart drawn at this width: overlapping labels, marks outside the drawing, labels under 10 px. */
function chartGeometry(): string[] {
  const problems: string[] = [];
  const visible = (e: Element) => (e as HTMLElement | SVGElement).getClientRects().length > 0;
  for (const svg of Array.from(document.querySelectorAll("svg.chart")).filter(visible)) {
    const where = svg.closest("figure")?.id ?? "?";
    const box = svg.getBoundingClientRect();
    const scale = box.width / (svg as SVGSVGElement).viewBox.baseVal.width;
    const texts = Array.from(svg.querySelectorAll("text"));
    const boxes = texts.map((t) => ({ text: t.textContent ?? "", r: t.getBoundingClientRect() }));
    for (let i = 0; i < boxes.length; i++) {
      const a = boxes[i]!;
      const size = parseFloat(getComputedStyle(texts[i]!).fontSize) * scale;
      if (size < 10) problems.push(`${where}: '${a.text}' is ${size.toFixed(1)} px`);
      for (let j = i + 1; j < boxes.length; j++) {
        const b = boxes[j]!;
        const dx = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
        const dy = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
        if (dx > 0.5 && dy > 0.5) problems.push(`${where}: '${a.text}' overlaps '${b.text}'`);
      }
    }
    for (const mark of Array.from(svg.querySelectorAll("text, rect, line, circle"))) {
      const r = mark.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1) problems.push(`${where}: <${mark.tagName} class="${mark.getAttribute("class")}"> '${mark.textContent}' outside its chart`);
    }
  }
  return problems;
}

/** Every number a chart's table holds, by SLA, period and group: [sla, period, group, column, value]. */
function tableNumbers(): Array<[string, string, string, number, number]> {
  const out: Array<[string, string, string, number, number]> = [];
  for (const section of Array.from(document.querySelectorAll("section.sla"))) {
    const sla = section.querySelector("figure")?.id.replace(/^sla-/, "") ?? "?";
    for (const tr of Array.from(section.querySelectorAll("details.numbers tr[data-period]"))) {
      Array.from(tr.children).forEach((td, column) => {
        const v = td.getAttribute("data-value");
        if (v !== null) out.push([sla, tr.getAttribute("data-period") ?? "", tr.getAttribute("data-group") ?? "", column, Number(v)]);
      });
    }
  }
  return out;
}

/** Every number of the goals' funnel tables: [goal, stage, column, value]. */
function goalNumbers(): Array<[string, string, number, number]> {
  const out: Array<[string, string, number, number]> = [];
  for (const section of Array.from(document.querySelectorAll("section.goal"))) {
    const goal = section.querySelector("figure")?.id.replace(/^goal-/, "") ?? "?";
    for (const tr of Array.from(section.querySelectorAll("details.numbers tr[data-stage]"))) {
      Array.from(tr.children).forEach((td, column) => {
        const v = td.getAttribute("data-value");
        if (v !== null) out.push([goal, tr.getAttribute("data-stage") ?? "", column, Number(v)]);
      });
    }
  }
  return out;
}

describe.each([1400, 400])("the HTML dashboard at %i px in headless Chromium", (width) => {
  it.each(["sample", "team"])("%s: readable, faithful to the JSON report, and accessible", async (name) => {
    const d = dashboards.find((x) => x.name === name)!;
    const { page, problems } = await open(d, width);
    expect(problems).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth), "horizontal page scroll").toBe(0);
    expect(await page.evaluate(chartGeometry)).toEqual([]);

    // Every SLA has its chart with one mark per judged result, and its table has the report's numbers.
    const numbers = await page.evaluate(tableNumbers);
    for (const sla of d.report.slas) {
      const judged = sla.results.filter((c) => c.value !== null);
      const figure = page.locator(`figure#sla-${sla.id}`);
      expect(await figure.getAttribute("data-points"), sla.id).toBe(String(judged.length));
      const shown = figure.locator("svg.chart:visible .point, table.heatmap td[data-value]");
      expect(await shown.count(), sla.id).toBe(judged.length);
      const lead = isLeadLevel(sla.kind);
      for (const c of sla.results) {
        const row = numbers.filter(([s, p, g]) => s === sla.id && p === c.period && g === c.group).map(([, , , column, v]) => [column, v]);
        const expected = lead ? [[3, c.met], [4, c.breached], [5, c.pending]] : [[3, c.leads]];
        if (c.value !== null) expected.unshift([2, c.value]);
        expect(row, `${sla.id} ${c.period} ${c.group}`).toEqual(expected);
      }
      // A zero is a mark a reader sees: a flat bar at least 2 px tall, or a cell reading 0%.
      const zeros = judged.filter((c) => c.value === 0).length;
      const zeroMarks = figure.locator("svg.chart:visible rect.zero, table.heatmap td[data-value='0']");
      expect(await zeroMarks.count(), `${sla.id} zeros`).toBe(zeros);
      for (const mark of await zeroMarks.all()) {
        const box = await mark.boundingBox();
        expect(box?.height ?? 0).toBeGreaterThanOrEqual(2);
      }
    }
    const goals = await page.evaluate(goalNumbers);
    for (const goal of d.report.goals) {
      expect(await page.locator(`figure#goal-${goal.id}`).getAttribute("data-points")).toBe(String(goal.stages.length));
      for (const s of goal.stages) {
        const expected = [[1, s.rate], [2, s.required], [3, s.actual]].filter(([, v]) => v !== null);
        expect(goals.filter(([g, st]) => g === goal.id && st === s.definition).map(([, , c, v]) => [c, v]), `${goal.id} ${s.definition}`).toEqual(expected);
      }
    }
    if (name === "team") {
      const zero = page.locator(`figure#sla-first_touch table.heatmap td[title^="${ZERO_MONTH} · owner ${REPS[ZERO_REP_INDEX]}:"]`);
      await expect.poll(() => zero.textContent()).toBe("0%");
      expect(await zero.isVisible()).toBe(true);
      // Forty reps: every one in the heatmap, none dropped.
      expect(await page.locator("figure#sla-first_touch table.heatmap tbody th").count()).toBe(REPS.length);
    }
    await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${name}-${width}.png`), fullPage: true });

    await page.addScriptTag({ path: AXE });
    const violations = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }> } }).axe;
      const result = await axe.run(document, { resultTypes: ["violations"] });
      return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.nodes.length})`);
    });
    expect(violations).toEqual([]);
    await page.close();
  });
});

describe("the HTML dashboard, whole", () => {
  it("follows the reader's dark mode, and axe-core finds no contrast problem there", async () => {
    for (const d of dashboards) {
      const { page } = await open(d, 1400, "dark");
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(13, 17, 23)");
      await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${d.name}-dark.png`) });
      await page.addScriptTag({ path: AXE });
      const contrast = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (c: Document, o: object) => Promise<{ violations: Array<{ id: string }> }> } }).axe;
        return (await axe.run(document, { runOnly: ["color-contrast"] })).violations.map((v) => v.id);
      });
      expect(contrast, d.name).toEqual([]);
      await page.close();
    }
  });

  it("prints on A4 in light colours with every table open and nothing cut at the right edge", async () => {
    for (const d of dashboards) {
      // 718 px: an A4 page's printable width at 96 dpi; a dark-mode reader still prints black on white.
      const { page } = await open(d, 718, "dark");
      await page.emulateMedia({ media: "print" });
      await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
      expect(await page.evaluate(() => Array.from(document.querySelectorAll("details")).filter((x) => !x.open).length)).toBe(0);
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(255, 255, 255)");
      const widest = await page.evaluate(() => Math.max(...Array.from(document.querySelectorAll("table, svg.chart")).filter((e) => e.getClientRects().length > 0).map((e) => e.getBoundingClientRect().right)));
      expect(widest, d.name).toBeLessThanOrEqual(718);
      await page.close();
    }
  });

  it("shows what changed since the baseline report", async () => {
    const { page } = await open(dashboards[0]!, 1400);
    const rows = page.locator("section[aria-labelledby=h-changes] ul.changes li");
    expect(await rows.count()).toBe(dashboards[0]!.report.slas.length);
    expect(await page.locator("section[aria-labelledby=h-changes]").textContent()).toMatch(/Since the report as of 2027-02-15: \d+ SLAs? changed status, \d+ results? newly breached/);
    await page.close();
  });

  it("lists the leads to act on, each with the explain command that shows why", async () => {
    const { page } = await open(dashboards[0]!, 1400);
    const rows = await page.locator("table.leads tbody tr").evaluateAll((trs) => trs.map((tr) => [tr.querySelector("th")?.textContent ?? "", tr.querySelector("code.explain")?.textContent ?? ""]));
    expect(rows.length).toBeGreaterThan(0);
    for (const [id, command] of rows) expect(command).toBe(`smarketing-policy explain --snapshot snapshots/sample --lead ${id}`);
    await page.close();
  });

  it("holds no script from the network and no personal field", () => {
    for (const d of dashboards) {
      const html = readFileSync(d.html, "utf8");
      expect(html).not.toMatch(/<script[^>]*\bsrc=/i);
      expect(html).not.toMatch(/\b(https?:)?\/\/[\w.-]+\.[a-z]{2,}\//i);
      expect(html).not.toMatch(/[\w.]+@[\w-]+\.(com|io|co)\b/);
    }
    const emails = readFileSync(path.join(ROOT, "snapshots/sample/leads.csv"), "utf8").match(/[\w.]+@[\w.-]+\.\w+/g) ?? [];
    expect(emails.length).toBeGreaterThan(100);
    const sample = readFileSync(dashboards[0]!.html, "utf8");
    for (const email of emails) expect(sample).not.toContain(email);
  });
});

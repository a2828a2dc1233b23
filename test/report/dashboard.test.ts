/// <reference lib="dom" />
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../browser.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers.js";

/**
 * The HTML dashboard in a real headless Chromium (the system's or the npm-packaged one): no console
 * errors, charts with the right number of points, light and dark mode, a screenshot kept as a
 * test artifact, and no personal data in the file.
 */
const ARTIFACTS = path.join(ROOT, "test-artifacts");
const HTML = path.join(ARTIFACTS, "dashboard.html");

describe("the HTML dashboard in headless Chromium", () => {
  let browser: Browser;
  let report: { slas: Array<{ id: string; results: Array<{ value: number | null }> }>; goals: Array<{ id: string; stages: unknown[] }> };

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    const html = await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "html", "--output", HTML]);
    expect(html.code).toBe(1);
    report = JSON.parse((await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "json"])).stdout) as typeof report;
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => browser?.close());

  it("renders without console errors, with every chart's points, and saves a screenshot", async () => {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    page.on("pageerror", (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(`file://${HTML}`);
    expect(errors).toEqual([]);
    // Self-contained: the page asks for nothing but itself.
    expect(requests.filter((u) => !u.startsWith("file://"))).toEqual([]);

    for (const sla of report.slas) {
      const chart = page.locator(`svg#sla-${sla.id}`);
      await expect.poll(() => chart.count()).toBe(1);
      const expected = sla.results.filter((c) => c.value !== null).length;
      expect(await chart.locator(".point").count(), sla.id).toBe(expected);
      expect(await chart.getAttribute("data-points"), sla.id).toBe(String(expected));
      expect(await chart.getAttribute("role")).toBe("img");
    }
    for (const goal of report.goals) expect(await page.locator(`svg#goal-${goal.id} .point`).count()).toBe(goal.stages.length);
    expect(await page.locator("details.numbers").count()).toBeGreaterThanOrEqual(report.slas.length + report.goals.length);
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard.png"), fullPage: true });
    expect(existsSync(path.join(ARTIFACTS, "dashboard.png"))).toBe(true);
    await page.close();
  });

  it("follows the reader's dark mode", async () => {
    const page = await browser.newPage({ colorScheme: "dark" });
    await page.goto(`file://${HTML}`);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe("rgb(13, 17, 23)");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard-dark.png") });
    await page.close();
  });

  it("opens every table of numbers when printed", async () => {
    const page = await browser.newPage();
    await page.goto(`file://${HTML}`);
    await page.emulateMedia({ media: "print" });
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    const closed = await page.evaluate(() => Array.from(document.querySelectorAll("details")).filter((d) => !d.open).length);
    expect(closed).toBe(0);
    await page.close();
  });

  it("holds no personal fields", () => {
    const html = readFileSync(HTML, "utf8");
    const emails = readFileSync(path.join(ROOT, "snapshots/sample/leads.csv"), "utf8").match(/[\w.]+@[\w.-]+\.\w+/g)!;
    expect(emails.length).toBeGreaterThan(100);
    for (const email of emails) expect(html).not.toContain(email);
    expect(html).not.toMatch(/[\w.]+@[\w-]+\.(com|io|co)\b/);
  });
});

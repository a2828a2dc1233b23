/**
 * Writes the dashboard screenshots that docs/reports.md shows (docs/images/dashboard-*.png): the
 * bundled sample with a baseline a month earlier, and the generated 40-rep team of the dashboard
 * test, in headless Chromium at desktop and phone widths.
 *
 *   npx tsx scripts/dashboard-screenshots.ts
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { launchChromium } from "../test/browser.js";
import { runCli } from "../test/helpers.js";
import { writeTeamSnapshot } from "../test/report/team-snapshot.js";

const out = path.resolve("docs/images");
const tmp = mkdtempSync(path.join(os.tmpdir(), "dashboard-shots-"));
mkdirSync(out, { recursive: true });
try {
  const previous = path.join(tmp, "previous.json");
  await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "json", "--as-of", "2027-02-15T17:00:00-05:00", "--output", previous]);
  await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "html", "--output", path.join(tmp, "sample.html"), "--baseline", previous]);
  writeTeamSnapshot(path.join(tmp, "team"), 7);
  await runCli(["eval", "--snapshot", path.join(tmp, "team"), "--format", "html", "--output", path.join(tmp, "team.html")]);

  const browser = await launchChromium();
  const shot = async (file: string, width: number, name: string, target: (p: import("playwright-core").Page) => Promise<void>) => {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`file://${path.join(tmp, file)}`);
    await target(page);
    console.log(`wrote docs/images/${name}`);
    await page.close();
  };
  await shot("sample.html", 1200, "dashboard-overview.png", (p) => p.screenshot({ path: path.join(out, "dashboard-overview.png") }).then(() => undefined));
  await shot("sample.html", 1200, "dashboard-bars.png", (p) => p.locator("section.sla", { has: p.locator("#sla-first_touch") }).screenshot({ path: path.join(out, "dashboard-bars.png") }).then(() => undefined));
  await shot("team.html", 1200, "dashboard-heatmap.png", async (p) => {
    const box = await p.locator("#sla-first_touch").boundingBox();
    if (box) await p.screenshot({ path: path.join(out, "dashboard-heatmap.png"), fullPage: true, clip: { x: box.x - 8, y: box.y - 8, width: box.width + 16, height: 620 } });
  });
  await shot("sample.html", 400, "dashboard-phone.png", async (p) => {
    const box = await p.locator("section.sla", { has: p.locator("#sla-mql_volume") }).boundingBox();
    if (box) await p.screenshot({ path: path.join(out, "dashboard-phone.png"), fullPage: true, clip: { x: 0, y: box.y - 8, width: 400, height: Math.min(box.height + 16, 1100) } });
  });
  await browser.close();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

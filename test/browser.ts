import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/**
 * A headless Chromium for the browser tests: the system's (Debian's `chromium`, or
 * CHROMIUM_PATH) when there is one, else the Chromium shipped inside the
 * `@sparticuz/chromium` npm package, so that `npm ci && npm test` is the whole set-up.
 */
const SYSTEM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

export async function launchChromium(): Promise<Browser> {
  const system = process.env["CHROMIUM_PATH"] ?? ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => existsSync(p));
  if (system !== undefined) return chromium.launch({ executablePath: system, args: SYSTEM_ARGS });
  const packaged = (await import("@sparticuz/chromium")).default;
  // Its --single-process (made for serverless hosts) ends the browser when a test closes its
  // last page; every other argument is kept.
  const args = packaged.args.filter((a) => a !== "--single-process");
  return chromium.launch({ executablePath: await packaged.executablePath(), args, headless: true });
}

import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers.js";

describe("the text report's columns fit what they hold", () => {
  it("a long SLA id widens the id column: every SLA's status starts in the same column", async () => {
    const { dir, cleanup } = await tempDir();
    try {
      await cp(path.join(ROOT, "test/fixtures/hand-checked/policies"), dir, { recursive: true });
      const file = path.join(dir, "agreement.policy");
      const longId = "first_touch_within_four_business_hours";
      await writeFile(file, (await readFile(file, "utf8")).replace("sla first_touch ", `sla ${longId} `));
      const result = await runCli(["eval", "--policies", dir, "--snapshot", "test/fixtures/hand-checked/snapshot", "--max-rejected", "2"]);
      const section = result.stdout.slice(result.stdout.indexOf("\nSLAs\n"), result.stdout.indexOf("\nDefinitions:"));
      const headers = section.split("\n").filter((l) => /^ {2}\S/.test(l));
      expect(headers.map((l) => l.split(/\s+/)[1])).toEqual([longId, "cap", "volume", "heat"]);
      const statusColumns = headers.map((l) => l.search(/(at risk|breached|met|in progress)/));
      expect(new Set(statusColumns).size).toBe(1);
      expect(statusColumns[0]).toBe(2 + longId.length + 1);
    } finally {
      await cleanup();
    }
  });
});

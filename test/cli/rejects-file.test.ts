import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { RejectsFile } from "../../src/cli/rejects-file.js";
import { REJECTS_CSV_HEADER, rejectCsvLine } from "../../src/report/rejects-csv.js";
import { tempDir } from "../helpers.js";

describe("--rejects FILE written through one buffer", () => {
  it("holds every row's line, in order, whatever their sizes and characters", async () => {
    const { dir, cleanup } = await tempDir();
    const rows = [
      ...Array.from({ length: 5000 }, (_, i) => ({ file: "leads.csv", line: i + 2, reason: `column 'stage' must be one of the allowed values (found Évangéliste ${"€".repeat(i % 40)})` })),
      // Longer than the buffer on its own, in characters of three bytes.
      { file: "leads.csv", line: 9000, reason: "数".repeat(70_000) },
      { file: "activities.csv", line: 3, reason: "activity for lead 'L1', which is not in the lead export (unmatched)" },
      { file: "notes, \"quoted\".csv", line: 4, reason: "=HYPERLINK(\"x\")" },
    ];
    const file = new RejectsFile(dir, "out/rejects.csv", false);
    for (const row of rows) file.write(row);
    file.close();
    const expected = REJECTS_CSV_HEADER + rows.map((r) => rejectCsvLine(r, false)).join("");
    expect(readFileSync(path.join(dir, "out/rejects.csv"), "utf8")).toBe(expected);
    await cleanup();
  });
});

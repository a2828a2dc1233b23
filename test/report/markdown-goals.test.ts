import { describe, expect, it } from "vitest";
import type { EvaluationResult } from "../../src/engine/result.js";
import { renderMarkdown } from "../../src/report/markdown.js";
import { runCli } from "../helpers.js";

describe("Markdown: a grouped goal with many results", () => {
  it("shows the newest 30 and says how many earlier ones are in the JSON report", async () => {
    const json = JSON.parse((await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "json"])).stdout) as EvaluationResult;
    const goal = json.goals.find((g) => g.by.length > 0)!;
    const many = Array.from({ length: 45 }, (_, i) => ({ ...goal.results[0]!, group: `rep${String(i).padStart(2, "0")}` }));
    const md = renderMarkdown({ ...json, goals: [{ ...goal, results: many }] });
    expect(md).toContain(`<b>${goal.id}</b> by owner: 45 results`);
    expect(md).toContain("… and 15 earlier results in the JSON report");
    expect(md).not.toContain("| rep14 |");
    expect(md).toContain("| rep15 |");
    expect(md).toContain("| rep44 |");
  });
});

import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

/** eval, github check, diff, test and explain evaluate through engine/evaluate.ts; only the engine drives the Evaluator. */
describe("one evaluation service", () => {
  it("no module outside src/engine makes an Evaluator", () => {
    const src = path.join(ROOT, "src");
    const files = sourceFiles(src);
    expect(files.some((f) => readFileSync(f, "utf8").includes("new Evaluator("))).toBe(true);
    const outside = files.filter((f) => !f.startsWith(path.join(src, "engine") + path.sep) && readFileSync(f, "utf8").includes("new Evaluator("));
    expect(outside.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});

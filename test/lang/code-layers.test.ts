import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DIAGNOSTIC_CODES } from "../../src/lang/diagnostics.js";
import { codesOf, ROOT } from "../helpers.js";
import { columnOf, lineOf, mutate } from "./fixtures.js";

const SRC = path.join(ROOT, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

/**
 * The layer that raises a diagnostic: reading (lexer, parser, lowering: src/lang itself), checking
 * (src/lang/check) or a folder above them (engine, cli, …).
 */
function layerOf(file: string): string {
  const parts = path.relative(SRC, file).split(path.sep);
  if (parts[0] === "lang") return parts[1] === "check" ? "lang/check" : "lang (reading)";
  return parts[0]!;
}

/**
 * Where a code is raised: the first argument of a call (`report("E0105", …)`, `diagnostic("E0103", …)`)
 * or a `code:` property. A code only compared with (`d.code === "E0103"`) is not raised there.
 */
function raisedCodes(text: string): string[] {
  return [...text.matchAll(/(?:\(\s*|\b[cC]ode:\s*)"([EW]\d{4})"/g)].map((m) => m[1]!);
}

function codeLayers(): Map<string, Set<string>> {
  const layers = new Map<string, Set<string>>();
  for (const file of sourceFiles(SRC)) {
    if (file === path.join(SRC, "lang", "diagnostics.ts")) continue; // the table of codes
    for (const code of raisedCodes(readFileSync(file, "utf8"))) {
      const at = layers.get(code) ?? new Set<string>();
      at.add(layerOf(file));
      layers.set(code, at);
    }
  }
  return layers;
}

describe("each diagnostic code is raised in one layer", () => {
  it("finds the raise sites (the scan is not empty)", () => {
    const layers = codeLayers();
    expect(layers.size).toBeGreaterThan(30);
    expect([...layers.get("E0105")!]).toEqual(["lang (reading)"]);
    expect([...layers.get("E0103")!]).toEqual(["lang/check"]);
  });

  it("no code comes from two layers", () => {
    const twice = [...codeLayers()].filter(([, at]) => at.size > 1).map(([code, at]) => `${code}: ${[...at].sort().join(", ")}`);
    expect(twice).toEqual([]);
  });

  it("every code raised is in the table of codes", () => {
    const unknown = [...codeLayers().keys()].filter((code) => !(code in DIAGNOSTIC_CODES));
    expect(unknown).toEqual([]);
  });
});

/** The checks that moved between layers: each mistake still gives its code at its place. */
describe("moved checks: code and place as before", () => {
  const cases: Array<{ name: string; text: string; code: string; at: string }> = [
    { name: "money without currency", text: mutate("amount        money USD", "amount        money"), code: "E0103", at: "money" },
    { name: "one of on a number field", text: mutate('score         number from "Score"', 'score         number one of ["1"] from "Score"'), code: "E0106", at: '["1"]' },
    { name: "two owners on an SLA", text: mutate("  owner marketing\n  leads mql\n  expect count", "  owner marketing, sales\n  leads mql\n  expect count"), code: "E0106", at: ", sales" },
    { name: "a currency that is no code", text: mutate("amount        money USD", "amount        money usd"), code: "E0105", at: "usd" },
    { name: "unknown period", text: mutate("per month", "per mounth"), code: "E0105", at: "mounth" },
    { name: "unknown severity", text: mutate("severity soft", "severity sofft"), code: "E0105", at: "sofft" },
    { name: "unknown period of a goal", text: mutate("USD per quarter", "USD per quartr"), code: "E0105", at: "quartr" },
    { name: "business weeks", text: mutate("5 business hours", "5 business weeks"), code: "E0106", at: "weeks" },
    { name: "a number in a field's one of", text: mutate('one of ["lead", "mql", "sql"]', 'one of ["lead", 3, "sql"]'), code: "E0002", at: "3," },
    { name: "a literal left of 'in'", text: mutate('stage in ["mql", "sql"]', '"mql" in ["mql", "sql"]'), code: "E0002", at: '"mql" in' },
  ];
  for (const c of cases) {
    it(`${c.code}: ${c.name}`, () => {
      // `, sales`: the diagnostic is on the second owner's name.
      const shift = c.at.startsWith(", ") ? 2 : 0;
      expect(codesOf({ "p.policy": c.text })).toContainEqual([c.code, lineOf(c.text, c.at), columnOf(c.text, c.at) + shift]);
    });
  }
});

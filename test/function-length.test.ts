import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

/** House rule: a function fits on a screen or two, to be read at once. */
const MAX_LINES = 100;

/**
 * Longer today, each with its reason; the list only shrinks. Templates of generated files are
 * text, not logic.
 */
const KNOWN: Readonly<Record<string, string>> = {
  "src/cli/workflow-templates.ts workflows": "the workflow files' text",
  "src/lang/check/symbols.ts collectSymbols": "one switch over block kinds; to split per kind",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

function nameOf(node: ts.Node): string {
  const named = node as { name?: ts.Node };
  if (named.name && ts.isIdentifier(named.name)) return named.name.text;
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) return parent.name.text;
  return "(anonymous)";
}

/** Every function, method and arrow function in src longer than MAX_LINES, as "file name: lines". */
function longFunctions(): Map<string, number> {
  const long = new Map<string, number>();
  for (const file of sourceFiles(path.join(ROOT, "src"))) {
    const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && "body" in node && node.body) {
        const lines = source.getLineAndCharacterOfPosition(node.end).line - source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
        if (lines > MAX_LINES) long.set(`${path.relative(ROOT, file).split(path.sep).join("/")} ${nameOf(node)}`, lines);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return long;
}

describe("function length", () => {
  const long = longFunctions();

  it(`finds no function over ${MAX_LINES} lines but the known ones`, () => {
    expect([...long.keys()].filter((k) => !(k in KNOWN)).map((k) => `${k}: ${long.get(k)} lines`)).toEqual([]);
  });

  it("keeps the known list to functions that are still long", () => {
    expect(Object.keys(KNOWN).filter((k) => !long.has(k))).toEqual([]);
  });
});

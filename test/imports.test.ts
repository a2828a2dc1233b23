import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";

/**
 * The layers (docs/decisions.md, "Architecture"), read from every import in src: a folder may
 * import its own modules and those of the folders listed for it, nothing above. The CLI is at
 * the top; only it may import everything, and nothing imports it.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  lang: [],
  engine: ["lang"],
  snapshot: ["lang", "engine"],
  testing: ["lang", "engine", "snapshot"],
  report: ["lang", "engine", "testing"],
  github: ["lang", "engine", "report"],
  lsp: ["lang", "engine", "report"],
  cli: ["lang", "engine", "snapshot", "testing", "report", "github", "lsp"],
};

/** Node built-ins that do I/O: the language and the engine stay pure (the snapshot and the CLI read). */
const IO_MODULES = ["node:fs", "node:fs/promises", "node:child_process", "node:worker_threads", "node:net", "node:http", "node:https"];

const SRC = path.join(ROOT, "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith(".ts") ? [path.join(dir, e.name)] : [],
  );
}

/** Every module specifier: `import … from`, `export … from`, `import "…"` and `import("…")`. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const m of text.matchAll(/(?:^|[\s;}])(?:import|export)\s[^;'"]*?from\s*["']([^"']+)["']|(?:^|[\s;])import\s*["']([^"']+)["']|\bimport\(\s*["']([^"']+)["']\s*\)/gm)) {
    found.push((m[1] ?? m[2] ?? m[3])!);
  }
  return found;
}

const layerOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0]!;

const imports = sourceFiles(SRC).flatMap((file) =>
  specifiers(readFileSync(file, "utf8")).map((spec) => ({
    file: path.relative(SRC, file),
    from: layerOf(file),
    spec,
    to: spec.startsWith(".") ? layerOf(path.resolve(path.dirname(file), spec)) : undefined,
  })),
);

describe("import directions", () => {
  it("reads the imports of every folder", () => {
    // A sanity check on the reader: each layer is found importing something.
    for (const layer of ["engine", "snapshot", "report", "github", "testing", "cli"]) {
      expect(imports.some((i) => i.from === layer && i.to !== undefined && i.to !== layer), layer).toBe(true);
    }
  });

  it("gives every folder of src a layer", () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => !(f in MAY_IMPORT))).toEqual([]);
  });

  it("has no module importing from a layer above it", () => {
    const wrong = imports
      .filter((i) => i.to !== undefined && i.to !== i.from && !(MAY_IMPORT[i.from] ?? []).includes(i.to))
      .map((i) => `${i.file} imports ${i.spec}`);
    expect(wrong).toEqual([]);
  });

  it("keeps the language and the engine free of I/O", () => {
    const wrong = imports.filter((i) => (i.from === "lang" || i.from === "engine") && IO_MODULES.includes(i.spec)).map((i) => `${i.file} imports ${i.spec}`);
    expect(wrong).toEqual([]);
  });

  it("loads chevrotain's values from its one-file bundle only (src/lang/chevrotain.ts)", () => {
    // The package's entry point imports lodash-es file by file: hundreds of modules at every start.
    const wrong = sourceFiles(SRC).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/^import\s+(type\s+)?\{([^}]*)\}\s*from\s*["']chevrotain["']/gm)]
        .filter((m) => m[1] === undefined && m[2]!.split(",").some((name) => name.trim() !== "" && !name.trim().startsWith("type ")))
        .map(() => path.relative(SRC, file)),
    );
    expect(wrong).toEqual([]);
  });
});

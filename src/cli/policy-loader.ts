import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { diagnostic, type Diagnostic } from "../lang/diagnostics.js";
import { START_OF_FILE } from "../lang/range.js";
import type { SourceFile } from "../lang/policy-set.js";

export interface LoadedSources {
  sources: SourceFile[];
  diagnostics: Diagnostic[];
}

function display(cwd: string, absolute: string): string {
  const relative = path.relative(cwd, absolute);
  return relative === "" ? "." : relative.startsWith("..") ? absolute : relative.split(path.sep).join("/");
}

async function walk(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await walk(full)));
    else if (entry.isFile() && entry.name.endsWith(".policy")) found.push(full);
  }
  return found.sort();
}

/** Every `*.policy` file under a folder (or the one file named), read as UTF-8. */
export async function loadPolicySources(cwd: string, target: string): Promise<LoadedSources> {
  const absolute = path.resolve(cwd, target);
  const shown = display(cwd, absolute);
  let files: string[];
  try {
    const info = await stat(absolute);
    files = info.isDirectory() ? await walk(absolute) : [absolute];
  } catch (error) {
    return {
      sources: [],
      diagnostics: [diagnostic("E0005", `cannot read '${shown}': ${describeFsError(error)}`, shown, START_OF_FILE)],
    };
  }
  if (files.length === 0) {
    return {
      sources: [],
      diagnostics: [diagnostic("E0006", `no *.policy files under '${shown}'`, shown, START_OF_FILE)],
    };
  }
  const sources: SourceFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const name = display(cwd, file);
    try {
      sources.push({ path: name, text: await readFile(file, "utf8") });
    } catch (error) {
      diagnostics.push(diagnostic("E0005", `cannot read '${name}': ${describeFsError(error)}`, name, START_OF_FILE));
    }
  }
  return { sources, diagnostics };
}

export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case "ENOENT":
      return "no such file or folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EISDIR":
      return "it is a folder";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

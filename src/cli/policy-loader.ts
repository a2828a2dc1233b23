import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { diagnostic, type Diagnostic } from "../lang/diagnostics.js";
import { START_OF_FILE } from "../lang/range.js";
import type { SourceFile } from "../lang/policy-set.js";
import { asGiven, shownUnder } from "./paths.js";

export interface LoadedSources {
  sources: SourceFile[];
  diagnostics: Diagnostic[];
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

/** Every `*.policy` file under a folder (or the one file named), read as UTF-8, named as the user named the folder. */
export async function loadPolicySources(cwd: string, target: string): Promise<LoadedSources> {
  const absolute = path.resolve(cwd, target);
  const shown = asGiven(target);
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
    const name = shownUnder(target, absolute, file);
    try {
      sources.push({ path: name, text: await readFile(file, "utf8") });
    } catch (error) {
      diagnostics.push(diagnostic("E0005", `cannot read '${name}': ${describeFsError(error)}`, name, START_OF_FILE));
    }
  }
  return { sources, diagnostics };
}

/**
 * What `validate` reads for a target: a folder is the policy set; one file is checked as part of
 * its folder's set (alone it lacks the agreement and teams the others declare), and `only` names
 * it so its own problems are the ones reported.
 */
export async function loadPolicySetOf(cwd: string, target: string): Promise<LoadedSources & { only?: string }> {
  const absolute = path.resolve(cwd, target);
  const isFile = await stat(absolute).then((info) => !info.isDirectory(), () => false);
  if (!isFile) return loadPolicySources(cwd, target);
  const folder = path.dirname(target);
  const set = await loadPolicySources(cwd, folder);
  const only = shownUnder(folder, path.resolve(cwd, folder), absolute);
  if (set.sources.some((s) => s.path === only)) return { ...set, only };
  const alone = await loadPolicySources(cwd, target);
  return { sources: [...set.sources, ...alone.sources], diagnostics: [...set.diagnostics, ...alone.diagnostics], only };
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
    case "ENOTDIR":
    case "EEXIST":
      return "a part of the path is a file, not a folder";
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

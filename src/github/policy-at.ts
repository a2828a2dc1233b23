import type { SourceFile } from "../lang/policy-set.js";
import type { GitHub } from "./client.js";
import { listTree, readBlob, subtreeAt, type At } from "./trees.js";

/**
 * The `*.policy` files under `dir` at a commit, read from its git tree and blobs (no checkout
 * needed); null when the commit has no such folder.
 */
export async function policySourcesFromGitHub(gh: GitHub, at: At, dir: string): Promise<SourceFile[] | null> {
  const prefix = dir.replace(/^\.\/|\/+$/g, "");
  const tree = await subtreeAt(gh, at, prefix);
  if (tree === null) return null;
  const files = (await listTree(gh, at, tree)).filter((e) => e.type === "blob" && e.path.endsWith(".policy"));
  const sources = await Promise.all(files.map(async (e) => ({ path: `${prefix}/${e.path}`, text: await readBlob(gh, at, e.sha) })));
  return sources.sort((a, b) => a.path.localeCompare(b.path));
}

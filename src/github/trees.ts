import type { GitHub } from "./client.js";

/** A repository and one of its commits. */
export interface At {
  owner: string;
  repo: string;
  sha: string;
}

export interface TreeEntry {
  /** Relative to the listed tree. */
  path: string;
  mode: string;
  type: string;
  sha: string;
}

/** Raised when GitHub's answer cannot be trusted to be whole; the sign-off then fails closed. */
export class IncompleteTreeError extends Error {}

const trimDir = (dir: string) => dir.replace(/^\.\/|\/+$/g, "");

/**
 * The sha of the tree at `dir` in a commit, or null when the commit has no such folder.
 * Walks one path segment per request: a tree listing is never cut for lack of depth.
 */
export async function subtreeAt(gh: GitHub, at: At, dir: string): Promise<string | null> {
  const { data: commit } = await gh.rest.git.getCommit({ owner: at.owner, repo: at.repo, commit_sha: at.sha });
  let tree: string = commit.tree.sha;
  for (const segment of trimDir(dir).split("/").filter(Boolean)) {
    const { data } = await gh.rest.git.getTree({ owner: at.owner, repo: at.repo, tree_sha: tree });
    if (data.truncated) throw new IncompleteTreeError(`GitHub cut the listing of a folder on the way to ${dir}/ (too many files)`);
    const entry = data.tree.find((e) => e.path === segment);
    if (!entry || entry.type !== "tree" || !entry.sha) return null;
    tree = entry.sha;
  }
  return tree;
}

/** Every entry under a tree, with paths relative to it. Throws when GitHub cuts the listing. */
export async function listTree(gh: GitHub, where: { owner: string; repo: string }, treeSha: string): Promise<TreeEntry[]> {
  const { data } = await gh.rest.git.getTree({ owner: where.owner, repo: where.repo, tree_sha: treeSha, recursive: "1" });
  if (data.truncated) throw new IncompleteTreeError("GitHub cut the listing of the policy folder (too many files to list)");
  return data.tree.map((e) => ({ path: e.path ?? "", mode: e.mode ?? "", type: e.type ?? "", sha: e.sha ?? "" }));
}

/**
 * The paths under `dir` that differ between two commits (added, removed or changed), decided from
 * the git trees themselves: equal tree shas mean nothing changed; otherwise the two listings are
 * compared. Never from "list pull request files", which stops at 3,000 files.
 */
export async function changedUnder(gh: GitHub, before: At, after: At, dir: string): Promise<string[]> {
  const [a, b] = await Promise.all([subtreeAt(gh, before, dir), subtreeAt(gh, after, dir)]);
  if (a === b) return [];
  const list = async (sha: string | null) => new Map(sha === null ? [] : (await listTree(gh, before, sha)).filter((e) => e.type !== "tree").map((e) => [e.path, `${e.mode} ${e.sha}`]));
  const [was, is] = await Promise.all([list(a), list(b)]);
  const prefix = trimDir(dir);
  const changed = [...new Set([...was.keys(), ...is.keys()])].filter((p) => was.get(p) !== is.get(p)).sort();
  // Different trees with the same files (an empty folder, a mode on a folder): still a change.
  return changed.length ? changed.map((p) => `${prefix}/${p}`) : [`${prefix}/`];
}

/** The commit where `head` branched off `base` (GitHub's three-dot compare). */
export async function mergeBase(gh: GitHub, where: { owner: string; repo: string }, base: string, head: string): Promise<string> {
  const { data } = await gh.rest.repos.compareCommitsWithBasehead({ owner: where.owner, repo: where.repo, basehead: `${base}...${head}`, per_page: 1 });
  return data.merge_base_commit.sha;
}

/** The text of a blob (GitHub sends it base64-encoded). */
export async function readBlob(gh: GitHub, where: { owner: string; repo: string }, sha: string): Promise<string> {
  const { data } = await gh.rest.git.getBlob({ owner: where.owner, repo: where.repo, file_sha: sha });
  return data.encoding === "base64" ? Buffer.from(data.content, "base64").toString("utf8") : data.content;
}

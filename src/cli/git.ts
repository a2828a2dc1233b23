import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { SourceFile } from "../lang/policy-set.js";
import { UsageError } from "./exit-codes.js";

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run("git", args, { cwd, maxBuffer: 256 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const e = error as { stderr?: string; code?: string | number };
    if (e.code === "ENOENT") throw new UsageError("git is not installed or not on the PATH; 'diff' and 'eval --versions git' read policy versions from git");
    throw new UsageError(`git ${args.join(" ")}: ${(e.stderr ?? String(error)).trim().split("\n")[0]}`);
  }
}

/** The `*.policy` files (or others, by suffix) under `dir` at a commit, read from git without touching the work tree. */
export async function policySourcesAt(cwd: string, ref: string, dir: string, suffix = ".policy"): Promise<SourceFile[]> {
  await git(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]).catch(() => {
    throw new UsageError(`'${ref}' is not a commit, branch or tag in this repository`);
  });
  const listing = await git(cwd, ["ls-tree", "-r", "--name-only", ref, "--", dir]);
  const paths = listing.split("\n").filter((p) => p.endsWith(suffix));
  const sources: SourceFile[] = [];
  for (const p of paths) sources.push({ path: p, text: await git(cwd, ["show", `${ref}:./${p}`]) });
  return sources;
}

/** The full commit id of a ref, for reports. */
export async function resolveCommit(cwd: string, ref: string): Promise<string> {
  return (await git(cwd, ["rev-parse", `${ref}^{commit}`])).trim();
}

/**
 * The commits that changed the policy folder on the current branch, oldest first: the
 * agreement's versions as the branch saw them (`eval --versions git`). First parents only, so
 * a merged pull request is one version, in the order it landed.
 */
export async function policyCommits(cwd: string, dir: string): Promise<string[]> {
  const inside = await git(cwd, ["rev-parse", "--is-inside-work-tree"]).catch(() => "false");
  if (inside.trim() !== "true") throw new UsageError(`--versions git: '${dir}' is not inside a git repository`);
  const log = await git(cwd, ["log", "--first-parent", "--reverse", "--format=%H", "HEAD", "--", dir]).catch(() => "");
  return log.split("\n").filter((line) => /^[0-9a-f]{40,64}$/.test(line));
}

import type { SourceFile } from "../lang/policy-set.js";
import type { GitHub } from "./client.js";

interface ContentEntry {
  type: string;
  path: string;
}

/** The `*.policy` files under `dir` at a commit, read through the contents API (no checkout needed). */
export async function policySourcesFromGitHub(gh: GitHub, where: { owner: string; repo: string; ref: string }, dir: string): Promise<SourceFile[]> {
  const sources: SourceFile[] = [];
  const walk = async (path: string): Promise<void> => {
    const { data } = await gh.rest.repos.getContent({ owner: where.owner, repo: where.repo, path, ref: where.ref });
    const entries = (Array.isArray(data) ? data : [data]) as ContentEntry[];
    for (const entry of entries) {
      if (entry.type === "dir") await walk(entry.path);
      else if (entry.type === "file" && entry.path.endsWith(".policy")) {
        const { data: file } = await gh.rest.repos.getContent({ owner: where.owner, repo: where.repo, path: entry.path, ref: where.ref });
        const content = (file as { content?: string; encoding?: string }).content ?? "";
        sources.push({ path: entry.path, text: Buffer.from(content, "base64").toString("utf8") });
      }
    }
  };
  await walk(dir.replace(/^\.\/|\/$/g, ""));
  return sources.sort((a, b) => a.path.localeCompare(b.path));
}

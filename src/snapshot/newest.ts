import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { Zone } from "../engine/time.js";
import { parseAsOf } from "./as-of.js";
import { readManifest } from "./manifest.js";

export interface NewestSnapshot {
  /** As the caller named it: `root/name`, with forward slashes. */
  dir: string;
  /** The as_of text of its snapshot.yaml, when it has one. */
  asOf: string | undefined;
  /** Snapshot folders looked at (those holding a leads file). */
  considered: number;
  /** Folders passed over, with the reason (a name a workflow could not carry safely, an unreadable snapshot.yaml). */
  skipped: string[];
}

// Names with control characters could forge lines in a workflow's GITHUB_OUTPUT; they are skipped.
const UNSAFE_NAME = /[\u0000-\u001f\u007f]/;

/**
 * The snapshot folder under `root` with the latest as_of (an instant: offsets are compared as
 * instants; without an offset, UTC); folders without one come before every dated one, by name.
 * Undefined when `root` holds no snapshot. `zone` reads as_of values without an offset.
 */
export async function newestSnapshot(cwd: string, root = "snapshots", zone = new Zone("UTC")): Promise<NewestSnapshot | undefined> {
  const base = path.resolve(cwd, root);
  let names: string[];
  try {
    names = (await readdir(base, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return undefined;
  }
  const shownRoot = root.replace(/\/+$/, "") || ".";
  const skipped: string[] = [];
  let best: { name: string; at: number; asOf: string | undefined } | undefined;
  let considered = 0;
  for (const name of names) {
    const dir = path.join(base, name);
    const hasLeads = await Promise.any(["csv", "ndjson", "json"].map((ext) => stat(path.join(dir, `leads.${ext}`)))).then(() => true, () => false);
    if (!hasLeads) continue;
    if (UNSAFE_NAME.test(name)) {
      skipped.push(`${JSON.stringify(name)}: a control character in the folder name`);
      continue;
    }
    considered++;
    const manifest = await readManifest(dir, `${shownRoot}/${name}`).catch((error: Error) => {
      skipped.push(`${shownRoot}/${name}: ${error.message}`);
      return null;
    });
    if (manifest === null) continue;
    const asOf = manifest?.as_of;
    const at = asOf === undefined ? -Infinity : (parseAsOf(asOf, zone) ?? -Infinity);
    if (!best || at >= best.at) best = { name, at, asOf };
  }
  return best ? { dir: `${shownRoot}/${best.name}`, asOf: best.asOf, considered, skipped } : undefined;
}

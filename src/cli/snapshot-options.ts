import { stat } from "node:fs/promises";
import path from "node:path";
import type { EvalPlan } from "../engine/plan.js";
import type { SnapshotSource } from "../engine/source.js";
import { FolderSource } from "../snapshot/load.js";
import { parseAsOf } from "../snapshot/as-of.js";
import { readManifest, type DatabaseSource } from "../snapshot/manifest.js";
import { UsageError } from "./exit-codes.js";
import type { CliIO } from "./io.js";
import { asGiven } from "./paths.js";
import { describeFsError } from "./policy-loader.js";

export interface SnapshotLocation {
  dir: string;
  shown: string;
  asOf: number;
  source?: string | undefined;
  /** The database tables snapshot.yaml names instead of files (SPEC §8.3). */
  database?: DatabaseSource | undefined;
}

/**
 * Where the snapshot is and its as_of (the flag wins over snapshot.yaml); a usage error if neither
 * says, or if the path is not a folder (a missing folder or a data file given instead of its folder).
 */
export async function locateSnapshot(io: CliIO, snapshot: string, asOfFlag: string | undefined, plan: EvalPlan): Promise<SnapshotLocation> {
  const dir = path.resolve(io.cwd, snapshot);
  const shown = asGiven(snapshot);
  await mustBeFolder(dir, shown);
  const manifest = await readManifest(dir, shown);
  const text = asOfFlag ?? manifest?.as_of;
  if (text === undefined) {
    throw new UsageError(
      `no as_of for snapshot '${shown}': say when the export was taken, either in ${shown}/snapshot.yaml (as_of: 2026-11-22T18:00:00Z) or with --as-of 2026-11-22T18:00:00Z`,
    );
  }
  const asOf = parseAsOf(text, plan.zone);
  if (asOf === undefined) throw new UsageError(`as_of '${text}' is not a date/time; use ISO 8601, e.g. 2026-11-22T18:00:00Z`);
  return { dir, shown, asOf, source: manifest?.source, database: manifest?.database };
}

/**
 * The rows of a located snapshot: the tables its snapshot.yaml names (SPEC §8.3), else its
 * files read in memory. `eval` chooses among more engines (--engine); diff and the PR check use this.
 */
export async function openSnapshot(where: SnapshotLocation, env: CliIO["env"]): Promise<SnapshotSource> {
  if (where.database) return (await import("../snapshot/database.js")).openDatabaseSource(where.database, where.dir, where.shown, env);
  return FolderSource.open(where.dir, where.shown);
}

async function mustBeFolder(dir: string, shown: string): Promise<void> {
  let info;
  try {
    info = await stat(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") throw new UsageError(`--snapshot: no such folder '${shown}'`);
    throw new UsageError(`--snapshot: cannot read '${shown}': ${describeFsError(error)}`);
  }
  if (!info.isDirectory()) {
    const parent = path.posix.dirname(shown);
    throw new UsageError(`--snapshot: '${shown}' is a file: pass its folder (--snapshot ${parent})`);
  }
}

/** `--max-rejected N|P%`: whether this many rejected rows out of those read fails the run. */
export function rejectsExceed(limit: string, rejected: number, read: number): boolean {
  const m = /^(\d+(?:\.\d+)?)(%?)$/.exec(limit.trim());
  if (!m) throw new UsageError(`--max-rejected takes a number of rows or a percentage (e.g. 10 or 0.5%), not '${limit}'`);
  const n = Number(m[1]);
  return m[2] === "%" ? read > 0 && (rejected / read) * 100 > n : rejected > n;
}

import { existsSync } from "node:fs";
import { lstat, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { CSV } from "./csv.js";
import { SnapshotError } from "./error.js";
import type { DataFile, FileFormat, Format, ReadEnd, ReadOptions, RowEvent } from "./format.js";
import { JSON_ARRAY } from "./json.js";
import { NDJSON } from "./ndjson.js";

export type { ByteRange, DataFile, Format, ReadEnd, ReadOptions, RowEvent } from "./format.js";
export { MAX_ROW_CHARACTERS, sniffDelimiter } from "./csv.js";
export { arrayElementLines } from "./json.js";
export { breaksAndQuoteBefore, lineBreaksIn } from "./text.js";
export { SnapshotError };

/** Each format's module, in the order a folder's files are looked for. */
const FORMATS: Readonly<Record<Format, FileFormat>> = { csv: CSV, ndjson: NDJSON, json: JSON_ARRAY };

/**
 * Refuses a file of the snapshot folder that is a link to somewhere outside it: `leads.csv ->
 * /etc/passwd` was read, and its first line quoted in the message about the header. A link
 * within the folder is fine. Does nothing when the file does not exist.
 */
export async function refuseLinkOut(dir: string, absolute: string, shown: string): Promise<void> {
  let info;
  try {
    info = await lstat(absolute);
  } catch {
    return;
  }
  if (!info.isSymbolicLink()) return;
  let target: string;
  try {
    target = await realpath(absolute);
  } catch {
    throw new SnapshotError("is a link to a file that does not exist", shown);
  }
  const inside = path.relative(await realpath(dir), target);
  if (inside.startsWith("..") || path.isAbsolute(inside)) {
    throw new SnapshotError("is a link to a file outside the snapshot folder, which is not read: copy the file into the folder instead", shown);
  }
}

/** Finds `leads.*` (required) and `activities.*` (optional) in a snapshot folder. */
/**
 * A snapshot's leads and activities in one family of formats: Parquet (which DuckDB reads) or text
 * (CSV, NDJSON, JSON: the file reader's). With both, whichever reader ran would leave a file
 * unread and judge touched leads as never touched.
 */
export function refuseMixedFormats(dir: string, shown: string): void {
  const present = (formats: readonly string[]) => ["leads", "activities"].flatMap((kind) => formats.map((f) => `${kind}.${f}`)).filter((name) => existsSync(path.join(dir, name)));
  const text = present(Object.keys(FORMATS));
  const parquet = present(["parquet"]);
  if (text.length > 0 && parquet.length > 0) {
    throw new SnapshotError(
      `the snapshot has ${[...text, ...parquet].join(" and ")}: Parquet files are read by DuckDB and CSV, NDJSON or JSON by the file reader, so one would go unread; keep the leads and activities in one format (both .parquet, or both text)`,
      shown,
    );
  }
}

export async function findDataFiles(dir: string, shown: string): Promise<{ leads: DataFile; activities?: DataFile | undefined }> {
  refuseMixedFormats(dir, shown);
  const find = async (kind: DataFile["kind"]): Promise<DataFile | undefined> => {
    const found: DataFile[] = [];
    for (const format of Object.keys(FORMATS) as Format[]) {
      const absolute = path.join(dir, `${kind}.${format}`);
      const file = path.posix.join(shown, `${kind}.${format}`);
      await refuseLinkOut(dir, absolute, file);
      try {
        const info = await stat(absolute);
        // A folder named leads.csv is a mistake to say, not a file to skip.
        if (!info.isFile()) throw new SnapshotError(`is a folder, not a file: the snapshot needs ${kind}.${format} to be a data file`, file);
        found.push({ kind, file, absolute, format, bytes: info.size });
      } catch (error) {
        if (error instanceof SnapshotError) throw error;
        // absent: try the next format
      }
    }
    if (found.length > 1) {
      throw new SnapshotError(`the snapshot has ${found.map((f) => path.basename(f.file)).join(" and ")}; keep one ${kind} file`, shown);
    }
    return found[0];
  };
  const leads = await find("leads");
  if (!leads) throw new SnapshotError(`no leads file in the snapshot folder: add leads.csv, leads.ndjson or leads.json`, shown);
  return { leads, activities: await find("activities") };
}

/**
 * Calls `onRow` for every row of a data file, with the line it starts on, in its format's way
 * (FileFormat.rows). The event and its record may be reused for the next row: copy what you keep.
 */
export function forEachRow(file: DataFile, onRow: (row: RowEvent) => void, options: ReadOptions = {}): Promise<ReadEnd> {
  return FORMATS[file.format].rows(file, onRow, options);
}

/** About how many rows a data file holds (0: unknown), as its format estimates it. Used to size tables up front. */
export function estimateRows(file: DataFile): number {
  return FORMATS[file.format].estimate(file);
}

/** Where to cut a data file into parts read apart, at these shares of it; [] when its format cannot be cut. */
export function splitPoints(file: DataFile, shares: readonly number[], quotes: "checked" | "unchecked" = "checked"): number[] {
  return FORMATS[file.format].split(file, shares, quotes);
}

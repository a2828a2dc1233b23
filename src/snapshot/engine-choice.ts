import { existsSync } from "node:fs";
import path from "node:path";
import { findDataFiles } from "./read.js";

// Which engine `--engine auto` picks for a snapshot folder. Apart from duckdb-source.ts so that
// choosing the file reader does not load DuckDB's source and the SQL compiler (20–50 ms of a
// run's start, bench/README.md).

/** A snapshot folder holds Parquet files: read them with DuckDB. */
export function hasParquet(dir: string): boolean {
  return existsSync(path.join(dir, "leads.parquet"));
}

/**
 * From this many bytes of CSV, NDJSON or JSON, `--engine auto` uses DuckDB. Measured
 * (docs/engines.md): on text files DuckDB took 1.1–1.5x the file reader's CPU time at
 * 1,000,000 leads, so it is chosen not for speed but for memory: the file reader's peak
 * grows with the leads (1.0–1.6 GiB at 10 million, 2.5 GB of files) while DuckDB's was expected
 * to be bounded by its memory_limit; at 10M it was not (2.0–2.7 GB; docs/engines.md).
 */
export const AUTO_DUCKDB_BYTES = 2 * 1024 ** 3;

/** `--engine auto`: DuckDB for Parquet, and for text files from AUTO_DUCKDB_BYTES together; else the file reader. */
export async function autoPicksDuckDb(dir: string, shown: string): Promise<boolean> {
  if (hasParquet(dir)) return true;
  try {
    const files = await findDataFiles(dir, shown);
    return files.leads.bytes + (files.activities?.bytes ?? 0) >= AUTO_DUCKDB_BYTES;
  } catch {
    // The file reader says what is wrong with the folder.
    return false;
  }
}

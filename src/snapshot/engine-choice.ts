import { existsSync } from "node:fs";
import path from "node:path";

// Which engine `--engine auto` picks for a snapshot folder. Apart from duckdb-source.ts so that
// choosing the file reader does not load DuckDB's source and the SQL compiler (20–50 ms of a
// run's start, bench/README.md).

/** A snapshot folder holds Parquet files: read them with DuckDB. */
export function hasParquet(dir: string): boolean {
  return existsSync(path.join(dir, "leads.parquet"));
}

/**
 * `--engine auto`: DuckDB for Parquet (the file reader cannot read it); the file reader for CSV,
 * NDJSON and JSON of any size. Until 1 December text files from 2 GiB went to DuckDB, for a memory
 * bound it was expected to keep; measured at 10 million leads (docs/engines.md) it peaked at
 * 2.0–2.7 GB despite its 1 GB memory_limit, twice the file reader's 1.0–1.6 GiB, and was no faster.
 */
export async function autoPicksDuckDb(dir: string): Promise<boolean> {
  return hasParquet(dir);
}

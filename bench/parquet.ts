/**
 * The bench's CSV snapshot as Parquet, once (bench/data/N-parquet, which git ignores): columns
 * typed as DuckDB's CSV sniffer reads them, as a data team's export would be.
 */
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";

export async function parquetCopy(dir: string): Promise<string> {
  const out = `${dir}-parquet`;
  if (existsSync(path.join(out, "activities.parquet"))) return out;
  mkdirSync(out, { recursive: true });
  const db = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
  const c = await db.connect();
  for (const name of ["leads", "activities"]) {
    await c.run(`COPY (SELECT * FROM read_csv('${path.join(dir, `${name}.csv`)}', header = true)) TO '${path.join(out, `${name}.parquet`)}' (FORMAT parquet)`);
  }
  c.closeSync();
  copyFileSync(path.join(dir, "snapshot.yaml"), path.join(out, "snapshot.yaml"));
  return out;
}

import path from "node:path";
import type { SnapshotSource } from "../engine/source.js";
import { assertNever } from "../lang/never.js";
import type { DatabaseSource } from "./database-spec.js";

/**
 * The source of a snapshot whose snapshot.yaml names database tables (SPEC §8.3): PostgreSQL
 * (its URL from `env`) or a DuckDB database file in the folder. Each module is loaded only
 * when a snapshot names it.
 */
export async function openDatabaseSource(database: DatabaseSource, dir: string, shown: string, env: Readonly<Record<string, string | undefined>>): Promise<SnapshotSource> {
  const tables = { leads: database.leads, activities: database.activities };
  switch (database.engine) {
    case "postgres":
      return (await import("./postgres-source.js")).PostgresSource.open(database.url, tables, env, path.posix.join(shown, "snapshot.yaml"));
    case "duckdb":
      return (await import("./duckdb-database.js")).DuckDbDatabaseSource.open(dir, shown, database.path, tables);
    default:
      return assertNever(database);
  }
}

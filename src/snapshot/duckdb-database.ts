import { existsSync } from "node:fs";
import path from "node:path";
import type { DuckDBConnection, DuckDBInstance } from "@duckdb/node-api";
import type { EvalPlan } from "../engine/plan.js";
import type { RowSink, SnapshotSource, SourceEnd, SourceInput } from "../engine/source.js";
import { tableName, text } from "../engine/sql/dialect.js";
import { duckDbApi } from "./duckdb-module.js";
import { refuseLinkOut, SnapshotError } from "./read.js";
import { readTables, type ColumnKind, type SqlReader, type Tables } from "./table-source.js";

/**
 * Lead and activity tables in a DuckDB database file named in snapshot.yaml's `source:`
 * (`engine: duckdb`, `path:` relative to the snapshot folder). The file is attached read-only,
 * so nothing is written to it, and a missing file is not created;
 * the same queries as PostgreSQL's are run (table-source.ts).
 */
export class DuckDbDatabaseSource implements SnapshotSource {
  readonly engine = "duckdb";
  readonly inputs: SourceInput[];

  private constructor(
    private readonly file: string,
    private readonly tables: Tables,
  ) {
    this.inputs = [{ name: tables.leads, kind: "leads" }, ...(tables.activities === undefined ? [] : [{ name: tables.activities, kind: "activities" as const }])];
  }

  /** `dir`: the snapshot folder; `file`: the path snapshot.yaml gives, inside it. */
  static async open(dir: string, shown: string, file: string, tables: Tables): Promise<DuckDbDatabaseSource> {
    const absolute = path.join(dir, file);
    const named = path.posix.join(shown, file);
    await refuseLinkOut(dir, absolute, named);
    if (!existsSync(absolute)) throw new SnapshotError(`source.path: no such DuckDB database file '${named}'`, path.posix.join(shown, "snapshot.yaml"));
    return new DuckDbDatabaseSource(absolute, tables);
  }

  estimate(): number {
    return 0;
  }

  async rows(plan: EvalPlan, sink: RowSink): Promise<SourceEnd> {
    const duckdb = duckDbApi();
    let db: DuckDBInstance;
    try {
      // Extensions are never fetched: ICU (time zones) is built in.
      db = await duckdb.DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
    } catch (error) {
      throw new SnapshotError(`could not be opened by DuckDB: ${firstLine(error)}`, this.tables.leads);
    }
    const c = await db.connect();
    try {
      // Attached under a name of its own: opened as itself, a file crm.duckdb would make
      // `crm.leads` ambiguous between its catalog and a schema crm in it.
      await c.run(`ATTACH ${text(this.file)} AS sp_database (READ_ONLY)`);
      await c.run("USE sp_database");
    } catch (error) {
      c.closeSync();
      db.closeSync();
      throw new SnapshotError(`could not be opened by DuckDB: ${firstLine(error)}`, this.tables.leads);
    }
    try {
      return await readTables(reader(c), this.tables, plan, sink);
    } finally {
      c.closeSync();
      // The file's lock goes with the instance: closed now, not when collected.
      db.closeSync();
    }
  }
}

function reader(c: DuckDBConnection): SqlReader {
  return {
    dialect: "duckdb",
    run: async (sql) => {
      await c.run(sql);
    },
    batches: async function* (sql) {
      for await (const rows of (await c.stream(sql)).yieldRowsJs()) yield rows;
    },
    columnKinds: async (table) => {
      const rows = await (await c.stream(`DESCRIBE SELECT * FROM ${tableName(table)}`)).getRowsJS();
      return new Map(rows.map((r) => [String(r[0]), kindOf(String(r[1]))]));
    },
    describe: firstLine,
  };
}

function kindOf(type: string): ColumnKind {
  if (type === "VARCHAR") return "text";
  return type.startsWith("TIMESTAMP") && !type.includes("TIME ZONE") ? "naive" : "other";
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
}

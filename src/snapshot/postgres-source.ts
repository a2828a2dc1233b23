import type { Client } from "pg";
import type { EvalPlan } from "../engine/plan.js";
import type { RowSink, SnapshotSource, SourceEnd, SourceInput } from "../engine/source.js";
import { tableName } from "../engine/sql/dialect.js";
import { assertNever } from "../lang/never.js";
import type { ConnectionUrl } from "./database-spec.js";
import { SnapshotError } from "./error.js";
import { readTables, type ColumnKind, type SqlReader, type Tables } from "./table-source.js";

/** Rows fetched per round trip from the cursor: a million-row table is never held at once. */
const FETCH_ROWS = 10_000;

/** PostgreSQL type ids (pg_type.oid) the table source tells apart. */
const TEXT_TYPES = new Set([25, 1042, 1043, 19]); // text, char(n), varchar, name
const TIMESTAMP_WITHOUT_ZONE = 1114;
const INT8 = 20;

/**
 * Lead and activity tables (or views) in a PostgreSQL database, named in snapshot.yaml's
 * `source:` (SPEC §8.3). Everything is read in one transaction, `REPEATABLE READ READ ONLY`:
 * one consistent snapshot of the tables, and the server refuses any write. Only SELECTs are
 * sent (the compiled definitions as CTEs, no temporary views), so a read replica serves it.
 * The URL comes from the environment; no message repeats it or its password.
 */
export class PostgresSource implements SnapshotSource {
  readonly engine = "postgres";
  readonly inputs: SourceInput[];

  constructor(
    private readonly url: string,
    private readonly tables: Tables,
    /** How snapshot.yaml is named in messages: connection problems are named by it. */
    private readonly manifest: string,
  ) {
    this.inputs = [{ name: tables.leads, kind: "leads" }, ...(tables.activities === undefined ? [] : [{ name: tables.activities, kind: "activities" as const }])];
  }

  /** The source a snapshot.yaml names; `env` holds the URL when it says `url: env:NAME`. */
  static open(url: ConnectionUrl, tables: Tables, env: Readonly<Record<string, string | undefined>>, manifest: string): PostgresSource {
    switch (url.kind) {
      case "literal":
        return new PostgresSource(url.url, tables, manifest);
      case "env": {
        const value = env[url.name];
        if (value === undefined || value.trim() === "") {
          throw new SnapshotError(`source.url: the environment variable ${url.name} is not set: set it to the database's URL (postgres://user:password@host:5432/db)`, manifest);
        }
        return new PostgresSource(value, tables, manifest);
      }
      default:
        return assertNever(url);
    }
  }

  estimate(): number {
    return 0;
  }

  async rows(plan: EvalPlan, sink: RowSink): Promise<SourceEnd> {
    const { default: pg } = await import("pg");
    const types = {
      // BIGINTs (epoch milliseconds, row numbers, counts) as numbers: every one fits in 2^53.
      getTypeParser: (oid: number, format?: "text" | "binary") => (oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)),
    };
    let client: Client;
    try {
      client = new pg.Client({ connectionString: this.url, types, application_name: "smarketing-policy", connectionTimeoutMillis: 30_000 });
    } catch (error) {
      throw new SnapshotError(`source.url: not a PostgreSQL URL: ${redact(error, this.url)}`, this.manifest);
    }
    // An error of the socket after connecting would otherwise be thrown from nowhere.
    client.on("error", () => {});
    try {
      await client.connect();
    } catch (error) {
      throw new SnapshotError(`source: could not connect to PostgreSQL: ${redact(error, this.url)}`, this.manifest);
    }
    try {
      await client.query("BEGIN TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const end = await readTables(this.reader(client), this.tables, plan, sink);
      await client.query("COMMIT");
      return end;
    } finally {
      await client.end().catch(() => {});
    }
  }

  private reader(client: Client): SqlReader {
    const url = this.url;
    return {
      dialect: "postgres",
      run: async (sql) => {
        await client.query(sql);
      },
      batches: async function* (sql) {
        await client.query(`DECLARE sp_cursor NO SCROLL CURSOR FOR ${sql}`);
        // Closed when read to the end or left early; after an error the transaction is over anyway.
        let failed = false;
        try {
          for (;;) {
            const result = await client.query({ text: `FETCH FORWARD ${FETCH_ROWS} FROM sp_cursor`, rowMode: "array" });
            if (result.rows.length === 0) break;
            yield result.rows as unknown[][];
          }
        } catch (error) {
          failed = true;
          throw error;
        } finally {
          if (!failed) await client.query("CLOSE sp_cursor");
        }
      },
      columnKinds: async (table) => {
        const result = await client.query({ text: `SELECT * FROM ${tableName(table)} LIMIT 0`, rowMode: "array" });
        return new Map(result.fields.map((f) => [f.name, kindOf(f.dataTypeID)]));
      },
      describe: (error) => redact(error, url),
    };
  }
}

function kindOf(oid: number): ColumnKind {
  if (TEXT_TYPES.has(oid)) return "text";
  return oid === TIMESTAMP_WITHOUT_ZONE ? "naive" : "other";
}

/**
 * An error's first line with the URL, its password and any `password=` taken out: a driver's
 * message may quote the connection string it was given.
 */
export function redact(error: unknown, url: string): string {
  let message = (error instanceof Error ? error.message : String(error)).split("\n")[0] ?? "";
  const secrets = new Set<string>([url]);
  const password = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@]*?:([^/?#@]*)@/.exec(url)?.[1];
  if (password) {
    secrets.add(password);
    try {
      secrets.add(decodeURIComponent(password));
    } catch {
      // A malformed escape: the raw form is still taken out.
    }
  }
  for (const m of url.matchAll(/password=([^&\s]*)/gi)) if (m[1]) secrets.add(m[1]);
  // Longest first, so a password inside the URL is not left half-replaced.
  for (const secret of [...secrets].filter((s) => s.length > 0).sort((a, b) => b.length - a.length)) message = message.split(secret).join("***");
  return message.replace(/(:\/\/[^/?#@\s]*?:)[^/?#@\s]*@/g, "$1***@").replace(/(password=)[^&\s]*/gi, "$1***");
}

/**
 * What the benches that read PostgreSQL tables share (bench/tables.ts, bench/engines.ts): the
 * seeded export loaded as text columns by COPY (as a sync tool copies an export), the snapshot
 * folder naming those tables, and the figures every engine's report must share.
 */
import { chmodSync, closeSync, copyFileSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import type pg from "pg";

/** The CSV's header row, from its first 4 KiB (a 10M-lead file is longer than a string may be). */
function header(file: string): string[] {
  const buffer = Buffer.alloc(4096);
  const fd = openSync(file, "r");
  const n = readSync(fd, buffer, 0, buffer.length, 0);
  closeSync(fd);
  return buffer.toString("utf8", 0, n).split("\n")[0]!.split(",");
}
const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Loads `data`'s leads.csv and activities.csv into `schema` (created), through copies in `tmp`
 * (which the server's own user can read: it runs as `postgres` when we are root), removed after.
 * Returns the load time in ms.
 */
export async function loadPostgres(admin: pg.Client, data: string, schema: string, tmp: string): Promise<number> {
  const start = performance.now();
  await admin.query(`CREATE SCHEMA ${schema}`);
  for (const kind of ["leads", "activities"]) {
    const copy = path.join(tmp, `${kind}-${schema}.csv`);
    copyFileSync(path.join(data, `${kind}.csv`), copy);
    chmodSync(copy, 0o644);
    await admin.query(`CREATE TABLE ${schema}.${kind} (${header(copy).map((h) => `${q(h)} TEXT`).join(", ")})`);
    await admin.query(`COPY ${schema}.${kind} FROM '${copy}' WITH (FORMAT csv, HEADER true)`);
    rmSync(copy);
  }
  await admin.query(`ANALYZE ${schema}.leads; ANALYZE ${schema}.activities`);
  return Math.round(performance.now() - start);
}

/** A snapshot folder's snapshot.yaml naming the tables loadPostgres made; the URL from BENCH_DATABASE_URL. */
export function writePostgresSnapshot(dir: string, schema: string, asOf: string): void {
  writeFileSync(path.join(dir, "snapshot.yaml"), `as_of: ${asOf}\nsource:\n  engine: postgres\n  url: env:BENCH_DATABASE_URL\n  leads: ${schema}.leads\n  activities: ${schema}.activities\n`);
}

/**
 * A report's figures, to compare engines: definitions, SLA results, goals and the naive
 * timestamps counted. Leads listed with equal keys come in input order, which differs (a
 * table's is its key's): sorted by id.
 */
export function figures(reportFile: string): string {
  const byId = (_key: string, value: unknown) =>
    Array.isArray(value) && value.every((v) => typeof v === "object" && v !== null && "id" in v) ? [...(value as Array<{ id: string }>)].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)) : value;
  const j = JSON.parse(readFileSync(reportFile, "utf8")) as Record<string, unknown>;
  const input = j["input"] as { naiveTimestamps: number };
  return JSON.stringify({ definitions: j["definitions"], slas: j["slas"], goals: j["goals"], naive: input.naiveTimestamps }, byId);
}

import { assertNever } from "../lang/never.js";

/**
 * The `source:` block of snapshot.yaml (SPEC §8.3): tables in a database read instead of files
 * in the snapshot folder. Checked here, before anything connects: a password written in the
 * file is refused, and no message ever repeats a URL.
 */

/** Where the connection URL comes from: an environment variable (`env:NAME`), or written in the file without a password. */
export type ConnectionUrl = { kind: "env"; name: string } | { kind: "literal"; url: string };

export type DatabaseSource =
  | { engine: "postgres"; url: ConnectionUrl; leads: string; activities: string | undefined }
  | { engine: "duckdb"; path: string; leads: string; activities: string | undefined };

/** The block as the schema lets it through (schemas/snapshot.schema.json). */
export interface RawDatabaseSource {
  engine: DatabaseSource["engine"];
  url?: string;
  path?: string;
  leads: string;
  activities?: string;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A URL's password: `scheme://user:password@host`, or a `password=` parameter. Tested, never shown. */
export function urlHasPassword(url: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#@]*:[^/?#@]*@/.test(url) || /[?&\s]password=/i.test(url) || /^\s*password\s*=/i.test(url);
}

/** The block checked as a whole: every mistake in it, each said once, or the source it names. */
export function databaseSourceProblems(raw: RawDatabaseSource): { ok: true; source: DatabaseSource } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const activities = raw.activities;
  if (activities !== undefined && activities === raw.leads) problems.push("source.activities names the leads table: name the table of activities (lead_id, type, at), or leave it out");
  switch (raw.engine) {
    case "postgres": {
      if (raw.path !== undefined) problems.push("source.path names a DuckDB file; a postgres source is named by url: env:NAME");
      const url = raw.url === undefined ? undefined : connectionUrl(raw.url, problems);
      if (raw.url === undefined) problems.push("source: engine postgres needs url: env:NAME, the environment variable holding the connection URL (e.g. url: env:DATABASE_URL)");
      return problems.length > 0 || url === undefined ? { ok: false, problems } : { ok: true, source: { engine: "postgres", url, leads: raw.leads, activities } };
    }
    case "duckdb": {
      if (raw.url !== undefined) problems.push("source.url is for engine postgres; a duckdb source is named by path: (the database file, relative to this folder)");
      if (raw.path === undefined) problems.push("source: engine duckdb needs path: the database file, relative to this folder (e.g. path: crm.duckdb)");
      else if (!insideFolder(raw.path)) problems.push("source.path must name a file inside the snapshot folder (a relative path without '..')");
      return problems.length > 0 || raw.path === undefined ? { ok: false, problems } : { ok: true, source: { engine: "duckdb", path: raw.path, leads: raw.leads, activities } };
    }
    default:
      return assertNever(raw.engine);
  }
}

function connectionUrl(url: string, problems: string[]): ConnectionUrl | undefined {
  if (url.startsWith("env:")) {
    const name = url.slice(4);
    if (ENV_NAME.test(name)) return { kind: "env", name };
    problems.push("source.url: env: must be followed by the name of an environment variable (letters, digits and _), e.g. env:DATABASE_URL");
    return undefined;
  }
  // Never repeated: a URL may hold a user name or host that is not for a report either.
  if (urlHasPassword(url)) {
    problems.push("source.url holds a password, which is never read from a file: put the URL in an environment variable and write url: env:NAME (e.g. url: env:DATABASE_URL)");
    return undefined;
  }
  if (!/^postgres(ql)?:\/\//.test(url)) {
    problems.push("source.url must be env:NAME (the environment variable holding the URL) or a postgres:// URL without a password");
    return undefined;
  }
  return { kind: "literal", url };
}

function insideFolder(file: string): boolean {
  if (file.startsWith("/") || file.startsWith("\\") || /^[A-Za-z]:/.test(file)) return false;
  return !file.split(/[\\/]/).includes("..");
}

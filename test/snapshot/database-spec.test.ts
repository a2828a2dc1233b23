import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { readManifest } from "../../src/snapshot/manifest.js";
import { SnapshotError } from "../../src/snapshot/error.js";

/** snapshot.yaml's `source:` (SPEC §8.3): a description, or the tables to read; each mistake said once, no URL repeated. */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function read(yaml: string) {
  const dir = mkdtempSync(path.join(tmpdir(), "sp-manifest-"));
  dirs.push(dir);
  writeFileSync(path.join(dir, "snapshot.yaml"), yaml);
  return readManifest(dir, "snap");
}

async function refusal(yaml: string): Promise<string> {
  try {
    await read(yaml);
  } catch (error) {
    if (error instanceof SnapshotError) return error.toText();
    throw error;
  }
  throw new Error("accepted");
}

const AS_OF = "as_of: 2027-03-15T21:00:00Z\n";

describe("snapshot.yaml source:", () => {
  it("is a description when it is text, and the tables to read when it is a block", async () => {
    expect(await read(`${AS_OF}source: HubSpot export\n`)).toEqual({ as_of: "2027-03-15T21:00:00Z", source: "HubSpot export" });
    expect((await read(`${AS_OF}source:\n  engine: postgres\n  url: env:DATABASE_URL\n  leads: crm.leads\n  activities: crm.activities\n`))?.database).toEqual({
      engine: "postgres",
      url: { kind: "env", name: "DATABASE_URL" },
      leads: "crm.leads",
      activities: "crm.activities",
    });
    expect((await read(`${AS_OF}source:\n  engine: duckdb\n  path: data/crm.duckdb\n  leads: leads\n`))?.database).toEqual({ engine: "duckdb", path: "data/crm.duckdb", leads: "leads", activities: undefined });
    // A URL without a password may be written (the password then comes from PGPASSWORD or ~/.pgpass).
    expect((await read(`${AS_OF}source:\n  engine: postgres\n  url: postgres://reader@db:5432/crm\n  leads: crm.leads\n`))?.database).toMatchObject({ url: { kind: "literal", url: "postgres://reader@db:5432/crm" } });
  });

  it("refuses a password in the file without repeating it, on the line of source:", async () => {
    for (const url of ["postgres://ana:Hunter2-pw@db/crm", "postgresql://ana:Hunter2-pw@db/crm", "postgres://db/crm?sslmode=require&password=Hunter2-pw"]) {
      const text = await refusal(`${AS_OF}source:\n  engine: postgres\n  url: ${url}\n  leads: crm.leads\n`);
      expect(text).toBe("snap/snapshot.yaml:2: error: source.url holds a password, which is never read from a file: put the URL in an environment variable and write url: env:NAME (e.g. url: env:DATABASE_URL)");
    }
  });

  it("says what each engine needs, once per mistake", async () => {
    expect(await refusal(`${AS_OF}source:\n  engine: postgres\n  leads: crm.leads\n`)).toBe(
      "snap/snapshot.yaml:2: error: source: engine postgres needs url: env:NAME, the environment variable holding the connection URL (e.g. url: env:DATABASE_URL)",
    );
    expect(await refusal(`${AS_OF}source:\n  engine: duckdb\n  url: env:X\n  path: crm.duckdb\n  leads: crm.leads\n`)).toBe(
      "snap/snapshot.yaml:2: error: source.url is for engine postgres; a duckdb source is named by path: (the database file, relative to this folder)",
    );
    expect(await refusal(`${AS_OF}source:\n  engine: duckdb\n  path: ../other/crm.duckdb\n  leads: crm.leads\n`)).toContain("source.path must name a file inside the snapshot folder");
    expect(await refusal(`${AS_OF}source:\n  engine: postgres\n  url: env:1BAD\n  leads: crm.leads\n`)).toContain("source.url: env: must be followed by the name of an environment variable");
    expect(await refusal(`${AS_OF}source:\n  engine: postgres\n  url: mysql://db/crm\n  leads: crm.leads\n`)).toContain("source.url must be env:NAME");
    expect(await refusal(`${AS_OF}source:\n  engine: mysql\n  url: env:X\n  leads: crm.leads\n`)).toBe("snap/snapshot.yaml:2: error: source.engine must be one of postgres, duckdb");
    expect(await refusal(`${AS_OF}source:\n  engine: postgres\n  url: env:X\n  leads: crm.leads\n  activites: crm.activities\n`)).toBe(
      "snap/snapshot.yaml:2: error: source: unknown key 'activites' (known: engine, url, path, leads, activities)",
    );
    expect(await refusal(`${AS_OF}source:\n  engine: postgres\n  url: env:X\n  leads: '"crm".leads'\n`)).toBe("snap/snapshot.yaml:2: error: source.leads must name a table or view (crm.leads), without quotes");
    expect(await refusal(`${AS_OF}source:\n  engine: postgres\n  url: env:X\n  leads: crm.leads\n  activities: crm.leads\n`)).toContain("source.activities names the leads table");
    expect(await refusal(`${AS_OF}source: [1]\n`)).toBe("snap/snapshot.yaml:2: error: source must be a description or the tables to read (engine, url or path, leads, activities)");
  });
});

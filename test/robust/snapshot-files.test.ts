import { cp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { forEachRow, MAX_ROW_CHARACTERS, SnapshotError, type DataFile, type RowEvent } from "../../src/snapshot/read.js";
import { ROOT, runCli, tempDir } from "../helpers.js";

async function read(name: string, content: string | Buffer, options: { chunkBytes?: number } = {}): Promise<{ rows: RowEvent[]; error?: SnapshotError }> {
  const { dir, cleanup } = await tempDir();
  try {
    const absolute = path.join(dir, name);
    await writeFile(absolute, content);
    const format = path.extname(name).slice(1) as DataFile["format"];
    const file: DataFile = { kind: "leads", file: name, absolute, format, bytes: Buffer.byteLength(content) };
    const rows: RowEvent[] = [];
    try {
      // A CSV record is a view reused for the next row: keep what it holds now.
      const copy = (e: RowEvent): RowEvent => ("error" in e ? { ...e } : { line: e.line, record: { get: ((kept) => (c: string) => kept.get(c))(new Map(["id", "city", "note"].map((c) => [c, e.record.get(c)]))) } });
      await forEachRow(file, (e) => rows.push(copy(e)), options);
      return { rows };
    } catch (error) {
      if (error instanceof SnapshotError) return { rows, error };
      throw error;
    }
  } finally {
    await cleanup();
  }
}

describe("a CSV row past the size cap", () => {
  // The unfinished row is measured as each chunk (64 KiB) comes, so a row is stopped within a chunk past the cap.
  it("an unquoted field of more than 4 MiB stops the read at its line, with the cap in the message", async () => {
    const { error } = await read("leads.csv", `id,note\nL1,short\nL2,${"x".repeat(MAX_ROW_CHARACTERS + 200_000)}\nL3,short\n`);
    expect(error?.line).toBe(3);
    expect(error?.message).toContain("a row longer than 4 MiB starts on this line");
  });

  it("a quote never closed makes the rest one field: stopped the same way", async () => {
    const { error } = await read("leads.csv", `id,note\nL1,"open\n${"y,z\n".repeat(MAX_ROW_CHARACTERS / 4 + 10)}`);
    expect(error?.line).toBe(2);
  });

  it("a field just under the cap is read", async () => {
    const { rows, error } = await read("leads.csv", `id,note\nL1,${"x".repeat(MAX_ROW_CHARACTERS - 100)}\nL2,b\n`);
    expect(error).toBeUndefined();
    expect(rows.map((r) => r.line)).toEqual([2, 3]);
  });
});

describe("a file that is not UTF-8", () => {
  const latin1 = Buffer.concat([Buffer.from("id,city\nL1,Berlin\nL2,D"), Buffer.from([0xfc]), Buffer.from("sseldorf\n")]);

  it("CSV in Latin-1 says so, with the line and without quoting it", async () => {
    for (const chunkBytes of [7, 64 * 1024]) {
      const { error } = await read("leads.csv", latin1, { chunkBytes });
      expect(error?.line).toBe(3);
      expect(error?.message).toMatch(/not UTF-8/);
      expect(error?.message).not.toContain("sseldorf");
    }
  });

  it("JSON and NDJSON in Latin-1 say so too", async () => {
    const json = Buffer.concat([Buffer.from('[\n{"id": "L1",\n "city": "D'), Buffer.from([0xfc]), Buffer.from('sseldorf"}\n]\n')]);
    expect((await read("leads.json", json)).error?.line).toBe(3);
    const ndjson = Buffer.concat([Buffer.from('{"id": "L1"}\n{"id": "L2", "city": "D'), Buffer.from([0xfc]), Buffer.from('sseldorf"}\n')]);
    expect((await read("leads.ndjson", ndjson)).error?.line).toBe(2);
  });

  it("UTF-8 cut across chunks is read whole", async () => {
    const { rows, error } = await read("leads.csv", "id,city\nL1,Düsseldorf\nL2,Zürich\n", { chunkBytes: 3 });
    expect(error).toBeUndefined();
    expect(rows.map((r) => ("record" in r ? r.record.get("city") : r.error))).toEqual(["Düsseldorf", "Zürich"]);
  });
});

describe("links and quoted content in a snapshot folder", () => {
  async function snapshotWith(setup: (dir: string, outside: string) => Promise<void>): Promise<{ code: number; out: string }> {
    const { dir, cleanup } = await tempDir();
    try {
      const folder = path.join(dir, "snap");
      await mkdir(folder);
      await writeFile(path.join(dir, "secret.csv"), "root:x:0:0:root:/root:/bin/bash,hunter2\n");
      await writeFile(path.join(folder, "snapshot.yaml"), "as_of: 2026-12-20T00:00:00Z\n");
      await setup(folder, path.join(dir, "secret.csv"));
      const result = await runCli(["eval", "--snapshot", folder, "--policies", path.join(ROOT, "policies")]);
      return { code: result.code, out: result.stdout + result.stderr };
    } finally {
      await cleanup();
    }
  }

  it("a leads file linked to a file outside the folder is refused, and its content never shown", async () => {
    const { code, out } = await snapshotWith((folder, outside) => symlink(outside, path.join(folder, "leads.csv")));
    expect(code).toBe(2);
    expect(out).toContain("leads.csv: error: is a link to a file outside the snapshot folder");
    expect(out).not.toMatch(/root:x|hunter2/);
  });

  it("so is a snapshot.yaml or an activities file linked out", async () => {
    for (const name of ["snapshot.yaml", "activities.csv"]) {
      const { code, out } = await snapshotWith(async (folder, outside) => {
        await cp(path.join(ROOT, "snapshots/sample/leads.csv"), path.join(folder, "leads.csv"));
        await rm(path.join(folder, name), { force: true });
        await symlink(outside, path.join(folder, name));
      });
      expect(code).toBe(2);
      expect(out).toContain(`${name}: error: is a link to a file outside the snapshot folder`);
      expect(out).not.toMatch(/root:x|hunter2/);
    }
  });

  it("a link to a file inside the folder is read", async () => {
    const { code, out } = await snapshotWith(async (folder) => {
      await mkdir(path.join(folder, "raw"));
      await cp(path.join(ROOT, "snapshots/sample/leads.csv"), path.join(folder, "raw/leads-2026-12.csv"));
      await symlink("raw/leads-2026-12.csv", path.join(folder, "leads.csv"));
    });
    expect(out).not.toContain("error:");
    expect([0, 1]).toContain(code);
  });

  it("a JSON syntax error names the place, not a piece of the text", async () => {
    const { error } = await read("leads.json", '[{"id": "L1"}, {"id": bob@example.com}]');
    expect(error?.message).toMatch(/^is not valid JSON: Unexpected token/);
    expect(error?.message).not.toContain("bob");
    const { rows } = await read("leads.ndjson", '{"id": "L1"}\n{"id": alice@example.com}\n');
    expect(rows[1]).toMatchObject({ line: 2 });
    expect(JSON.stringify(rows[1])).not.toContain("alice");
  });
});

import { DuckDBInstance } from "@duckdb/node-api";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers.js";

/**
 * `smarketing-policy sql` end to end: the printed script, run as it is in DuckDB over the
 * bundled sample's CSV files, counts what `eval` counts.
 */
const AS_OF = "2027-03-15T21:00:00Z";

interface Report {
  definitions: Record<string, number>;
  slas: Array<{ id: string; kind: string; results: Array<{ period: string; group: string; leads: number; met: number; breached: number; pending: number }> }>;
}

describe("sql", () => {
  it("prints a script that DuckDB runs over the sample, giving eval's definition counts and SLA counts", async () => {
    const printed = await runCli(["sql", "--as-of", AS_OF]);
    expect(printed.code).toBe(0);
    const report = JSON.parse((await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "json"])).stdout) as Report;

    const db = await DuckDBInstance.create(":memory:", { autoinstall_known_extensions: "false", autoload_known_extensions: "false" });
    const c = await db.connect();
    const sample = path.join(ROOT, "snapshots/sample");
    await c.run(`CREATE VIEW leads AS SELECT * FROM read_csv('${sample}/leads.csv', header = true, all_varchar = true)`);
    await c.run(`CREATE VIEW activities AS SELECT * FROM read_csv('${sample}/activities.csv', header = true, all_varchar = true)`);
    const statements = printed.stdout.split(/;\n/).map((s) => s.trim()).filter((s) => s.replace(/^--.*$/gm, "").trim() !== "");
    const results: Array<Record<string, unknown>[]> = [];
    for (const statement of statements) results.push((await c.runAndReadAll(statement)).getRowObjectsJS() as Record<string, unknown>[]);
    c.closeSync();

    const byComment = (prefix: string): Record<string, unknown>[] => results[statements.findIndex((s) => s.startsWith(prefix))]!;
    const counts = byComment("-- leads in each definition")[0]!;
    expect(Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)]))).toEqual(report.definitions);

    for (const sla of report.slas) {
      const rows = byComment(`-- sla ${sla.id}: `).map((r): Record<string, unknown> => ({ ...r, key: `${String(r["period"])} ${String(r["group"])}` }));
      expect(rows.length).toBeGreaterThan(0);
      for (const cell of sla.results.filter((r) => r.leads > 0)) {
        const row = rows.find((r) => r.key === `${cell.period} ${cell.group}`);
        if (sla.kind === "count" || sla.kind === "rate") expect(Number(row?.["leads"]), `${sla.id} ${cell.period} ${cell.group}`).toBe(cell.leads);
        else expect([row?.["met"], row?.["breached"], row?.["pending"]].map(Number), `${sla.id} ${cell.period} ${cell.group}`).toEqual([cell.met, cell.breached, cell.pending]);
      }
    }
  }, 60_000);

  it("says which dialects there are, and names the SLAs when --sla names none of them", async () => {
    const dialect = await runCli(["sql", "--dialect", "oracle"]);
    expect(dialect.code).toBe(2);
    expect(dialect.stderr).toContain("--dialect must be one of duckdb, postgres");
    const sla = await runCli(["sql", "--sla", "first_tuch"]);
    expect(sla.code).toBe(2);
    expect(sla.stderr).toContain("no SLA 'first_tuch'");
  });
});

import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/engine/plan.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { runSnapshot } from "../../src/snapshot/load.js";
import { ROOT, tempDir } from "../helpers.js";

const FIXTURE = path.join(ROOT, "test/fixtures/hand-checked");

function plan() {
  const dir = path.join(FIXTURE, "policies");
  const sources = readdirSync(dir).filter((f) => f.endsWith(".policy")).map((f) => ({ path: f, text: readFileSync(path.join(dir, f), "utf8") }));
  return buildPlan(analyzePolicySet(sources).symbols);
}

describe("activities", () => {
  // The reader compares each activity's lead id with the last one before looking it up: runs of
  // one lead, runs of an unknown one and alternations must all count as a lookup each would.
  it("give the same outcomes in any order, and every unknown lead's row is listed as unmatched on its line", async () => {
    const { dir, cleanup } = await tempDir();
    const snap = path.join(dir, "snap");
    await mkdir(snap);
    await copyFile(path.join(FIXTURE, "snapshot/leads.csv"), path.join(snap, "leads.csv"));
    const leadIds = (await readFile(path.join(snap, "leads.csv"), "utf8")).trim().split("\n").slice(1).map((l) => l.split(",")[0]!);
    const options = { plan: plan(), dir: snap, shown: "snap", asOf: Date.parse("2026-11-30T20:00:00Z"), keepLeadOutcomes: true, threads: "one" as const };
    // The ids of the leads used: the fixture rejects one of its rows.
    await writeFile(path.join(snap, "activities.csv"), "lead_id,type,at,owner\n");
    const known = new Set((await runSnapshot(options)).leadOutcomes.keys());
    expect(known.size).toBeGreaterThan(3);
    const row = fc.record({ id: fc.oneof(fc.constantFrom(...leadIds), fc.constantFrom("X1", "X2")), type: fc.constantFrom("call", "email", "meeting"), hour: fc.integer({ min: 0, max: 23 * 28 }) });
    const text = (rows: Array<{ id: string; type: string; hour: number }>) =>
      ["lead_id,type,at,owner", ...rows.map((r) => `${r.id},${r.type},${new Date(Date.UTC(2026, 10, 1) + r.hour * 3_600_000).toISOString()},ana`)].join("\n") + "\n";
    await fc.assert(
      fc.asyncProperty(fc.array(row, { maxLength: 40, size: "max" }), async (rows) => {
        await writeFile(path.join(snap, "activities.csv"), text(rows));
        const asWritten = await runSnapshot(options);
        const grouped = [...rows].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        await writeFile(path.join(snap, "activities.csv"), text(grouped));
        const byLead = await runSnapshot(options);
        expect(byLead.leadOutcomes).toEqual(asWritten.leadOutcomes);
        expect(byLead.slas).toEqual(asWritten.slas);
        const unknownLines = rows.flatMap((r, i) => (known.has(r.id) ? [] : [i + 2]));
        // A lead id of the export whose row was rejected is not known either: its activities say so.
        expect(asWritten.unknownLeadActivities + asWritten.rejectedLeadActivities).toBe(unknownLines.length);
        expect(asWritten.unmatchedActivities.map((r) => r.line)).toEqual(unknownLines);
        expect(asWritten.files[1]).toMatchObject({ rejected: 0, unmatched: unknownLines.length });
        expect(byLead.unknownLeadActivities + byLead.rejectedLeadActivities).toBe(unknownLines.length);
      }),
      { numRuns: 40 },
    );
    await cleanup();
  });
});

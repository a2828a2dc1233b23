import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Evaluator } from "../../src/engine/evaluator.js";
import type { Value } from "../../src/engine/ir.js";
import { ACTIVITY_SLOTS, buildPlan } from "../../src/engine/plan.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { CSV_HEADER, csvChunks, csvField, csvMasking } from "../../src/report/csv.js";
import { createMasker } from "../../src/report/mask.js";
import { runCli } from "../helpers.js";

/** A policy with every kind of SLA, one of them grouped by a personal field. */
const POLICY = `agreement "CSV" {
  timezone "America/New_York"
  effective 2026-10-01
}
team t { approvers @t }
fields {
  email text pii
  owner text
  score number
  at    time
}
lead hot { when score >= 50 since at }
lead warm { when score >= 20 since at }
sla touch { owner t leads warm touches type = "call" expect first touch within 2 hours target 80% per week by email }
sla cap { owner t leads warm expect touches within 1 days <= 1 by owner }
sla volume { owner t leads warm expect count >= 2 per month by owner }
sla share { owner t leads warm expect rate of hot >= 50% per month }
`;

const BASE = Date.parse("2026-10-05T12:00:00Z");
const HOUR = 3_600_000;
const emailArb = fc.constantFrom("ann@acme.com", "bo@x.io", "cy@mail.co", null);
const leadArb = fc.record({
  email: emailArb,
  owner: fc.constantFrom("ana", "ben", null),
  score: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
  at: fc.option(fc.integer({ min: -24 * 10, max: 24 * 40 }).map((h) => BASE + h * HOUR), { nil: null }),
  // Some ids are e-mail addresses, as CRMs sometimes export them.
  idIsEmail: fc.boolean(),
});

/** Splits the CSV's lines into fields (no field in this test holds a comma or quote). */
function rowsOf(csv: string): string[][] {
  return csv.trimEnd().split("\n").slice(1).map((line) => line.split(","));
}

describe("--format csv", () => {
  it("has one row per (SLA, judged lead), outcomes adding up to the JSON's counts, and no personal value (fast-check)", () => {
    const analyzed = analyzePolicySet([{ path: "p.policy", text: POLICY }]);
    expect(analyzed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const plan = buildPlan(analyzed.symbols);
    fc.assert(
      fc.property(
        fc.array(leadArb, { minLength: 1, maxLength: 30, size: "max" }),
        fc.array(fc.record({ lead: fc.nat(29), hours: fc.integer({ min: 0, max: 60 }) }), { maxLength: 40, size: "max" }),
        fc.integer({ min: 24 * 5, max: 24 * 45 }),
        (leads, activities, asOfHours) => {
          const asOf = BASE + asOfHours * HOUR;
          const evaluator = new Evaluator(plan, { asOf, keepLeadRows: true, keepLeadOutcomes: true });
          const ids = leads.map((l, i) => (l.idIsEmail && l.email ? `${i}.${l.email}` : `L${i}`));
          leads.forEach((lead, i) => evaluator.addLead(ids[i]!, plan.fields.map((f) => (lead as Record<string, Value>)[f.name] ?? null)));
          for (const a of activities.filter((x) => x.lead < leads.length)) {
            const values = new Array<Value>(ACTIVITY_SLOTS.size).fill(null);
            values[ACTIVITY_SLOTS.get("type")!] = "call";
            values[ACTIVITY_SLOTS.get("at")!] = (leads[a.lead]!.at ?? BASE) + a.hours * HOUR;
            evaluator.addActivity(a.lead, values);
          }
          const finished = evaluator.finish();

          // Unmasked: exactly one row per SLA and judged lead, matching each lead's own outcome.
          const rows = [...evaluator.leadRows()];
          const keys = rows.map((r) => `${r.sla}|${r.lead}`);
          expect(new Set(keys).size).toBe(keys.length);
          const leadLevel = new Set(plan.slas.filter((s) => s.kind === "firstTouch" || s.kind === "touches").map((s) => s.id));
          const population = new Map(plan.slas.map((s) => [s.id, s.population.id]));
          for (const row of rows) {
            const outcome = evaluator.leadOutcomes.get(row.lead)!;
            if (leadLevel.has(row.sla)) expect(row.outcome).toBe(outcome.slas[row.sla]);
            else expect(outcome.definitions).toContain(population.get(row.sla));
          }
          const judged = [...evaluator.leadOutcomes.values()].reduce((n, o) => n + Object.keys(o.slas).filter((s) => leadLevel.has(s)).length, 0);
          expect(rows.filter((r) => leadLevel.has(r.sla))).toHaveLength(judged);

          // Masked as eval writes it: outcomes per period and group add up to the report's counts.
          const pii = new Set(["email"]);
          const masker = createMasker(pii, false);
          const result = masker.result({ slas: finished.slas, goals: [] } as never) as unknown as { slas: typeof finished.slas };
          const bySla = new Map(plan.slas.map((s) => [s.id, s.by.map((f) => f.name)]));
          const csv = [...csvChunks(evaluator.leadRows(), csvMasking(masker, bySla), 64)].join("");
          expect(csv.startsWith(`${CSV_HEADER}\n`)).toBe(true);
          for (const email of ["ann@acme.com", "bo@x.io", "cy@mail.co"]) expect(csv).not.toContain(email);
          const tally = new Map<string, number>();
          for (const [sla, period, group, , outcome] of rowsOf(csv)) {
            const key = `${sla}|${period}|${group}|${outcome}`;
            tally.set(key, (tally.get(key) ?? 0) + 1);
          }
          const expected = new Map<string, number>();
          for (const sla of result.slas) {
            for (const c of sla.results) {
              const add = (outcome: string, n: number) => n > 0 && expected.set(`${sla.id}|${c.period}|${c.group}|${outcome}`, n);
              if (sla.kind === "count" || sla.kind === "rate") add("counted", c.leads);
              else {
                add("met", c.met);
                add("breached", c.breached);
                add("pending", c.pending);
              }
            }
          }
          const noClock = [...tally].filter(([k]) => k.endsWith("|no_clock")).reduce((n, [k, v]) => (k.split("|")[1] === "" ? n + v : n), 0);
          expect(noClock).toBe(result.slas.reduce((n, s) => n + s.totals.noClock, 0));
          expect(new Map([...tally].filter(([k]) => !k.endsWith("|no_clock")))).toEqual(expected);
        },
      ),
      { numRuns: 120 },
    );
  });

  it("quotes fields per RFC 4180 and defuses spreadsheet formulas", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField('a,"b"')).toBe('"a,""b"""');
    expect(csvField("line\nbreak")).toBe('"line\nbreak"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("-12")).toBe("-12");
    expect(csvField("-1,234.5")).toBe('"-1,234.5"');
    expect(csvField("-")).toBe("-");
    // A minus before anything but a number is a formula to Excel: -2+3 is 1, -cmd|… runs a program.
    expect(csvField("-2+3")).toBe("'-2+3");
    expect(csvField("-cmd|' /C calc'!A0")).toBe("'-cmd|' /C calc'!A0");
    expect(csvField("-A1")).toBe("'-A1");
  });

  it("eval --format csv writes the hand-checked rows, and --output a file with the same text", async () => {
    const args = ["eval", "--policies", "test/fixtures/hand-checked/policies", "--snapshot", "test/fixtures/hand-checked/snapshot", "--max-rejected", "2", "--format", "csv"];
    const out = await runCli(args);
    expect(out.code).toBe(1);
    const lines = out.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("sla,period,group,lead,outcome,clock,deadline,first_touch,touches");
    expect(lines).toContain("first_touch,2026-11,all,L3,breached,2026-11-25T20:00:00.000Z,2026-11-27T16:00:00.000Z,2026-11-27T16:30:00.000Z,0");
    expect(lines).toContain("first_touch,,all,L6,no_clock,,,,");
    expect(lines).toContain("volume,2026-10,all,L2,counted,2026-10-30T19:00:00.000Z,,,");
    const dir = await mkdtemp(path.join(os.tmpdir(), "csv-"));
    try {
      const file = path.join(dir, "leads.csv");
      const written = await runCli([...args, "--output", file]);
      expect(written.code).toBe(1);
      expect(await readFile(file, "utf8")).toBe(out.stdout);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

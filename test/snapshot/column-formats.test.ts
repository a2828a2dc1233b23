import { mkdir, readFile, writeFile } from "node:fs/promises";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/engine/plan.js";
import { Zone } from "../../src/engine/time.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { columnReader, FIRST_YEAR, LAST_YEAR } from "../../src/snapshot/column-readers.js";
import { LeadConverter, objectRecord } from "../../src/snapshot/convert.js";
import { leadRecordSchemaFromPlan } from "../../src/snapshot/lead-schema.js";
import { runSnapshot } from "../../src/snapshot/load.js";
import { ROOT, tempDir } from "../helpers.js";

const ZONE_NAME = "America/New_York";
const zone = new Zone(ZONE_NAME);
const HOUR = 3_600_000;

function timeReader(pattern: string) {
  return columnReader({ kind: "time", pattern }, zone, { naive: 0 });
}
const read = (reader: ReturnType<typeof timeReader>, text: string) => reader.read(text, 0, text.length);
const written = (ms: number, pattern: string) => DateTime.fromMillis(ms, { zone: ZONE_NAME }).toFormat(pattern, { locale: "en-US" });

/** Whole minutes over the years a snapshot may hold, and the instants around New York's clock changes. */
const FIRST_MS = Date.UTC(FIRST_YEAR, 0, 2);
const LAST_MS = Date.UTC(LAST_YEAR, 11, 30);
const dstEdges = [Date.parse("2026-03-08T07:00:00Z"), Date.parse("2026-11-01T06:00:00Z"), Date.parse("1990-04-01T07:00:00Z"), Date.parse("2150-11-01T06:00:00Z")];
const instant = fc.oneof(
  fc.integer({ min: FIRST_MS / 60_000, max: LAST_MS / 60_000 }).map((m) => m * 60_000),
  fc.tuple(fc.constantFrom(...dstEdges), fc.integer({ min: -180, max: 180 })).map(([edge, m]) => edge + m * 60_000),
  // Noon and midnight: 12 PM and 12 AM.
  fc.tuple(fc.integer({ min: 0, max: 60_000 }), fc.constantFrom(0, 12), fc.integer({ min: 0, max: 59 })).map(([day, hour, minute]) =>
    DateTime.fromObject({ year: 1950, month: 1, day: 1, hour, minute }, { zone: ZONE_NAME }).plus({ days: day }).toMillis(),
  ),
);

describe("time formats read back what was written", () => {
  // Luxon writes each instant in the pattern; the reader must give back that instant, or, in the
  // hour a clock change repeats (a pattern without offset cannot tell the two apart), the other
  // instant of the same wall-clock time.
  const patterns = ["M/d/yyyy h:mm a", "dd.MM.yyyy HH:mm", "d MMM yyyy hh:mm:ss a", "MMMM d, yyyy H:mm", "yyyy-MM-dd'T'HH:mm:ss.SSSZZ", "yyyyMMddHHmmssZZZ", "EEE, d MMM yyyy HH:mm"];
  for (const pattern of patterns) {
    it(`"${pattern}": whole range, both DST edges, 12 AM and 12 PM`, () => {
      const reader = timeReader(pattern);
      const withOffset = pattern.includes("Z");
      fc.assert(
        fc.property(instant, (ms) => {
          const text = written(ms, pattern);
          const back = read(reader, text);
          expect(back, text).toBeDefined();
          expect(written(back!, pattern)).toBe(text);
          if (withOffset) expect(back).toBe(ms);
          else expect([ms, ms - HOUR, ms + HOUR]).toContain(back);
        }),
        { numRuns: 400 },
      );
    });
  }

  it("reads 12 AM as midnight and 12 PM as noon, and the agreement's zone on both sides of a clock change", () => {
    const reader = timeReader("M/d/yyyy h:mm a");
    expect(read(reader, "3/5/2026 12:00 AM")).toBe(Date.parse("2026-03-05T05:00:00Z"));
    expect(read(reader, "3/5/2026 12:30 PM")).toBe(Date.parse("2026-03-05T17:30:00Z"));
    expect(read(reader, "3/9/2026 10:00 am")).toBe(Date.parse("2026-03-09T14:00:00Z"));
    expect(read(reader, " 11/2/2026 10:00 PM ")).toBe(Date.parse("2026-11-03T03:00:00Z"));
  });

  it("a pattern luxon reads puts a local time in the agreement's zone by the same rule as the own reader, at clock changes too", () => {
    // The hour skipped (2:30 on 2026-03-08) and the hour repeated (1:30 on 2026-11-01) in New York.
    const own = timeReader("yyyy-MM-dd HH:mm");
    const byLuxon = timeReader("EEE yyyy-MM-dd HH:mm");
    for (const [weekday, local] of [["Sun", "2026-03-08 02:30"], ["Sun", "2026-11-01 01:30"], ["Thu", "2026-03-05 10:00"], ["Sun", "2026-03-08 03:00"]] as const) {
      expect(read(byLuxon, `${weekday} ${local}`), local).toBe(read(own, local));
    }
  });

  it("refuses text off the pattern", () => {
    const reader = timeReader("M/d/yyyy h:mm a");
    for (const text of ["2026-03-05 10:00", "13/5/2026 10:00 AM", "2/30/2026 10:00 AM", "3/5/2026 0:00 AM", "3/5/2026 13:00 PM", "3/5/2026 10:00", "3/5/2026 10:60 AM", "3/5/20266 10:00 AM", "3/5/1850 10:00 AM", "3/5/2026 10:00 AMX", "3/5/2026 10:00 XM"]) {
      expect(read(reader, text), text).toBeUndefined();
    }
  });
});

describe("epoch formats", () => {
  it("epoch ms and epoch s read back the instant written, as text or as a JSON number", () => {
    const ms = columnReader({ kind: "epoch", unit: "ms" }, zone, { naive: 0 });
    const s = columnReader({ kind: "epoch", unit: "s" }, zone, { naive: 0 });
    fc.assert(
      fc.property(fc.integer({ min: FIRST_MS, max: LAST_MS }), (t) => {
        expect(ms.read(String(t), 0, String(t).length)).toBe(t);
        expect(ms.readJson(t)).toBe(t);
        const seconds = String(Math.floor(t / 1000));
        expect(s.read(seconds, 0, seconds.length)).toBe(Math.floor(t / 1000) * 1000);
        expect(s.readJson(Math.floor(t / 1000))).toBe(Math.floor(t / 1000) * 1000);
      }),
    );
    for (const text of ["", "12a", "1.5", "99999999999999999", String(Date.UTC(2300, 0, 1))]) expect(ms.read(text, 0, text.length), text).toBeUndefined();
    expect(s.read("1767225600.5", 0, 12)).toBe(1767225600500);
  });
});

/** How a spreadsheet writes a number of cents with this thousands separator and decimal mark. */
function writeNumber(cents: number, group: string, decimal: string, symbol: string): string {
  const whole = String(Math.floor(Math.abs(cents) / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, group);
  const text = `${symbol}${whole}${decimal}${String(Math.abs(cents) % 100).padStart(2, "0")}`;
  return cents < 0 ? `-${text}` : text;
}

describe("number formats", () => {
  const cases: Array<[string, string, string]> = [
    ["1,234.56", ",", "."],
    ["1.234,56", ".", ","],
    ["1 234,56", " ", ","],
    ["1234.56", "", "."],
  ];
  for (const [pattern, group, decimal] of cases) {
    it(`"${pattern}" reads back the number written, currency symbols and all`, () => {
      const reader = columnReader({ kind: "number", pattern }, zone, { naive: 0 });
      fc.assert(
        fc.property(fc.integer({ min: -(10 ** 14), max: 10 ** 14 }), fc.constantFrom("", "$", "€ ", "£"), (cents, symbol) => {
          const text = writeNumber(cents, group, decimal, symbol);
          expect(reader.read(text, 0, text.length), text).toBe(cents / 100);
        }),
      );
    });
  }

  it("reads the SPEC's examples and refuses malformed numbers", () => {
    const us = columnReader({ kind: "number", pattern: "1,234.56" }, zone, { naive: 0 });
    const eu = columnReader({ kind: "number", pattern: "1.234,56" }, zone, { naive: 0 });
    const r = (reader: typeof us, text: string) => reader.read(text, 0, text.length);
    expect(r(us, "$1,250.00")).toBe(1250);
    expect(r(us, "1250")).toBe(1250);
    expect(r(us, "USD")).toBeUndefined();
    expect(r(eu, "1.234,5")).toBe(1234.5);
    expect(r(eu, "1.234.567,89 €")).toBe(1234567.89);
    for (const text of ["1,25,000.00", "12,34", "1,234.", "$", "1.234,56", "--5", "1,234.5x"]) expect(r(us, text), text).toBeUndefined();
  });

  it("refuses a number too large for a double instead of reading Infinity", () => {
    const us = columnReader({ kind: "number", pattern: "1,234.56" }, zone, { naive: 0 });
    for (const text of ["9".repeat(400), `-${"9".repeat(400)}`, `$${"999,".repeat(130)}999.00`]) expect(us.read(text, 0, text.length), text.slice(0, 20)).toBeUndefined();
    const big = "9".repeat(300);
    expect(us.read(big, 0, big.length)).toBe(Number(big));
  });
});

/** The hand-checked snapshot as a CRM writes it: renamed columns, US times, decimal commas. */
const HAND = path.join(ROOT, "test/fixtures/hand-checked");
const CRM_FIELDS = `fields {
  id       text from "Lead ID"
  stage    text one of ["lead", "sql"] from "Lead Status"
  score    number from "Score" format "1.234,56"
  owner    text from "Lead Owner"
  ready_at time from "Ready Date" format "M/d/yyyy h:mm a"
}

activity fields {
  lead_id text from "Lead ID"
  type    text from "Activity Type"
  at      time from "Date" format epoch ms
  owner   text from "Assigned"
  result  text from "Call Result"
}
`;

function crmPolicy(): string {
  const text = readFileSync(path.join(HAND, "policies/agreement.policy"), "utf8");
  return text.replace(/fields \{[^}]*\}\n/, CRM_FIELDS);
}

/** Rewrites a plain CSV (no quotes in the fixture) column by column. */
function rewrite(csv: string, header: string[], cells: Array<(v: string) => string>, sep: string): string {
  const [, ...rows] = csv.trimEnd().split("\n");
  const width = header.length;
  return [header.join(sep), ...rows.map((row) => [...row.split(",").map((v, k) => (v === "" ? "" : cells[k]!(v))), "", ""].slice(0, width).join(sep))].join("\n") + "\n";
}

async function crmSnapshot(dir: string, leadsEdit: (csv: string) => string = (c) => c): Promise<void> {
  await mkdir(path.join(dir, "policies"), { recursive: true });
  await mkdir(path.join(dir, "snapshot"), { recursive: true });
  await writeFile(path.join(dir, "policies/agreement.policy"), crmPolicy());
  const same = (v: string) => v;
  const usTime = (v: string) => DateTime.fromISO(v.replace(" ", "T"), { zone: ZONE_NAME }).setZone(ZONE_NAME).toFormat("M/d/yyyy h:mm a", { locale: "en-US" });
  const leads = rewrite(await readFile(path.join(HAND, "snapshot/leads.csv"), "utf8"), ["Lead ID", "Lead Status", "Score", "Lead Owner", "Ready Date"], [same, same, (v) => (Number.isNaN(Number(v)) ? v : `${v},0`), same, (v) => (DateTime.fromISO(v.replace(" ", "T"), { zone: ZONE_NAME }).isValid ? usTime(v) : v)], ";");
  await writeFile(path.join(dir, "snapshot/leads.csv"), leadsEdit(leads));
  const activities = rewrite(await readFile(path.join(HAND, "snapshot/activities.csv"), "utf8"), ["Lead ID", "Activity Type", "Date", "Assigned", "Call Result"], [same, same, (v) => String(Date.parse(v)), same], ",");
  await writeFile(path.join(dir, "snapshot/activities.csv"), activities);
  await writeFile(path.join(dir, "snapshot/snapshot.yaml"), readFileSync(path.join(HAND, "snapshot/snapshot.yaml"), "utf8"));
}

function planOf(dir: string) {
  const sources = readdirSync(dir).filter((f) => f.endsWith(".policy")).map((f) => ({ path: f, text: readFileSync(path.join(dir, f), "utf8") }));
  const analyzed = analyzePolicySet(sources);
  expect(analyzed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return buildPlan(analyzed.symbols);
}

const AS_OF = Date.parse("2026-11-30T20:00:00Z");

describe("a CRM-formatted export evaluates as its ISO twin", () => {
  for (const threads of ["one", "two"] as const) {
    it(`same results, rejects and lines on ${threads} thread${threads === "one" ? "" : "s"}`, async () => {
      const { dir, cleanup } = await tempDir();
      try {
        await crmSnapshot(dir);
        const options = { dir: path.join(dir, "snapshot"), shown: "snap", asOf: AS_OF, keepLeadOutcomes: true, threads };
        const iso = await runSnapshot({ ...options, plan: planOf(path.join(HAND, "policies")), dir: path.join(HAND, "snapshot") });
        const crm = await runSnapshot({ ...options, plan: planOf(path.join(dir, "policies")) });
        expect(crm.slas).toEqual(iso.slas);
        expect(crm.definitions).toEqual(iso.definitions);
        expect(crm.files.map((f) => [f.read, f.used, f.rejected])).toEqual(iso.files.map((f) => [f.read, f.used, f.rejected]));
        expect(crm.rejects.map((r) => r.line)).toEqual(iso.rejects.map((r) => r.line));
      } finally {
        await cleanup();
      }
    });

    it(`a value off its format is a reject naming the format and its line, on ${threads} thread${threads === "one" ? "" : "s"}`, async () => {
      const { dir, cleanup } = await tempDir();
      try {
        await crmSnapshot(dir, (csv) => csv.replace(/\nL2;([^;]*);([^;]*);([^;]*);[^\n]*/, "\nL2;$1;$2;$3;2026-10-30 15:00"));
        const run = await runSnapshot({ plan: planOf(path.join(dir, "policies")), dir: path.join(dir, "snapshot"), shown: "snap", asOf: AS_OF, threads });
        const reject = run.rejects.find((r) => r.line === 3);
        expect(reject?.reason).toBe(`column 'Ready Date': '2026-10-30 15:00' does not match the format "M/d/yyyy h:mm a"`);
        expect(reject?.file).toMatch(/leads\.csv$/);
        // An activity's time off its format too: the third line of activities.csv.
        const activitiesFile = path.join(dir, "snapshot/activities.csv");
        const lines = (await readFile(activitiesFile, "utf8")).split("\n");
        lines[2] = lines[2]!.replace(/^([^,]*,[^,]*,)[^,]*/, "$12026-11-03T14:00:00Z");
        await writeFile(activitiesFile, lines.join("\n"));
        const again = await runSnapshot({ plan: planOf(path.join(dir, "policies")), dir: path.join(dir, "snapshot"), shown: "snap", asOf: AS_OF, threads });
        const activityReject = again.rejects.find((r) => r.file.endsWith("activities.csv"));
        expect(activityReject).toMatchObject({ line: 3, reason: "'Date' '2026-11-03T14:00:00Z' does not match epoch milliseconds (format epoch ms)" });
      } finally {
        await cleanup();
      }
    });
  }
});

describe("extra activity fields in touch filters", () => {
  for (const threads of ["one", "two"] as const) {
    it(`'result' from "Call Result" filters touches as leaving the activity out would, on ${threads} thread${threads === "one" ? "" : "s"}`, async () => {
      const { dir, cleanup } = await tempDir();
      try {
        await crmSnapshot(dir);
        const policyFile = path.join(dir, "policies/agreement.policy");
        const filter = 'touches type in ["call", "email"]';
        await writeFile(policyFile, (await readFile(policyFile, "utf8")).replaceAll(filter, `${filter} and (result is not set or result != "voicemail")`));
        // The CRM marks L1's first call a voicemail; the ISO twin leaves that activity out.
        const activities = (await readFile(path.join(dir, "snapshot/activities.csv"), "utf8")).split("\n");
        activities[1] = activities[1]!.replace(/,$/, ",voicemail");
        await writeFile(path.join(dir, "snapshot/activities.csv"), activities.join("\n"));
        const iso = path.join(dir, "iso");
        await mkdir(iso);
        for (const f of ["leads.csv", "snapshot.yaml"]) await writeFile(path.join(iso, f), await readFile(path.join(HAND, "snapshot", f)));
        const isoActivities = (await readFile(path.join(HAND, "snapshot/activities.csv"), "utf8")).split("\n");
        isoActivities.splice(1, 1);
        await writeFile(path.join(iso, "activities.csv"), isoActivities.join("\n"));
        const plan = planOf(path.join(dir, "policies"));
        expect(plan.activityFields.map((f) => [f.name, f.column, f.slot])).toEqual([["type", "Activity Type", 0], ["at", "Date", 1], ["owner", "Assigned", 2], ["lead_id", "Lead ID", 3], ["result", "Call Result", 4]]);
        const options = { shown: "snap", asOf: AS_OF, keepLeadOutcomes: true, threads };
        const crm = await runSnapshot({ ...options, plan, dir: path.join(dir, "snapshot") });
        const twin = await runSnapshot({ ...options, plan: planOf(path.join(HAND, "policies")), dir: iso });
        expect(crm.slas).toEqual(twin.slas);
        const original = await runSnapshot({ ...options, plan: planOf(path.join(HAND, "policies")), dir: path.join(HAND, "snapshot") });
        // The filter changed something: L1's first touch is later without its first call.
        expect(crm.slas).not.toEqual(original.slas);
      } finally {
        await cleanup();
      }
    });
  }
});

describe("formatted columns in JSON records", () => {
  const policy = `agreement "A" {
  timezone "America/New_York"
}

fields {
  id       text from "Lead ID"
  at       time from "Created" format epoch s
  amount   money USD from "Amount" format "1.234,56"
  birthday date from "Birthday" format "dd.MM.yyyy" pii
}
`;
  const plan = buildPlan(analyzePolicySet([{ path: "p.policy", text: policy }]).symbols);
  const converter = new LeadConverter({ fields: plan.fields, schema: leadRecordSchemaFromPlan(plan), zone: plan.zone });
  const slot = (name: string) => plan.fieldByName.get(name)!.slot;

  it("take numbers as JSON numbers and text as the format says; the id from its mapped column", () => {
    const converted = converter.convert(objectRecord({ "Lead ID": 7, Created: 1772722800, Amount: "€ 1.250,50", Birthday: "05.03.1990" }));
    expect(converted).toMatchObject({ ok: true, id: "7" });
    if (!converted.ok) return;
    expect(converted.values[slot("at")]).toBe(Date.parse("2026-03-05T15:00:00Z"));
    expect(converted.values[slot("amount")]).toBe(1250.5);
    expect(converted.values[slot("birthday")]).toBe(Date.parse("1990-03-05T05:00:00Z"));
  });

  it("a value off its format is rejected with the format named, a personal one without its value", () => {
    const converted = converter.convert(objectRecord({ "Lead ID": "L1", Created: "yesterday", Amount: "1,250.50", Birthday: "1990-03-05" }));
    expect(converted.ok).toBe(false);
    if (converted.ok) return;
    expect(converted.reason).toContain(`column 'Created': 'yesterday' does not match epoch seconds (format epoch s)`);
    expect(converted.reason).toContain(`column 'Amount': '1,250.50' does not match the format "1.234,56"`);
    expect(converted.reason).toContain(`column 'Birthday': the value (hidden: personal) does not match the format "dd.MM.yyyy"`);
    expect(converted.reason).not.toContain("1990");
  });
});

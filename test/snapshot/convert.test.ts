import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/engine/plan.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { ActivityConverter, LeadConverter, objectRecord, TimestampReader, type RawRecord } from "../../src/snapshot/convert.js";
import { leadRecordSchemaFromPlan } from "../../src/snapshot/lead-schema.js";

const POLICY = `agreement "Convert" {
  timezone "America/New_York"
}
team t { approvers @t }
fields {
  email  text pii
  stage  text one of ["lead", "mql"] from "Lifecycle Stage"
  score  number
  amount money USD
  demo   boolean
  at     time from "Created"
  day    date
}
lead any { when score >= 0 since at }
sla volume { owner t leads any expect count >= 1 }
`;

describe("lead conversion", () => {
  const analyzed = analyzePolicySet([{ path: "p.policy", text: POLICY }]);
  expect(analyzed.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const plan = buildPlan(analyzed.symbols, {});
  const schema = leadRecordSchemaFromPlan(plan);

  it("checking column by column accepts and rejects exactly as checking the whole record does", () => {
    const columnByColumn = new LeadConverter({ fields: plan.fields, schema, zone: plan.zone });
    // A top-level key the column-by-column check does not know makes the converter check whole records.
    const wholeRecord = new LeadConverter({ fields: plan.fields, schema: { ...schema, $comment: "whole records" }, zone: plan.zone });
    const raw = fc.oneof(
      fc.constantFrom("", " ", "lead", "mql", "MQL", "12", "-3.5", "1e3", "abc", "true", "no", "2026-11-02", "2026-11-02 09:15", "2026-11-02T09:15:00Z", "2026-02-30 10:00", "x@corp.example"),
      fc.string({ maxLength: 8 }),
      fc.integer(),
      fc.boolean(),
      fc.constant(null),
    );
    const columns = ["email", "Lifecycle Stage", "score", "amount", "demo", "Created", "day"];
    fc.assert(
      fc.property(fc.record({ id: fc.constantFrom("L1", " L2 ", 7) }), fc.tuple(...columns.map(() => raw)), ({ id }, values) => {
        const record = objectRecord({ id, ...Object.fromEntries(columns.map((c, i) => [c, values[i]])) });
        expect(columnByColumn.convert(record)).toEqual(wholeRecord.convert(record));
      }),
      { numRuns: 2000 },
    );
  });

  /** A CSV row two ways: its fields as strings (papaparse), and as spans of one text (the fast path). */
  function csvRows(header: readonly string[], fields: readonly string[]): [RawRecord, RawRecord] {
    const index = new Map(header.map((h, i) => [h, i]));
    const text = `junk,${fields.join(",")}\n`;
    const starts = new Int32Array(fields.length);
    const ends = new Int32Array(fields.length);
    let at = 5;
    fields.forEach((f, i) => {
      starts[i] = at;
      ends[i] = at + f.length;
      at += f.length + 1;
    });
    const asStrings = { index, spans: undefined, field: (i: number) => fields[i]!, get: (c: string) => (index.has(c) ? fields[index.get(c)!] : undefined), columns: () => asStrings };
    const spans = { text, starts, ends };
    const asSpans = { index, spans, field: (i: number) => text.substring(starts[i]!, ends[i]!), get: (c: string) => (index.has(c) ? asSpans.field(index.get(c)!) : undefined), columns: () => asSpans };
    return [asStrings, asSpans];
  }

  const csvValue = fc.oneof(
    fc.constantFrom("", " ", "lead", "mql", "12", "007", "-3", "1e3", "123456789012345678", "true", "false", "TRUE", "yes", "2026-11-02", "2026-11-02 09:15", "2026-11-02T09:15", "2026-11-02 09:15:30", "2026-11-02T09:15:00Z", "2026-11-02T09:15:00z", "2026-11-02T09:15:00+05:30", "2026-11-02T09:15:00-0500", "2026-02-30 10:00", "2026-11-02 25:00", "2026-1x-02 09:15", " 2026-11-02 09:15"),
    fc.stringMatching(/^[0-9 :TZ+-]{0,25}$/),
  );

  const wholeNumber = fc.oneof(fc.nat().map(String), fc.bigInt({ min: 0n, max: 10n ** 18n }).map(String));
  const time = fc.tuple(fc.integer({ min: 1999, max: 2040 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.constantFrom("", ":07", ":59Z", ":00+02:00", ":30-05:00", "T"))
    .map(([y, mo, d, h, mi, tail]) => {
      const p = (n: number) => String(n).padStart(2, "0");
      return tail === "T" ? `${y}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}` : `${y}-${p(mo)}-${p(d)} ${p(h)}:${p(mi)}${tail}`.replace(/ (\d\d:\d\d:\d\d[Z+-])/, "T$1");
    });
  /** Per column after the id: mostly values of its type, the rest anything. */
  const byColumn = [fc.constantFrom("a@corp.example", ""), fc.constantFrom("lead", "mql", ""), wholeNumber, wholeNumber, fc.constantFrom("true", "false", ""), time, fc.constantFrom("2026-11-02", "")];

  it("values read in place from the fast path's spans convert exactly as the same values read as strings", () => {
    const converter = new LeadConverter({ fields: plan.fields, schema, zone: plan.zone });
    const header = ["id", "email", "Lifecycle Stage", "score", "amount", "demo", "Created", "day"];
    fc.assert(
      fc.property(fc.constantFrom("L1", " L2 ", ""), fc.tuple(...byColumn.map((valid) => fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: csvValue, weight: 1 }))), (id, values) => {
        const [asStrings, asSpans] = csvRows(header, [id, ...values]);
        expect(converter.convert(asSpans)).toEqual(converter.convert(asStrings));
      }),
      { numRuns: 3000 },
    );
  });

  it("reads a time or date in a less common shape after the schema check, and rejects one that is no real date", () => {
    const converter = new LeadConverter({ fields: plan.fields, schema, zone: plan.zone });
    const lead = (at: string, day: string) => objectRecord({ id: "L1", score: 1, Created: at, day });
    const slot = (name: string) => plan.fields.find((f) => f.name === name)!.slot;
    const ok = converter.convert(lead("2026-11-02T09:15:00.250+01:00", "2026-11-02"));
    expect(ok.ok && [ok.values[slot("at")], ok.values[slot("day")]]).toEqual([Date.parse("2026-11-02T08:15:00.250Z"), Date.parse("2026-11-02T05:00:00Z")]);
    expect(converter.convert(lead("2026-02-30 10:00", "2026-11-02"))).toEqual({ ok: false, id: "L1", reason: "column 'Created': '2026-02-30 10:00' is not a real date/time" });
  });

  it("an activity's time read in place converts as the same time read as a string", () => {
    const converter = new ActivityConverter(new TimestampReader(plan.zone));
    const header = ["lead_id", "type", "at", "owner"];
    fc.assert(
      fc.property(fc.constantFrom("L1", ""), csvValue, csvValue, (leadId, at, owner) => {
        const [asStrings, asSpans] = csvRows(header, [leadId, "call", at, owner]);
        expect(converter.convert(asSpans)).toEqual(converter.convert(asStrings));
      }),
      { numRuns: 1000 },
    );
  });
});

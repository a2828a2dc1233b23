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
  score  number
  at     time from "Created"
  day    date
}
lead any { when score >= 0 since at }
sla volume { owner t leads any expect count >= 1 }
`;

const analyzed = analyzePolicySet([{ path: "p.policy", text: POLICY }]);
const plan = buildPlan(analyzed.symbols, {});
const converter = new LeadConverter({ fields: plan.fields, schema: leadRecordSchemaFromPlan(plan), zone: plan.zone });
const lead = (values: Record<string, unknown>) => converter.convert(objectRecord({ id: "L1", score: 1, Created: "2026-11-02 09:15", ...values }));

/** The same row as a quote-free CSV row read in place (the fast path), to hold both paths to one answer. */
function inPlace(header: string[], fields: string[]): RawRecord {
  const text = fields.join(",");
  const starts = new Int32Array(fields.length);
  const ends = new Int32Array(fields.length);
  let at = 0;
  fields.forEach((f, i) => {
    starts[i] = at;
    ends[i] = at + f.length;
    at += f.length + 1;
  });
  const index = new Map(header.map((h, i) => [h, i]));
  const row = { index, spans: { text, starts, ends }, field: (i: number) => fields[i]!, get: (c: string) => fields[index.get(c) ?? -1], columns: () => row };
  return row;
}

describe("values that were once accepted silently", () => {
  it("an offset beyond ±14:00 (or with 60+ minutes) is rejected, read in place or not", () => {
    for (const at of ["2026-11-02T09:15:00+99:99", "2026-11-02T09:15:00-15:00", "2026-11-02T09:15:00+01:60", "2026-11-02 09:15+9999"]) {
      const result = lead({ Created: at });
      expect(result).toEqual({ ok: false, id: "L1", reason: `column 'Created': '${at}' has a UTC offset that does not exist (offsets run from -12:00 to +14:00)` });
      expect(converter.convert(inPlace(["id", "score", "Created"], ["L1", "1", at]))).toEqual(result);
    }
    expect(lead({ Created: "2026-11-02T09:15:00+14:00" }).ok).toBe(true);
    expect(lead({ Created: "2026-11-02T09:15:00-12:00" }).ok).toBe(true);
  });

  it("a date outside 1900–2199 (a CRM's 'never', 9999-12-31) is rejected with the range, read in place or not", () => {
    for (const at of ["9999-12-31 00:00", "9999-12-31T00:00:00Z", "1899-12-31", "2200-01-01 00:00:00"]) {
      const result = lead({ Created: at });
      expect(result.ok).toBe(false);
      expect(!result.ok && result.reason).toContain("is outside the years 1900–2199");
      expect(converter.convert(inPlace(["id", "score", "Created"], ["L1", "1", at]))).toEqual(result);
    }
    expect(lead({ day: "9999-12-31" }).ok).toBe(false);
    expect(lead({ Created: "2199-12-31 23:59", day: "1900-01-01" }).ok).toBe(true);
  });

  it("1e400 is out of range, not 'found null'", () => {
    expect(lead({ score: "1e400" })).toEqual({ ok: false, id: "L1", reason: "column 'score': '1e400' is out of range: numbers go up to about 1.8e308" });
    expect(lead({ score: "-1e400" }).ok).toBe(false);
    expect(lead({ score: "1e300" }).ok).toBe(true);
  });

  it("a JSON id that is an object or a list is rejected, not read as '[object Object]'", () => {
    expect(converter.convert(objectRecord({ id: { a: 1 }, score: 1 }))).toEqual({ ok: false, reason: 'the id {"a":1} is not text or a number' });
    expect(converter.convert(objectRecord({ id: [1], score: 1 })).ok).toBe(false);
    expect(converter.convert(objectRecord({ id: true, score: 1 })).ok).toBe(false);
    const ok = converter.convert(objectRecord({ id: 42, score: 1 }));
    expect(ok.ok && ok.id).toBe("42");
  });

  it("a JSON value nested 200,000 deep (JSON.parse reads it; writing it back overflowed) is rejected, named not quoted", () => {
    const deep = JSON.parse(`${"[".repeat(200_000)}${"]".repeat(200_000)}`) as unknown;
    expect(lead({ score: deep })).toEqual({ ok: false, id: "L1", reason: "column 'score': '[… nested too deeply to show]' is not a number" });
    expect(converter.convert(objectRecord({ id: deep, score: 1 })).ok).toBe(false);
  });

  it("an activity whose lead_id is an object is rejected", () => {
    const activities = new ActivityConverter(new TimestampReader(plan.zone));
    expect(activities.convert(objectRecord({ lead_id: { x: 1 }, at: "2026-11-02T09:15:00Z" }))).toEqual({ ok: false, reason: 'the lead_id {"x":1} is not text or a number' });
    expect(activities.convert(objectRecord({ lead_id: "L1", at: "2026-11-02T09:15:00+99:99" })).ok).toBe(false);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildPlan } from "../../src/engine/plan.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { LeadConverter, objectRecord } from "../../src/snapshot/convert.js";
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
});

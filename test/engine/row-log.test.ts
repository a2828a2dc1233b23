import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NOT_USED_REASONS } from "../../src/engine/evaluate.js";
import { kindOfReasons, OTHER_REASONS, REASONS_COUNTED, ROWS_LISTED, reasonKind, RowLog } from "../../src/engine/row-log.js";

describe("RowLog: rows not used, in bounded memory", () => {
  it("keeps the first rows in file and line order whatever order they come in, and counts them all", () => {
    const files = new Map([["leads.csv", 0], ["activities.csv", 1]]);
    const row = fc.record({ file: fc.constantFrom("leads.csv", "activities.csv"), line: fc.integer({ min: 1, max: 1_000_000 }) });
    fc.assert(
      fc.property(fc.array(row, { maxLength: 3 * ROWS_LISTED }), (rows) => {
        const log = new RowLog(files);
        for (const r of rows) log.add(r.file, r.line, "has 2 fields but the header has 4");
        const sorted = [...rows].sort((a, b) => files.get(a.file)! - files.get(b.file)! || a.line - b.line).slice(0, ROWS_LISTED);
        expect(log.first().map((r) => [r.file, r.line])).toEqual(sorted.map((r) => [r.file, r.line]));
        expect(log.count).toBe(rows.length);
        expect(log.byReason()).toEqual(rows.length === 0 ? [] : [{ reason: "has 2 fields but the header has 4", column: null, count: rows.length }]);
      }),
      { numRuns: 30 },
    );
  });

  it("counts a reason without the values read from the data, by column", () => {
    expect(reasonKind("column 'lifecycle_stage' must be equal to one of the allowed values: one of \"lead\" (found \"evangelist\")")).toEqual({
      reason: "column 'lifecycle_stage' must be equal to one of the allowed values: one of \"lead\" (found …)",
      column: "lifecycle_stage",
    });
    expect(reasonKind("column 'score': 'abc' is not a number")).toEqual({ reason: "column 'score': '…' is not a number", column: "score" });
    expect(reasonKind("duplicate lead id 'A1' (first on line 2); the first one is used")).toEqual({ reason: "duplicate lead id '…' (first on line …); the first one is used", column: null });
  });

  it("counts past the reasons it names as 'other reasons', so memory stays bounded", () => {
    const log = new RowLog(new Map());
    for (let i = 0; i < REASONS_COUNTED + 50; i++) log.add("leads.csv", i + 2, `has ${i} fields but the header has 4`);
    const reasons = log.byReason();
    expect(reasons).toHaveLength(REASONS_COUNTED + 1);
    expect(reasons[0]).toEqual({ reason: OTHER_REASONS, column: null, count: 50 });
    expect(reasons.reduce((n, r) => n + r.count, 0)).toBe(REASONS_COUNTED + 50);
  });
});

describe("the kind of a row not used, worked out once", () => {
  const { duplicateReason, unknownLeadReason, rejectedLeadReason } = NOT_USED_REASONS;
  const value = fc.oneof(fc.string(), fc.constantFrom("L1", "it's", "'", "a'b'c", "line 7", "(found x)", "column 'x'"));
  const leadFile = fc.oneof(fc.constantFrom("leads.csv", "o'neil/leads.csv", "line 3.csv", "(found)"), fc.string());
  it("is reasonKind's for any lead id and file, quotes included", () => {
    fc.assert(
      fc.property(value, leadFile, fc.nat(), (id, file, line) => {
        const makers = [(v: string) => duplicateReason(v, line), unknownLeadReason, (v: string) => rejectedLeadReason(v, file, line)];
        for (const make of makers) {
          const kindOf = kindOfReasons((v) => make(v));
          expect(kindOf(id, make(id))).toEqual(reasonKind(make(id)));
        }
      }),
      { numRuns: 500 },
    );
  });
});

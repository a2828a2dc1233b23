import { describe, expect, it } from "vitest";
import { REJECTS_CSV_HEADER, rejectCsvLine } from "../../src/report/rejects-csv.js";

describe("eval --rejects FILE: one CSV record per row not used", () => {
  it("quotes as RFC 4180 does, with CRLF", () => {
    expect(REJECTS_CSV_HEADER).toBe("file,line,reason\r\n");
    expect(rejectCsvLine({ file: "snap/leads.csv", line: 7, reason: "has 2 fields but the header has 4" }, false)).toBe("snap/leads.csv,7,has 2 fields but the header has 4\r\n");
    expect(rejectCsvLine({ file: "snap/leads.csv", line: 7, reason: `column 'x': 'a,"b"' is not a number` }, false)).toBe(`snap/leads.csv,7,"column 'x': 'a,""b""' is not a number"\r\n`);
    expect(rejectCsvLine({ file: "a\nb.csv", line: 1, reason: "r" }, false)).toBe(`"a\nb.csv",1,r\r\n`);
  });

  it("keeps a spreadsheet from running a cell as a formula", () => {
    expect(rejectCsvLine({ file: "=HYPERLINK(1).csv", line: 2, reason: "@SUM(A1)" }, false)).toBe("'=HYPERLINK(1).csv,2,'@SUM(A1)\r\n");
    expect(rejectCsvLine({ file: "leads.csv", line: 2, reason: "-1+2" }, false)).toBe("leads.csv,2,'-1+2\r\n");
  });

  it("hides e-mail-like values unless --show-pii", () => {
    const row = { file: "leads.csv", line: 3, reason: "duplicate lead id 'ann@example.com' (first on line 2); the first one is used" };
    expect(rejectCsvLine(row, false)).not.toContain("ann@example.com");
    expect(rejectCsvLine(row, true)).toContain("ann@example.com");
  });
});

import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EvaluationResult } from "../../src/engine/result.js";
import { ROWS_LISTED } from "../../src/engine/row-log.js";
import { ROOT, runCli, tempDir } from "../helpers.js";

const HEADER =
  "id,email,lifecycle_stage,HubSpot Score,Number of Employees,country,job_level,demo_requested,product,Contact owner,Create Date,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,deal_stage,deal_amount,Close Date";
const LEADS = 6000;

/**
 * A messy export, large enough to be cut for two threads: every 5th lead has a lifecycle stage
 * the policy does not list (1,200 rejects, more than a report lists), every 97th repeats an
 * earlier id, and activities go to leads used, to rejected leads and to leads not in the export.
 */
function messyExport(): { leads: string; activities: string; expected: { rejectedLeadLines: number[]; duplicateLines: number[]; unknown: number; ofRejected: number } } {
  const leads = [HEADER];
  const rejectedLeadLines: number[] = [];
  const duplicateLines: number[] = [];
  const used = new Set<string>();
  const rejected = new Set<string>();
  for (let i = 1; i <= LEADS; i++) {
    const line = i + 1;
    const id = i % 97 === 0 ? `L${i - 1}` : `L${i}`;
    const badStage = i % 5 === 0;
    // As the tool must judge it: a row that does not convert is rejected; of those that do, the first with an id is used.
    if (badStage) {
      rejectedLeadLines.push(line);
      rejected.add(id);
    } else if (used.has(id)) duplicateLines.push(line);
    else used.add(id);
    const day = String((i % 28) + 1).padStart(2, "0");
    leads.push(
      [id, `p${i}@corp.example`, badStage ? "evangelist" : "marketingqualifiedlead", String(i % 100), "60", "US", "VP", "true", `P${i % 4}`, `rep${i % 9}`, `2027-01-${day} 09:00`, `2027-01-${day} 10:00`, `2027-01-${day} 11:00`, "", "", ""].join(","),
    );
  }
  const activities = ["lead_id,type,at,owner"];
  let unknown = 0;
  let ofRejected = 0;
  for (let i = 1; i <= LEADS; i++) {
    const day = String((i % 28) + 1).padStart(2, "0");
    activities.push(`L${i},call,2027-01-${day} 12:00,rep1`);
    if (rejected.has(`L${i}`) && !used.has(`L${i}`)) ofRejected++;
    else if (!used.has(`L${i}`)) unknown++;
    if (i % 7 === 0) {
      activities.push(`X${i},email,2027-01-${day} 13:00,rep2`);
      unknown++;
    }
  }
  return { leads: `${leads.join("\n")}\n`, activities: `${activities.join("\n")}\n`, expected: { rejectedLeadLines, duplicateLines, unknown, ofRejected } };
}

function reportSchema() {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return ajv.compile(JSON.parse(readFileSync(path.join(ROOT, "schemas/report.schema.json"), "utf8")) as object);
}

/** The rows of the --rejects CSV: [file, line, reason]; reasons here hold no comma-free quoting surprises beyond RFC 4180. */
function parseRejectsCsv(text: string): Array<[string, number, string]> {
  const lines = text.split("\r\n");
  expect(lines[0]).toBe("file,line,reason");
  expect(lines.at(-1)).toBe("");
  return lines.slice(1, -1).map((l) => {
    const m = /^([^,]*),(\d+),(.*)$/.exec(l)!;
    const reason = m[3]!.startsWith('"') ? m[3]!.slice(1, -1).replace(/""/g, '"') : m[3]!;
    return [m[1]!, Number(m[2]), reason];
  });
}

describe("rows not used: bounded in memory, every one in --rejects FILE", () => {
  let dir = "";
  let cleanup = async () => {};
  const data = messyExport();

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await mkdir(path.join(dir, "snap"));
    await writeFile(path.join(dir, "snap", "leads.csv"), data.leads);
    await writeFile(path.join(dir, "snap", "activities.csv"), data.activities);
  });
  afterAll(() => cleanup());

  const reports: Record<string, EvaluationResult> = {};
  for (const threads of ["1", "2"]) {
    it(`on ${threads === "1" ? "one thread" : "two threads"}: --rejects holds read − used rows exactly, the report the first ${ROWS_LISTED} and the counts`, async () => {
      const file = `out-${threads}/rejects.csv`;
      const result = await runCli(
        ["eval", "--policies", path.join(ROOT, "policies"), "--snapshot", "snap", "--as-of", "2027-03-15T21:00:00Z", "--format", "json", "--max-rejected", "100%", "--rejects", file, "--threads", threads],
        { cwd: dir },
      );
      expect(result.stderr).toContain(`wrote ${file}`);
      const report = JSON.parse(result.stdout) as EvaluationResult;
      reports[threads] = report;
      const check = reportSchema();
      expect(check(report), JSON.stringify(check.errors?.slice(0, 3))).toBe(true);

      const rows = parseRejectsCsv(await readFile(path.join(dir, file), "utf8"));
      const notUsed = report.input.files.reduce((n, f) => n + f.read - f.used, 0);
      expect(rows).toHaveLength(notUsed);
      for (const f of report.input.files) expect(f.read).toBe(f.used + f.rejected + f.unmatched);
      const leadLines = (pick: (reason: string) => boolean) => rows.filter(([f, , r]) => f === "snap/leads.csv" && pick(r)).map(([, l]) => l).sort((a, b) => a - b);
      expect(leadLines((r) => r.startsWith("column 'lifecycle_stage'"))).toEqual(data.expected.rejectedLeadLines);
      expect(leadLines((r) => r.startsWith("duplicate lead id"))).toEqual(data.expected.duplicateLines);
      // No e-mail address reaches the file without --show-pii.
      expect(rows.some(([, , r]) => r.includes("@corp.example"))).toBe(false);

      // The report: the first 1,000 conversion rejects and every duplicate, in line order; counts of all.
      const input = report.input;
      expect(input.rejectsFile).toBe(file);
      expect(input.rejects).toHaveLength(ROWS_LISTED + data.expected.duplicateLines.length);
      expect(input.rejects.map((r) => r.line)).toEqual(
        [...data.expected.rejectedLeadLines.slice(0, ROWS_LISTED), ...data.expected.duplicateLines].sort((a, b) => a - b),
      );
      expect(input.duplicateLeadIds).toBe(data.expected.duplicateLines.length);
      expect(input.rejectReasons.reduce((n, r) => n + r.count, 0)).toBe(data.expected.rejectedLeadLines.length + data.expected.duplicateLines.length);
      expect(input.rejectReasons[0]).toMatchObject({ column: "lifecycle_stage", count: data.expected.rejectedLeadLines.length });
      expect(input.rejectReasons[0]!.reason).not.toContain("evangelist");

      // Unmatched activities: not rejects, each kind named.
      const activities = input.files[1]!;
      expect(activities.rejected).toBe(0);
      expect(activities.unmatched).toBe(data.expected.unknown + data.expected.ofRejected);
      expect(input.unknownLeadActivities).toBe(data.expected.unknown);
      expect(input.rejectedLeadActivities).toBe(data.expected.ofRejected);
      expect(input.unmatchedActivities).toHaveLength(ROWS_LISTED);
      const firstOfRejected = input.unmatchedActivities.find((r) => r.reason.includes("'L5'"));
      expect(firstOfRejected?.reason).toBe("activity for lead 'L5', whose row was rejected (snap/leads.csv line 6)");
      expect(input.unmatchedActivities.find((r) => r.reason.includes("'X7'"))?.reason).toBe("activity for lead 'X7', which is not in the lead export (unmatched)");
    });
  }

  it("two threads report what one does", () => {
    const strip = (r: EvaluationResult) => ({ ...r.input, rejectsFile: null });
    expect(strip(reports["2"]!)).toEqual(strip(reports["1"]!));
  });

  it("unmatched activities fail nothing: a clean lead export exits 0 or 1 under --max-rejected 0, and says why they were left out", async () => {
    const clean = data.leads.split("\n").filter((l, i) => i === 0 || (l !== "" && !l.includes("evangelist") && !data.expected.duplicateLines.includes(i + 1)));
    await mkdir(path.join(dir, "clean"), { recursive: true });
    await writeFile(path.join(dir, "clean", "leads.csv"), `${clean.join("\n")}\n`);
    await writeFile(path.join(dir, "clean", "activities.csv"), data.activities);
    for (const threads of ["1", "2"]) {
      const result = await runCli(["eval", "--policies", path.join(ROOT, "policies"), "--snapshot", "clean", "--as-of", "2027-03-15T21:00:00Z", "--threads", threads], { cwd: dir });
      expect(result.code).toBeLessThan(2);
      expect(result.stderr).not.toContain("rejected");
      expect(result.stdout).toContain(`Unmatched activities (${data.expected.unknown + data.expected.ofRejected})`);
      expect(result.stdout).toMatch(/activities are for leads not in the lead export \(unmatched/);
    }
  });

  it("the text report lists the first rows, then where the rest are and the reasons by count", async () => {
    const result = await runCli(["eval", "--policies", path.join(ROOT, "policies"), "--snapshot", "snap", "--as-of", "2027-03-15T21:00:00Z", "--max-rejected", "100%", "--threads", "1"], { cwd: dir });
    const total = data.expected.rejectedLeadLines.length + data.expected.duplicateLines.length;
    expect(result.stdout).toContain(`Rejected rows (${total})`);
    expect(result.stdout).toContain(`… ${total - 20} more: the JSON report lists the first 1,000 of each kind, eval --rejects FILE writes every one`);
    expect(result.stdout).toMatch(new RegExp(`by reason:\\n +${data.expected.rejectedLeadLines.length.toLocaleString("en-US")}  column 'lifecycle_stage' `));
    expect(result.stdout).toMatch(/snap\/activities.csv: [\d,]+ read, [\d,]+ used, 0 rejected, [\d,]+ unmatched/);
  });

  it("an unwritable --rejects path is a usage error before the run", async () => {
    await writeFile(path.join(dir, "a-file"), "");
    const result = await runCli(["eval", "--policies", path.join(ROOT, "policies"), "--snapshot", "snap", "--as-of", "2027-03-15T21:00:00Z", "--rejects", "a-file/rejects.csv"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("--rejects: cannot write 'a-file/rejects.csv'");
  });
});

import fc from "fast-check";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { BASE_MS, exprArb, QUARTER, randomAgreementHead, ZONE } from "../engine/generators.js";
import { autoPicksDuckDb } from "../../src/snapshot/duckdb-source.js";
import { ROOT, runCli } from "../helpers.js";

/**
 * `eval --engine duckdb` on CSV, NDJSON and JSON files, judged in SQL (src/snapshot/duckdb-judge.ts),
 * held to the file reader and in-memory engine: the same JSON report, every count, status, value,
 * listed lead and rejected row with its line, on the sample, on hand-made faulty files and on
 * random policies and snapshots (quarter-hour grid, a clock change and a holiday in range,
 * business hours and business days, goals, an effective date).
 */
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "sp-judge-"));
  dirs.push(dir);
  return dir;
}

const SAMPLE = path.join(ROOT, "snapshots/sample");

async function report(snapshot: string, engine: string, policies = "policies", more: string[] = []): Promise<{ code: number; json: Record<string, any>; stderr: string }> {
  const run = await runCli(["eval", "--snapshot", snapshot, "--policies", policies, "--format", "json", "--engine", engine, "--fail-on", "never", "--max-rejected", "100%", ...more]);
  return { code: run.code, json: JSON.parse(run.stdout) as Record<string, any>, stderr: run.stderr };
}

/** The report without the line saying which engine ran: everything else must be equal. */
function withoutEngine(json: Record<string, any>): unknown {
  const { engine: _engine, ...input } = json["input"] as Record<string, unknown>;
  return { ...json, input };
}

async function sameReports(snapshot: string, policies?: string): Promise<Record<string, any>> {
  const memory = await report(snapshot, "memory", policies);
  const duck = await report(snapshot, "duckdb", policies);
  expect(duck.code).toBe(memory.code);
  expect(withoutEngine(duck.json)).toEqual(withoutEngine(memory.json));
  expect(memory.json["input"].engine).toBe("memory");
  expect(duck.json["input"].engine, duck.stderr).toBe("duckdb");
  return duck.json;
}

describe("eval --engine duckdb on text files", () => {
  it("gives the sample's report from its CSV files", async () => {
    const json = await sameReports(SAMPLE);
    expect(json["input"].files[0].read).toBeGreaterThan(0);
  }, 60_000);

  it("gives the report of policies with per-lead rules (calendar by, lead.owner in a touch filter) and waivers, judged in memory", async () => {
    // The SQL judge does not compile these: the file reader reads and judges, and the report says so.
    for (const fixture of ["lead-rules", "waivers"]) {
      const base = path.join(ROOT, "test/fixtures", fixture);
      const memory = await report(path.join(base, "snapshot"), "memory", path.join(base, "policies"));
      const duck = await report(path.join(base, "snapshot"), "duckdb", path.join(base, "policies"));
      expect(duck.code).toBe(memory.code);
      expect(duck.json).toEqual(memory.json);
      expect(duck.json["input"].engine).toBe("memory");
    }
  }, 60_000);

  it("gives the sample's report from its leads alone, with no activities file (no touches, not a missing table)", async () => {
    const dir = tempDir();
    for (const f of ["leads.csv", "snapshot.yaml"]) writeFileSync(path.join(dir, f), readFileSync(path.join(SAMPLE, f)));
    const json = await sameReports(dir);
    expect(json["input"].files.map((f: { kind: string }) => f.kind)).toEqual(["leads"]);
  });

  it("refuses a folder mixing Parquet and text files, whichever engine, rather than leave one unread", async () => {
    const cases: Array<[string[], string]> = [
      [["leads.csv", "activities.parquet"], "auto"],
      [["leads.csv", "activities.parquet"], "duckdb"],
      [["leads.parquet", "activities.csv"], "auto"],
      [["leads.parquet", "activities.csv"], "memory"],
    ];
    for (const [files, engine] of cases) {
      const dir = tempDir();
      writeFileSync(path.join(dir, "snapshot.yaml"), readFileSync(path.join(SAMPLE, "snapshot.yaml")));
      // Only their names matter: the folder is refused before any file is read.
      for (const f of files) writeFileSync(path.join(dir, f), f.endsWith(".csv") ? readFileSync(path.join(SAMPLE, f)) : "");
      const run = await runCli(["eval", "--snapshot", dir, "--engine", engine, "--format", "json"]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`the snapshot has ${files.filter((f) => f.endsWith(".csv")).join("")} and ${files.filter((f) => f.endsWith(".parquet")).join("")}`);
      expect(run.stderr).toContain("keep the leads and activities in one format");
      expect(run.stderr).not.toContain("internal error");
    }
  }, 60_000);

  it("gives the sample's report from NDJSON and JSON files", async () => {
    const leads = readFileSync(path.join(SAMPLE, "leads.csv"), "utf8");
    for (const format of ["ndjson", "json"] as const) {
      const dir = tempDir();
      writeFileSync(path.join(dir, "snapshot.yaml"), readFileSync(path.join(SAMPLE, "snapshot.yaml")));
      for (const [name, text] of [["leads", leads], ["activities", readFileSync(path.join(SAMPLE, "activities.csv"), "utf8")]] as const) {
        const [header, ...rows] = text.trimEnd().split(/\r?\n/).map((l) => l.split(","));
        const records = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] === "" ? null : r[i]])));
        writeFileSync(path.join(dir, `${name}.${format}`), format === "ndjson" ? records.map((r) => JSON.stringify(r)).join("\n") + "\n" : JSON.stringify(records, null, 1));
      }
      await sameReports(dir);
    }
  }, 60_000);

  it("names rejected, duplicate and unmatched rows by the file reader's lines, past quoted multi-line fields", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "snapshot.yaml"), "as_of: 2027-03-15T21:00:00Z\n");
    const sample = readFileSync(path.join(SAMPLE, "leads.csv"), "utf8").trimEnd().split(/\r?\n/);
    const header = sample[0]!.split(",");
    const score = header.indexOf("HubSpot Score");
    const country = header.indexOf("country");
    const edit = (line: string, column: number, value: string) => line.split(",").map((v, i) => (i === column ? value : v)).join(",");
    const rows = [
      sample[0]!,
      edit(sample[1]!, country, '"United\nStates"'),
      edit(sample[2]!, score, "lots"),
      edit(sample[3]!, country, '"two\n\nbreaks"'),
      sample[4]!,
      sample[4]!,
      edit(sample[5]!, score, "much"),
      ...sample.slice(6),
    ];
    writeFileSync(path.join(dir, "leads.csv"), rows.join("\n") + "\n");
    const acts = readFileSync(path.join(SAMPLE, "activities.csv"), "utf8").trimEnd().split(/\r?\n/);
    writeFileSync(path.join(dir, "activities.csv"), [...acts, "L_NOBODY,call,2027-01-05T10:00:00Z,rep", `${sample[8]!.split(",")[0]},call,soon,rep`].join("\n") + "\n");
    const json = await sameReports(dir);
    const lines = (json["input"].rejects as Array<{ file: string; line: number }>).map((r) => `${path.basename(r.file)}:${r.line}`);
    // Row 2 spans lines 2-3, row 4 lines 5-7: the second "lots" is on line 4, the duplicate on 9.
    expect(lines).toEqual(expect.arrayContaining(["leads.csv:4", "leads.csv:9", "leads.csv:10", `activities.csv:${acts.length + 2}`]));
    expect(json["input"].unmatchedActivities.map((r: { line: number }) => r.line)).toContain(acts.length + 1);
  }, 60_000);

  it("numbers a large CSV's rows in file order though DuckDB reads it on several threads (rejects, duplicates and listed leads as the file reader's)", async () => {
    // Some 25 MB: DuckDB splits the file between its threads; text files' leads are numbered by their order in its table.
    const dir = tempDir();
    writeFileSync(path.join(dir, "snapshot.yaml"), "as_of: 2027-03-15T21:00:00Z\n");
    const sample = readFileSync(path.join(SAMPLE, "leads.csv"), "utf8").trimEnd().split(/\r?\n/);
    const header = sample[0]!;
    const stage = header.split(",").indexOf("lifecycle_stage");
    const body = sample.slice(1);
    const rows: string[] = [header];
    for (let copy = 0; rows.length < 250_000; copy++) {
      for (const line of body) rows.push(line.replace(/^L(\d+)/, (_, n: string) => `L${copy}x${n}`));
    }
    const late = rows.length - 1_000;
    rows[late] = rows[late]!.split(",").map((v, i) => (i === stage ? "nobody" : v)).join(",");
    rows.push(rows[late - 5]!);
    writeFileSync(path.join(dir, "leads.csv"), rows.join("\n") + "\n");
    const json = await sameReports(dir);
    const lines = (json["input"].rejects as Array<{ file: string; line: number }>).map((r) => r.line);
    expect(lines).toEqual(expect.arrayContaining([late + 1, rows.length]));
  }, 120_000);

  it("counts times without an offset in the rows used only: not a rejected row's, a duplicate id's or an unmatched activity's", async () => {
    const { policies, snapshot } = policyAndSnapshot(
      `agreement "Naive" {\n  timezone "America/New_York"\n}\nteam t { approvers @t }\nfields {\n  stage text one of ["a", "b"]\n  created time\n  owner text\n}\nlead d1 { when stage = "a" since created }\nsla s {\n  owner t\n  leads d1 from created\n  expect first touch within 2 days\n  target 80%\n}\n`,
      "as_of: 2027-03-15T21:00:00Z\n",
    );
    // Used: L1's row and its call (2). Not: L2 (rejected), L1 again (duplicate), L2's and L9's calls (unmatched).
    writeFileSync(path.join(snapshot, "leads.csv"), "id,stage,created,owner\nL1,a,2027-03-01 10:00,ann\nL2,zz,2027-03-01 10:00,bob\nL1,a,2027-03-02 10:00,ann\nL3,b,2027-03-01T10:00:00Z,cy\n");
    writeFileSync(path.join(snapshot, "activities.csv"), "lead_id,type,at,owner\nL1,call,2027-03-01 11:00,ann\nL2,call,2027-03-01 11:00,bob\nL9,call,2027-03-01 11:00,bob\nL3,call,2027-03-01T11:00:00Z,cy\n");
    const json = await sameReports(snapshot, policies);
    expect(json["input"].naiveTimestamps).toBe(2);
    expect(json["input"].duplicateLeadIds).toBe(1);
    expect(json["input"].unmatchedActivities).toHaveLength(2);
  }, 60_000);

  it("--engine auto picks DuckDB for Parquet only, the file reader for text files of any size, and the report says which ran", async () => {
    expect(await autoPicksDuckDb(SAMPLE)).toBe(false);
    expect((await report(SAMPLE, "auto")).json["input"].engine).toBe("memory");
    const big = tempDir();
    writeFileSync(path.join(big, "leads.csv"), "");
    // A sparse file of 4 GiB: at 10M leads (2.5 GB) DuckDB took twice the file reader's memory.
    truncateSync(path.join(big, "leads.csv"), 4 * 1024 ** 3);
    expect(await autoPicksDuckDb(big)).toBe(false);
    const parquet = tempDir();
    writeFileSync(path.join(parquet, "leads.parquet"), "");
    expect(await autoPicksDuckDb(parquet)).toBe(true);
  }, 60_000);

  it("leaves a CSV whose structure DuckDB refuses to the file reader, which names each faulty row", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "snapshot.yaml"), "as_of: 2027-03-15T21:00:00Z\n");
    writeFileSync(path.join(dir, "leads.csv"), readFileSync(path.join(SAMPLE, "leads.csv")));
    writeFileSync(path.join(dir, "activities.csv"), readFileSync(path.join(SAMPLE, "activities.csv"), "utf8") + "L1,call,2027-01-05T10:00:00Z,rep,one,too,many\r\n");
    const memory = await report(dir, "memory");
    const duck = await report(dir, "duckdb");
    expect(duck.json["input"].engine).toBe("memory");
    expect(duck.json).toEqual(memory.json);
    expect(duck.json["input"].rejects[0].reason).toContain("fields but the header has 4");
  }, 60_000);

  it("trims ids and values as the file reader does: tabs, line breaks, no-break and other Unicode spaces, byte order marks", async () => {
    // DuckDB's trim() removes spaces only, and its casts keep ASCII white space around a number
    // or a time but none around a boolean: each such value once led, alone or padded, in every column.
    const { policies, snapshot } = policyAndSnapshot(
      `agreement "Spaces" {\n  timezone "America/New_York"\n}\nteam t { approvers @t }\nfields {\n  stage text one of ["a", "b", "c"]\n  score number\n  created time\n  owner text\n  flag boolean\n}\nlead d1 { when stage in ["a", "b"] and owner is set since created }\nlead d2 { when flag and score >= 5 }\nsla s1 {\n  owner t\n  leads d1 from created\n  touches type in ["call", "email"]\n  expect first touch within 2 days\n  target 80%\n  by owner\n}\nsla s2 {\n  owner t\n  leads d1 from created\n  expect count >= 1\n  per month\n  by owner\n}\n`,
      "as_of: 2027-01-20T21:00:00Z\n",
    );
    const spaces = ["\t", "\n", "\v", "\f", "\r", " ", "\u00a0", "\ufeff", "\u2028", "\u2029", "\u3000", "\u1680", "\u202f", "\u200b", "\u0085"];
    const base: Record<string, string> = { id: "", stage: "a", score: "7", created: "2026-12-05 10:00", owner: "ann", flag: "true" };
    const quote = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    const leads: string[] = [];
    const acts: string[] = [];
    let n = 0;
    for (const column of Object.keys(base)) {
      for (const space of spaces) {
        // A text value read back from DuckDB loses a leading byte order mark (its UTF-8 decoder drops it): not tried in text.
        if (space === "\ufeff" && (column === "stage" || column === "owner")) continue;
        for (const value of [space + (base[column] || "x"), (base[column] || "x") + space, space]) {
          const id = `L${++n}`;
          const row = { ...base, id, [column]: column === "id" ? value.replace("x", id) : value };
          leads.push(Object.values(row).map(quote).join(","));
          // An id that trims to another lead's is a duplicate of it.
          if (column === "id") leads.push(Object.values({ ...base, id }).map(quote).join(","));
          acts.push([id, "call", "2026-12-05 12:00", "x"].join(","));
        }
      }
    }
    for (const space of spaces) {
      for (const [lead, type, at] of [[space + "L1", "call", "2026-12-05 12:00"], ["L2" + space, "email", "2026-12-06 12:00"], ["L3", "call" + space, space + "2026-12-05 11:00"], ["L4", space + "call", "2026-12-05 17:00" + space], [space, "call", "2026-12-05 12:00"]]) {
        acts.push([lead!, type!, at!, "x"].map(quote).join(","));
      }
    }
    writeFileSync(path.join(snapshot, "leads.csv"), [Object.keys(base).join(","), ...leads].join("\n") + "\n");
    writeFileSync(path.join(snapshot, "activities.csv"), ["lead_id,type,at,owner", ...acts].join("\n") + "\n");
    const json = await sameReports(snapshot, policies);
    expect(json["input"].duplicateLeadIds).toBeGreaterThan(20);
    expect(json["input"].rejects.length).toBeGreaterThan(10);
  }, 60_000);

  it("reads the time shapes exports write as the file reader does, and leaves any other time text to it", async () => {
    const dir = tempDir();
    const policies = path.join(dir, "policies");
    mkdirp(policies);
    writeFileSync(
      path.join(policies, "p.policy"),
      `agreement "Times" {\n  timezone "America/New_York"\n}\nteam t { approvers @t }\nfields {\n  stage text\n  created time\n  owner text\n}\nlead d1 { when stage = "a" since created }\nsla s1 {\n  owner t\n  leads d1 from created\n  touches type in ["call"]\n  expect first touch within 2 days\n  target 80%\n  by owner\n}\nsla s2 {\n  owner t\n  leads d1 from created\n  expect count >= 1\n  per month\n}\n`,
    );
    const snapshot = (name: string, times: string[]) => {
      const snap = path.join(dir, name);
      mkdirp(snap);
      writeFileSync(path.join(snap, "snapshot.yaml"), "as_of: 2027-06-01T00:00:00Z\n");
      // Each time in a lead's clock and in an activity of another lead, beside leads with plain times.
      const leads = times.map((t, i) => `L${i},a,${t},o${i % 3}`);
      const acts = times.map((t, i) => `P${i},call,${t},x`);
      const plain = times.map((_, i) => `P${i},a,2026-12-05 10:00,p`);
      writeFileSync(path.join(snap, "leads.csv"), ["id,stage,created,owner", ...leads, ...plain].join("\n") + "\n");
      writeFileSync(path.join(snap, "activities.csv"), ["lead_id,type,at,owner", ...acts, ...times.map((_, i) => `L${i},call,2026-12-06 10:00,x`)].join("\n") + "\n");
      return snap;
    };
    // Read in DuckDB: local times with and without seconds (on the clock changes too), dates alone, UTC, offsets to ±14:00, years 1900 and 2199.
    const sure = ["2026-12-05 22:26", "2026-12-05T22:26:59", "2026-11-01 01:30", "2027-03-14 02:30", "2026-11-01", "2027-02-30 10:00", "2026-13-05 22:26", "2026-12-05T22:26:00.123Z", "2026-12-05T22:26:00-05:00", "2026-12-05T22:26:00+14:00", "1900-01-01 00:00", "2199-12-31T23:59:59Z"];
    expect((await sameReports(snapshot("sure", sure), policies))["input"].naiveTimestamps).toBeGreaterThan(sure.length);
    // Read by the file reader: DuckDB's casts take some (years out of range, 24:00, offsets past 14:00) and refuse others (60 seconds, "22:26Z").
    const unsure = ["1899-12-31 23:59", "9999-12-31", "2026-12-05 24:00", "2026-12-05 22:26:60", "2026-12-05 22:26Z", "2026-12-05T22:26:00+14:01", "2026-12-05 22:26:00 UTC", "2026-12-05 22:26:00.5"];
    for (const [i, time] of unsure.entries()) {
      const snap = snapshot(`unsure${i}`, [...sure.slice(0, 2), time]);
      const memory = await report(snap, "memory", policies);
      const duck = await report(snap, "duckdb", policies);
      expect(withoutEngine(duck.json), time).toEqual(withoutEngine(memory.json));
      expect(duck.json["input"].engine, time).toBe("memory");
    }
  }, 120_000);

  it("leaves NDJSON whose columns DuckDB types otherwise than the file reader reads them (mixed strings, numbers, lists) to the file reader", async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, "snapshot.yaml"), "as_of: 2027-03-15T21:00:00Z\n");
    const sample = readFileSync(path.join(SAMPLE, "leads.csv"), "utf8").trimEnd().split(/\r?\n/).map((l) => l.split(","));
    const header = sample[0]!;
    const records = sample.slice(1, 60).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] === "" ? null : r[i]])));
    // An id written as a number and again as text (a duplicate to the file reader), a score as true, a country as a list.
    Object.assign(records[1]!, { id: 7 });
    Object.assign(records[2]!, { id: "7" });
    Object.assign(records[3]!, { "HubSpot Score": true });
    Object.assign(records[4]!, { country: ["US"] });
    writeFileSync(path.join(dir, "leads.ndjson"), records.map((r) => JSON.stringify(r)).join("\n") + "\n");
    const memory = await report(dir, "memory");
    const duck = await report(dir, "duckdb");
    expect(withoutEngine(duck.json)).toEqual(withoutEngine(memory.json));
    expect(duck.json["input"].engine).toBe("memory");
    expect(memory.json["input"].duplicateLeadIds).toBe(1);
  }, 60_000);

  it("equals the in-memory engine's JSON report on random policies and CSV snapshots", async () => {
    await fc.assert(
      fc.asyncProperty(policyArb, snapshotArb, async (policy, snap) => {
        const dir = tempDir();
        const policies = path.join(dir, "policies");
        const snapshot = path.join(dir, "snap");
        for (const d of [policies, snapshot]) rmSync(d, { recursive: true, force: true });
        writeSnapshot(policies, snapshot, policy, snap);
        await sameReports(snapshot, policies);
      }),
      { numRuns: 30 },
    );
  }, 300_000);
});

const policyArb = fc
  .tuple(
    exprArb([]),
    exprArb(["d1"]),
    exprArb(["d1", "d2"]),
    fc.constantFrom("t1", "t2"),
    fc.constantFrom("", "per month", "per week", "per day"),
    fc.constantFrom("", "by owner", "by stage", "by flag", "by score"),
    fc.constantFrom(
      "count >= 2",
      "rate of d2 >= 50%",
      "first touch within 90 minutes",
      "first touch within 3 business hours",
      "first touch within 2 business days",
      "touches within 2 days <= 1",
      "touches within 1 business days >= 2",
    ),
    fc.constantFrom("d1", "d2", "d3"),
    fc.boolean(),
    fc.constantFrom("", "effective 2026-11-10"),
  )
  .map(([e1, e2, e3, clock, per, by, expect, population, goal, effective]) => {
    const leadLevel = expect.includes("touch");
    return `${randomAgreementHead([e1, e2, e3], { agreement: effective === "" ? "" : `  ${effective}\n`, blocks: "", fields: "  amount money USD\n" })}sla s {
  owner t
  leads ${population} from ${clock}
  ${leadLevel ? 'touches type in ["call", "email"]' : ""}
  expect ${expect}
  ${leadLevel ? "target 80%" : ""}
  ${per}
  ${by}
}
${goal ? `goal g {\n  owner t\n  revenue 1000 USD per month from amount\n  funnel d1 -> d2 -> d3\n  ${by.replace("score", "owner")}\n}` : ""}
`;
  });

const timeArb = fc.option(fc.integer({ min: 0, max: 40 * 24 * 4 }).map((q) => BASE_MS + q * QUARTER), { nil: null });
const snapshotArb = fc.record({
  leads: fc.array(
    fc.record({
      stage: fc.constantFrom("a", "b", "c", "", "zz"),
      score: fc.constantFrom("", "0", "20", "49.5", "50", "100", "lots"),
      flag: fc.constantFrom("", "true", "false"),
      owner: fc.constantFrom("ax", "bo", "Cx", "ÉX", '"two\nlines x"', ""),
      t1: timeArb,
      t2: timeArb,
      amount: fc.constantFrom("", "100", "2500", "0"),
      id: fc.option(fc.nat(14), { nil: null, freq: 4 }),
    }),
    { minLength: 1, maxLength: 14, size: "max" },
  ),
  activities: fc.array(
    fc.record({ lead: fc.nat(15), type: fc.constantFrom("call", "email", "note"), quarters: fc.oneof(fc.constantFrom(6, 12, 96, 192), fc.integer({ min: -4, max: 4 * 24 * 4 })), naive: fc.boolean() }),
    { maxLength: 30, size: "max" },
  ),
  asOfMinutes: fc.integer({ min: 10 * 24 * 60, max: 45 * 24 * 60 }),
});

type Snap = typeof snapshotArb extends fc.Arbitrary<infer T> ? T : never;

/** New York local time without an offset, as HubSpot writes it; or ISO UTC. */
function timeText(ms: number, naive: boolean): string {
  if (!naive) return new Date(ms).toISOString();
  const local = new Date(ms).toLocaleString("sv-SE", { timeZone: ZONE });
  return local.slice(0, 16);
}

function writeSnapshot(policies: string, snapshot: string, policy: string, snap: Snap): void {
  for (const d of [policies, snapshot]) mkdirp(d);
  writeFileSync(path.join(policies, "p.policy"), policy);
  writeFileSync(path.join(snapshot, "snapshot.yaml"), `as_of: ${new Date(BASE_MS + snap.asOfMinutes * 60_000).toISOString()}\n`);
  // Some ids repeat (duplicates), some are empty (rejected).
  const ids = snap.leads.map((l, i) => (l.id === null ? `L${i}` : l.id === 0 ? "" : `L${l.id}`));
  const leads = snap.leads.map((l, i) => [ids[i], l.stage, l.score, l.flag, l.owner, l.t1 === null ? "" : timeText(l.t1, i % 2 === 0), l.t2 === null ? "" : timeText(l.t2, i % 3 === 0), l.amount].join(","));
  writeFileSync(path.join(snapshot, "leads.csv"), ["id,stage,score,flag,owner,t1,t2,amount", ...leads].join("\n") + "\n");
  const acts = snap.activities.map((a) => {
    const lead = snap.leads[a.lead];
    const anchor = lead?.t1 ?? BASE_MS;
    return [lead ? ids[a.lead] : `L_gone${a.lead}`, a.type, timeText(anchor + a.quarters * QUARTER, a.naive), "rep"].join(",");
  });
  writeFileSync(path.join(snapshot, "activities.csv"), ["lead_id,type,at,owner", ...acts].join("\n") + "\n");
}

/** A temporary folder with `policies/p.policy` and a snapshot folder `snap/` holding only its snapshot.yaml. */
function policyAndSnapshot(policy: string, snapshotYaml: string): { policies: string; snapshot: string } {
  const dir = tempDir();
  const policies = path.join(dir, "policies");
  const snapshot = path.join(dir, "snap");
  for (const d of [policies, snapshot]) mkdirp(d);
  writeFileSync(path.join(policies, "p.policy"), policy);
  writeFileSync(path.join(snapshot, "snapshot.yaml"), snapshotYaml);
  return { policies, snapshot };
}

function mkdirp(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

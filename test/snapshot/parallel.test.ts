import { readdirSync, readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Value } from "../../src/engine/ir.js";
import { buildPlan } from "../../src/engine/plan.js";
import { analyzePolicySet } from "../../src/lang/policy-set.js";
import { BatchReader, BatchWriter, type ColumnKind } from "../../src/snapshot/batch.js";
import { convertSnapshotFiles } from "../../src/snapshot/convert-files.js";
import { leadRecordSchemaFromPlan } from "../../src/snapshot/lead-schema.js";
import { readySecondThread, runSnapshot, usesSecondThread, PARALLEL_FROM_BYTES } from "../../src/snapshot/load.js";
import { CUT_BLOCK_BYTES } from "../../src/snapshot/csv.js";
import { convertInParallel, MAIN_SHARE } from "../../src/snapshot/parallel.js";
import { lineBreaksIn, SnapshotError, splitPoints, type DataFile } from "../../src/snapshot/read.js";
import { ROOT, tempDir } from "../helpers.js";

function planOf(dir: string, groupBy?: string[]) {
  const sources = readdirSync(dir).filter((f) => f.endsWith(".policy")).map((f) => ({ path: f, text: readFileSync(path.join(dir, f), "utf8") }));
  return buildPlan(analyzePolicySet(sources).symbols, { groupBy });
}

describe("batches between threads", () => {
  // The last column is not sent: whatever is written there, the reading side sees null.
  const kinds: ColumnKind[] = ["number", "boolean", "text", "text", "absent"];
  const row = fc.tuple(
    fc.option(fc.double({ noNaN: true }), { nil: null }),
    fc.option(fc.boolean(), { nil: null }),
    fc.option(fc.constantFrom("lead", "mql", "sql", ""), { nil: null }),
    // Many distinct values: the dictionary is given up for joined text part-way (after 8
    // values here), and runs of one value, as an activity's lead id comes in.
    fc.option(fc.oneof(fc.string({ unit: "binary", maxLength: 8 }), fc.integer().map((n) => `v${n}`), fc.constantFrom("L1", "L2")), { nil: null }),
    fc.option(fc.oneof(fc.string(), fc.double(), fc.boolean()), { nil: null }),
  );

  it("give back every row's line and values, in order, across dictionary changes", () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 300, size: "max" }), fc.integer({ min: 1, max: 64 }), (rows, capacity) => {
        const writer = new BatchWriter(kinds, capacity, 8);
        const reader = new BatchReader(kinds.length);
        const seen: Array<[number, Value[]]> = [];
        const drain = () => {
          const { batch } = writer.take();
          const decoded = reader.decode(batch);
          for (let r = 0; r < batch.rows; r++) seen.push([batch.lines[r]!, [...decoded[r]!]]);
        };
        rows.forEach((r, i) => {
          writer.add(i + 2, r);
          if (writer.full) drain();
        });
        drain();
        expect(seen).toEqual(rows.map((r, i) => [i + 2, [...r.slice(0, 4), null]]));
      }),
      { numRuns: 200 },
    );
  });

  it("carry rejects with their lines", () => {
    const writer = new BatchWriter(kinds, 4);
    writer.reject(3, "has 2 fields but the header has 4");
    writer.add(4, [1, true, "lead", "x", null]);
    const { batch } = writer.take();
    expect(batch.rejects).toEqual([{ line: 3, reason: "has 2 fields but the header has 4" }]);
    expect(batch.rows).toBe(1);
  });
});

describe("line breaks before a cut", () => {
  it("are counted as the reader counts them, a CRLF cut across reads included", async () => {
    const { dir, cleanup } = await tempDir();
    const file = (text: string): DataFile => ({ kind: "activities", file: "a.csv", absolute: path.join(dir, "a.csv"), format: "csv", bytes: text.length });
    const reference = (text: string) => (text.match(/\r\n|\r|\n/g) ?? []).length;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom("a", ",", "\n", "\r", "\r\n"), { maxLength: 200, size: "max" }), fc.nat(), async (pieces, at) => {
        const text = pieces.join("");
        await writeFile(path.join(dir, "a.csv"), text);
        const end = text.length === 0 ? 0 : at % (text.length + 1);
        // A cut between "\r" and "\n" is not a cut the reader makes; leave it out.
        fc.pre(!(text[end - 1] === "\r" && text[end] === "\n"));
        expect(lineBreaksIn(file(text), end)).toBe(reference(text.slice(0, end)));
      }),
      { numRuns: 300 },
    );
    const big = `${"x".repeat(1024 * 1024 - 1)}\r\n${"y".repeat(10)}\n`;
    await writeFile(path.join(dir, "a.csv"), big);
    expect(lineBreaksIn(file(big), big.length)).toBe(2);
    await cleanup();
  });
});

describe("the cut", () => {
  it("falls just after a line break of the file's own kind, and not at all after a quote", async () => {
    const { dir, cleanup } = await tempDir();
    const absolute = path.join(dir, "x.csv");
    const at = async (text: string, share: number) => {
      await writeFile(absolute, text, "latin1");
      return splitPoints({ kind: "leads", file: "x.csv", absolute, format: "csv", bytes: text.length }, [share])[0];
    };
    expect(await at("id,a\nL1,x\nL2,y\nL3,z\n", 0.5)).toBe(15);
    // In a CRLF file a lone "\n" is inside a field; the cut waits for the next "\r\n".
    expect(await at("id,a\r\nL1,x\ny\r\nL2,z\r\n", 0.45)).toBe(14);
    // A "\r\n" split by the blocks the cut is searched in.
    const block = CUT_BLOCK_BYTES;
    const big = `id,a\r\n${"x".repeat(block - 1)}\r\nL2,z\r\n`;
    // The search starts at byte 6, so its first block ends on the "\r" and the next starts on the "\n".
    expect(big[6 + block - 1]).toBe("\r");
    expect(await at(big, 6.5 / big.length)).toBe(block + 7);
    // A row longer than a block: the cut is after it.
    expect(await at(`id,a\n${"x".repeat(3 * block)}\nL2,z\n`, 0.1)).toBe(3 * block + 6);
    expect(await at('id,a\nL1,"x"\nL2,y\nL3,z\n', 0.6)).toBeUndefined();
    expect(await at("id,a\nL1,x\n", 0.9)).toBeUndefined();
    await cleanup();
  });

  it("into several parts keeps the cuts before the first quote, each at a row start, ascending", async () => {
    const { dir, cleanup } = await tempDir();
    const absolute = path.join(dir, "x.csv");
    const rows = ["id,a", ...Array.from({ length: 40 }, (_, i) => `L${i},${i === 25 ? '"x, y"' : "x"}`)];
    const text = `${rows.join("\n")}\n`;
    await writeFile(absolute, text, "latin1");
    const file: DataFile = { kind: "leads", file: "x.csv", absolute, format: "csv", bytes: text.length };
    const quote = text.indexOf('"');
    const cuts = splitPoints(file, [0.1, 0.3, 0.5, 0.7, 0.9]);
    expect(cuts.length).toBeGreaterThan(1);
    expect(cuts.length).toBeLessThan(5);
    for (const [i, cut] of cuts.entries()) {
      expect(text[cut - 1]).toBe("\n");
      expect(cut).toBeLessThanOrEqual(quote);
      if (i > 0) expect(cut).toBeGreaterThan(cuts[i - 1]!);
    }
    // The first cut after the quote is dropped, and every one after it.
    const unchecked = text.indexOf("\n", Math.floor(text.length * 0.7)) + 1;
    expect(unchecked).toBeGreaterThan(quote);
    expect(cuts).not.toContain(unchecked);
    // Two shares in one row: one cut.
    expect(splitPoints(file, [0.1, 0.1001])).toHaveLength(1);
    await cleanup();
  });
});

describe("a run on two threads", () => {
  const cases = [
    { name: "the bundled sample", policies: path.join(ROOT, "policies"), snapshot: path.join(ROOT, "snapshots/sample"), asOf: Date.parse("2027-03-15T21:00:00Z") },
    // Grouped by fields that only definitions read otherwise: the second thread must send them.
    { name: "the bundled sample by country and job level", policies: path.join(ROOT, "policies"), snapshot: path.join(ROOT, "snapshots/sample"), asOf: Date.parse("2027-03-15T21:00:00Z"), groupBy: ["country", "job_level"] },
    { name: "the hand-checked snapshot (a rejected row, an unknown lead)", policies: path.join(ROOT, "test/fixtures/hand-checked/policies"), snapshot: path.join(ROOT, "test/fixtures/hand-checked/snapshot"), asOf: Date.parse("2026-11-30T20:00:00Z") },
  ];
  for (const c of cases) {
    it(`finds what one thread finds: ${c.name}`, async () => {
      const plan = planOf(c.policies, c.groupBy);
      const options = { plan, dir: c.snapshot, shown: "snap", asOf: c.asOf, keepLeadOutcomes: true };
      const one = await runSnapshot({ ...options, threads: "one" });
      const two = await runSnapshot({ ...options, threads: "two" });
      expect(two).toEqual(one);
      expect(one.files[0]!.read).toBeGreaterThan(0);
    });
  }

  it("finds what one thread finds on a messy export spanning many batches (duplicates, bad values, short rows, unknown leads)", async () => {
    const { dir, cleanup } = await tempDir();
    await mkdir(path.join(dir, "snap"));
    const header = "id,email,lifecycle_stage,HubSpot Score,Number of Employees,country,job_level,demo_requested,product,Contact owner,Create Date,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,deal_stage,deal_amount,Close Date";
    const leads = [header];
    const activities = ["lead_id,type,at,owner"];
    // The times without an offset the report should count: those of the rows used only (every
    // time here has none). A lead row is used unless short, with "lots" or a used id's again.
    const usedIds = new Set<string>();
    let naive = 0;
    for (let i = 1; i <= 9000; i++) {
      const id = i % 97 === 0 ? `L${i - 50}` : `L${i}`;
      const score = i % 101 === 0 ? "lots" : String(i % 100);
      const day = String((i % 28) + 1).padStart(2, "0");
      const row = [id, `p${i}@corp.example`, i % 3 === 0 ? "marketingqualifiedlead" : "lead", score, String(i % 500), i % 7 === 0 ? "" : "US", i % 5 === 0 ? "VP" : "IC", String(i % 2 === 0), `P${i % 4}`, `rep${i % 9}`, `2027-01-${day} 09:00`, `2027-01-${day} 10:00`, i % 4 === 0 ? `2027-01-${day} 11:${String(i % 60).padStart(2, "0")}` : "", i % 11 === 0 ? "closedwon" : "", i % 11 === 0 ? "25000" : "", i % 11 === 0 ? `2027-02-${day} 12:00` : ""];
      leads.push(i % 89 === 0 ? row.slice(0, 5).join(",") : row.join(","));
      if (i % 89 !== 0 && i % 101 !== 0 && !usedIds.has(id)) {
        usedIds.add(id);
        naive += 2 + (i % 4 === 0 ? 1 : 0) + (i % 11 === 0 ? 1 : 0);
      }
      for (let k = 0; k < 3; k++) activities.push(`${i % 113 === 0 ? "X" : "L"}${i},${k === 2 ? "meeting" : "call"},2027-01-${day} ${12 + k}:00,rep${i % 9}`);
    }
    // An activity is used when its lead is; each has one time.
    naive += activities.filter((a) => usedIds.has(a.split(",")[0]!)).length;
    await writeFile(path.join(dir, "snap", "leads.csv"), `${leads.join("\n")}\n`);
    await writeFile(path.join(dir, "snap", "activities.csv"), `${activities.join("\n")}\n`);
    const plan = planOf(path.join(ROOT, "policies"));
    const options = { plan, dir: path.join(dir, "snap"), shown: "snap", asOf: Date.parse("2027-03-15T21:00:00Z"), keepLeadOutcomes: true };
    const one = await runSnapshot({ ...options, threads: "one" });
    const two = await runSnapshot({ ...options, threads: "two" });
    expect(two).toEqual(one);
    expect(one.duplicateLeadIds).toBeGreaterThan(0);
    expect(one.unknownLeadActivities).toBeGreaterThan(0);
    expect(one.rejectedLeadActivities).toBeGreaterThan(0);
    expect(one.naiveTimestamps).toBe(naive);
    expect(new Set(one.rejects.map((r) => r.reason.split(" ")[0]))).toEqual(new Set(["duplicate", "column", "has"]));
    expect(new Set(one.unmatchedActivities.map((r) => /which is not in the lead export|whose row was rejected/.exec(r.reason)?.[0]))).toEqual(
      new Set(["which is not in the lead export", "whose row was rejected"]),
    );
    await cleanup();
  });

  it("cuts files of any line ends, byte-order mark, blank lines and last line at a row boundary", async () => {
    const { dir, cleanup } = await tempDir();
    await mkdir(path.join(dir, "snap"));
    const plan = planOf(path.join(ROOT, "policies"));
    const header = "id,email,lifecycle_stage,HubSpot Score,Number of Employees,country,job_level,demo_requested,product,Contact owner,Create Date,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,deal_stage,deal_amount,Close Date";
    const lead = fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 99 }), fc.constantFrom("", "US"), fc.constantFrom("VP", "IC"), fc.integer({ min: 1, max: 28 }), fc.boolean());
    await fc.assert(
      fc.asyncProperty(fc.array(lead, { minLength: 1, maxLength: 60, size: "max" }), fc.constantFrom("\n", "\r\n", "\r"), fc.boolean(), fc.boolean(), fc.boolean(), async (leads, newline, bom, finalBreak, blanks) => {
        const rows = leads.map(([n, score, country, level, day, demo]) => {
          const d = String(day).padStart(2, "0");
          return `L${n},p${n}@corp.example,marketingqualifiedlead,${score},${score * 3},${country},${level},${demo},P${n % 3},rep${n % 4},2027-01-${d} 09:00,2027-01-${d} 10:00,2027-01-${d} 11:00,,,`;
        });
        const body = blanks ? rows.flatMap((r, i) => (i % 7 === 3 ? ["", r] : [r])) : rows;
        const leadsText = `${bom ? "\uFEFF" : ""}${[header, ...body].join(newline)}${finalBreak ? newline : ""}`;
        const activities = leads.flatMap(([n, , , , day], i) => [`L${n},call,2027-01-${String(day).padStart(2, "0")} 1${i % 10}:00,rep1`, `X${n},email,2027-01-02 10:00,rep2`]);
        await writeFile(path.join(dir, "snap", "leads.csv"), leadsText);
        await writeFile(path.join(dir, "snap", "activities.csv"), `${["lead_id,type,at,owner", ...activities].join(newline)}${finalBreak ? newline : ""}`);
        const options = { plan, dir: path.join(dir, "snap"), shown: "snap", asOf: Date.parse("2027-03-15T21:00:00Z"), keepLeadOutcomes: true };
        const one = await runSnapshot({ ...options, threads: "one" });
        const two = await runSnapshot({ ...options, threads: "two" });
        expect(two).toEqual(one);
      }),
      { numRuns: 15 },
    );
    await cleanup();
  });

  it("reads activities whole when a quote comes before their cut (a quoted field across it), and apart when only after it", async () => {
    const { dir, cleanup } = await tempDir();
    await mkdir(path.join(dir, "snap"));
    const plan = planOf(path.join(ROOT, "policies"));
    const header = "id,email,lifecycle_stage,HubSpot Score,Number of Employees,country,job_level,demo_requested,product,Contact owner,Create Date,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,deal_stage,deal_amount,Close Date";
    const leads = Array.from({ length: 600 }, (_, i) => `L${i},p${i}@corp.example,salesqualifiedlead,70,80,US,VP,true,P${i % 3},rep${i % 4},2027-01-05 09:00,2027-01-05 10:00,2027-01-05 11:00,,,`);
    await writeFile(path.join(dir, "snap", "leads.csv"), `${[header, ...leads].join("\n")}\n`);
    const activity = (i: number) => `L${i % 600},${i % 2 === 0 ? "call" : "email"},2027-01-0${(i % 5) + 5} 1${i % 10}:00,rep${i % 4}`;
    // An owner of many lines, in quotes, from a third of the file to past its cut: a reader
    // starting at the first line break after the cut would start inside it.
    const quoted = `L1,call,2027-01-06 10:00,"rep 1\n${Array.from({ length: 900 }, (_, i) => `line ${i}, not a row`).join("\n")}"`;
    const spanning = ["lead_id,type,at,owner", ...Array.from({ length: 900 }, (_, i) => activity(i)), quoted, ...Array.from({ length: 1500 }, (_, i) => activity(i + 900))];
    const afterCut = ["lead_id,type,at,owner", ...Array.from({ length: 2400 }, (_, i) => (i === 2000 ? `L5,call,2027-01-06 10:00,"rep ""5"", east"` : activity(i)))];
    for (const rows of [spanning, afterCut]) {
      const text = `${rows.join("\n")}\n`;
      await writeFile(path.join(dir, "snap", "activities.csv"), text);
      const file: DataFile = { kind: "activities", file: "activities.csv", absolute: path.join(dir, "snap", "activities.csv"), format: "csv", bytes: Buffer.byteLength(text) };
      const [cut] = splitPoints(file, [MAIN_SHARE.activities], "unchecked");
      const quote = text.indexOf('"');
      // The case each export is here for: the cut inside the quoted field, or before any quote.
      if (rows === spanning) expect(quote < cut! && cut! < text.lastIndexOf('"')).toBe(true);
      else expect(cut!).toBeLessThan(quote);
      const options = { plan, dir: path.join(dir, "snap"), shown: "snap", asOf: Date.parse("2027-03-15T21:00:00Z"), keepLeadOutcomes: true };
      const one = await runSnapshot({ ...options, threads: "one" });
      const two = await runSnapshot({ ...options, threads: "two" });
      expect(two).toEqual(one);
      expect(one.files[1]!.read).toBe(rows.length - 1);
    }
    await cleanup();
  });

  it("reads a file that grew since it was sized to its end, as one thread does", async () => {
    const { dir, cleanup } = await tempDir();
    const absolute = path.join(dir, "leads.csv");
    const rows = Array.from({ length: 400 }, (_, i) => `L${i},p${i}@corp.example,lead,${i % 100},10,US,IC,false,P1,rep1,2027-01-05 09:00,,,,,`);
    const header = "id,email,lifecycle_stage,HubSpot Score,Number of Employees,country,job_level,demo_requested,product,Contact owner,Create Date,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,deal_stage,deal_amount,Close Date";
    await writeFile(absolute, `${[header, ...rows.slice(0, 300)].join("\n")}\n`);
    const sized: DataFile = { kind: "leads", file: "leads.csv", absolute, format: "csv", bytes: (await readFile(absolute)).length };
    // The export is still being written: a hundred more rows arrive after the folder was looked at.
    await writeFile(absolute, `${[header, ...rows].join("\n")}\n`);
    const plan = planOf(path.join(ROOT, "policies"));
    const setup = { fields: plan.fields, schema: leadRecordSchemaFromPlan(plan), zone: plan.zone };
    const collect = async (convert: typeof convertSnapshotFiles) => {
      const lines: number[] = [];
      await convert({ leads: sized }, setup, { lead: (line) => lines.push(line) > 0, activity: () => true, reject: (_, line) => void lines.push(-line) });
      return lines;
    };
    const one = await collect(convertSnapshotFiles);
    expect(one).toHaveLength(400);
    expect(await collect(convertInParallel)).toEqual(one);
    await cleanup();
  });

  it("stops with the same message as one thread when a file cannot be read", async () => {
    const { dir, cleanup } = await tempDir();
    await mkdir(path.join(dir, "snap"));
    await writeFile(path.join(dir, "snap", "leads.csv"), "id,email\nL1,a@b.example\n");
    await writeFile(path.join(dir, "snap", "activities.csv"), "lead,type\nL1,call\n");
    const plan = planOf(path.join(ROOT, "policies"));
    const options = { plan, dir: path.join(dir, "snap"), shown: "snap", asOf: Date.parse("2027-03-15T21:00:00Z") };
    const one = await runSnapshot({ ...options, threads: "one" }).catch((e: unknown) => e);
    const two = await runSnapshot({ ...options, threads: "two" }).catch((e: unknown) => e);
    expect(one).toBeInstanceOf(SnapshotError);
    expect(two).toBeInstanceOf(SnapshotError);
    expect({ ...(two as SnapshotError), message: (two as Error).message }).toEqual({ ...(one as SnapshotError), message: (one as Error).message });
    expect((two as SnapshotError).message).toContain("has no 'lead_id' column");
    await cleanup();
  });

  it("can be started before the policy is read: used by the run, or stopped unused", async () => {
    const c = cases[1]!;
    const options = { plan: planOf(c.policies), dir: c.snapshot, shown: "snap", asOf: c.asOf, keepLeadOutcomes: true };
    const one = await runSnapshot({ ...options, threads: "one" });

    const early = await readySecondThread(c.snapshot, "two");
    expect(early).toBeDefined();
    const exits = new Promise<number>((resolve) => early!.worker.once("exit", resolve));
    expect(await runSnapshot({ ...options, threads: "two", secondThread: early })).toEqual(one);
    early!.dispose(); // taken by the run: not stopped twice, and the run already stopped it
    await exits;

    // Not wanted (one thread asked for, or a small snapshot on auto): none is started.
    expect(await readySecondThread(c.snapshot, "one")).toBeUndefined();
    expect(await readySecondThread(c.snapshot, "auto")).toBeUndefined();
    // An unreadable folder starts nothing; the run says what is wrong.
    expect(await readySecondThread(path.join(c.snapshot, "missing"), "two")).toBeUndefined();

    // Started, then the run wants one thread: stopped, not left running.
    const unused = await readySecondThread(c.snapshot, "two");
    const unusedExits = new Promise<number>((resolve) => unused!.worker.once("exit", resolve));
    expect(await runSnapshot({ ...options, threads: "one", secondThread: unused })).toEqual(one);
    // It ends (closed port, or terminated): waiting here would time the test out otherwise.
    expect(typeof (await unusedExits)).toBe("number");
  });

  it("is chosen for large snapshots on two cores or more, unless asked", () => {
    const file = (bytes: number): DataFile => ({ kind: "leads", file: "leads.csv", absolute: "/x", format: "csv", bytes });
    expect(usesSecondThread({ leads: file(1000) })).toBe(false);
    expect(usesSecondThread({ leads: file(PARALLEL_FROM_BYTES) }, "auto", 2)).toBe(true);
    expect(usesSecondThread({ leads: file(PARALLEL_FROM_BYTES) }, "one")).toBe(false);
    expect(usesSecondThread({ leads: file(1000) }, "two")).toBe(true);
    expect(usesSecondThread({ leads: file(PARALLEL_FROM_BYTES) }, "auto", 1)).toBe(false);
    expect(usesSecondThread({ leads: file(PARALLEL_FROM_BYTES) }, "auto", 2)).toBe(true);
  });
});

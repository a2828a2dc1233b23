import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT, runCli, tempCopy } from "../helpers.js";

const FIXTURE = path.join(ROOT, "test/fixtures/waivers");
const args = (format: string) => ["eval", "--policies", path.join(FIXTURE, "policies"), "--snapshot", path.join(FIXTURE, "snapshot"), "--format", format];

/** The waived leads, with their waiver's id and reason, in every format (SPEC §8.4); worked out in test/engine/waivers.test.ts. */
describe("reports list waived leads with the waiver's id and title", () => {
  const line = "waiver l7_duplicate (until 2027-03-31) excused 1 lead: L7; “L7 was a duplicate of L3, worked there”";

  it("text", async () => {
    const r = await runCli(args("text"));
    expect(r.stdout).toContain(line);
    expect(r.stdout).toContain("waiver test_records (until 2027-12-31) excused 1 lead: L30; “Test records are not leads”");
    expect(r.stdout).toContain("waiver l20_on_leave expired on 2027-02-10 and excused no lead (“L20's rep was on leave”)");
    expect(r.stdout).toContain("warning[W0703]");
    expect(r.stdout).toContain("warning[W0702]");
  });

  it("markdown", async () => {
    const r = await runCli(args("markdown"));
    expect(r.stdout).toContain(`\n\n${line}\n`);
  });

  it("html", async () => {
    const r = await runCli(args("html"));
    expect(r.stdout).toContain(`<p class="meta waiver">waiver l20_on_leave expired on 2027-02-10 and excused no lead (“L20&#39;s rep was on leave”)</p>`);
    expect(r.stdout).toContain(`<p class="meta waiver">${line}</p>`);
  });

  it("json: per result, each waived lead with its waiver; per SLA, the waivers with titles", async () => {
    const r = await runCli(args("json"));
    const report = JSON.parse(r.stdout);
    const sla = report.slas[0];
    expect(sla.totals.waived).toBe(2);
    expect(sla.waivers.map((w: { id: string; leads: number }) => [w.id, w.leads])).toEqual([["l7_duplicate", 1], ["l20_on_leave", 0], ["test_records", 1]]);
    expect(sla.results[0].waivedLeads.leads).toEqual([{ id: "L7", clock: "2027-01-11T10:00:00.000Z", deadline: "2027-01-12T10:00:00.000Z", waiver: "l7_duplicate" }]);
  });

  it("csv: the outcome is waived", async () => {
    const r = await runCli(args("csv"));
    expect(r.stdout).toContain("first_touch,2027-01,all,L7,waived,2027-01-11T10:00:00.000Z,2027-01-12T10:00:00.000Z,,\n");
    expect(r.stdout).toContain("first_touch,2027-02,all,L30,waived,");
  });
});

describe("explain names the waiver", () => {
  const explain = (lead: string, format = "text") => runCli(["explain", "--policies", path.join(FIXTURE, "policies"), "--snapshot", path.join(FIXTURE, "snapshot"), "--lead", lead, "--format", format]);

  it("a waived lead: which waiver, its reason and end, and what it would be without", async () => {
    const r = await explain("L7");
    expect(r.stdout).toContain("first_touch (sales, hard) — first touch within 1 days: waived");
    expect(r.stdout).toContain(
      "waived by l7_duplicate (“L7 was a duplicate of L3, worked there”, until 2027-03-31), so left out of met and breached; without it: breached, no touch by the deadline 2027-01-12 10:00 UTC",
    );
    const json = JSON.parse((await explain("L30", "json")).stdout);
    expect(json.slas[0]).toMatchObject({ outcome: "waived", waiver: { id: "test_records", title: "Test records are not leads", until: "2027-12-31" } });
  });

  it("a lead whose waiver expired is judged, and the expiry is said", async () => {
    const r = await explain("L20");
    expect(r.stdout).toContain("no touch by the deadline 2027-02-09 10:00 UTC; waiver l20_on_leave expired on 2027-02-10 and no longer excuses it");
    expect(JSON.parse((await explain("L20", "json")).stdout).slas[0]).toMatchObject({ outcome: "breached", waiver: null });
  });
});

describe("the SQL form says it does not compile waivers, rather than count waived leads as met or breached", () => {
  it("sql names the SLA and its waivers, and leaves its query out", async () => {
    const r = await runCli(["sql", "--policies", path.join(FIXTURE, "policies")]);
    expect(r.stderr).toContain("note: SLA 'first_touch' is not compiled: waivers (l7_duplicate, l20_on_leave, test_records) are not compiled to SQL; eval judges them");
    expect(r.stdout).toContain("-- sla first_touch is not compiled: waivers");
  });
});

describe("policy tests can expect waived", () => {
  it("the fixture's test file passes: leads waived by id and by condition, waived counts per result", async () => {
    const r = await runCli(["test", path.join(FIXTURE, "policies")]);
    expect(r.stdout).toContain("1 passed, 0 failed");
    expect(r.code).toBe(0);
  });

  it("a test expecting a waived lead to be met fails, saying it was waived", async () => {
    const copy = await tempCopy(path.join(FIXTURE, "policies"));
    try {
      const file = path.join(copy.dir, "waivers.test.yaml");
      await writeFile(file, (await readFile(file, "utf8")).replace("L7: { slas: { first_touch: waived } }", "L7: { slas: { first_touch: met } }"));
      const r = await runCli(["test", copy.dir]);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("lead L7, SLA first_touch: expected met, got waived");
    } finally {
      await copy.cleanup();
    }
  });
});

describe("junit carries the waivers as properties of the SLA's suite", () => {
  it("one property per waiver, escaped for XML", async () => {
    const r = await runCli(args("junit"));
    expect(r.stdout).toContain(`<property name="waiver" value="waiver l20_on_leave expired on 2027-02-10 and excused no lead (“L20&apos;s rep was on leave”)"/>`);
  });
});

describe("waivers by condition read the same on two threads", () => {
  it("--threads 2 and --threads 1 give the same report (the condition's fields reach the evaluator from the classifying thread)", async () => {
    const one = JSON.parse((await runCli([...args("json"), "--threads", "1"])).stdout);
    const two = JSON.parse((await runCli([...args("json"), "--threads", "2"])).stdout);
    expect(two.slas).toEqual(one.slas);
    expect(two.slas[0].totals.waived).toBe(2);
  });
});

describe("waivers are judged the same whatever reads the snapshot", () => {
  it("--engine duckdb gives the memory engine's report", async () => {
    const memory = JSON.parse((await runCli([...args("json"), "--engine", "memory"])).stdout);
    const duckdb = await runCli([...args("json"), "--engine", "duckdb"]);
    expect(duckdb.stderr).not.toContain("error");
    expect(JSON.parse(duckdb.stdout).slas).toEqual(memory.slas);
  });
});

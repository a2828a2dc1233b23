import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { arrayElementLines, sniffDelimiter } from "../../src/snapshot/read.js";
import { runCli, tempDir } from "../helpers.js";

/** The same three leads, written the hard ways a CRM export may write them. */
const POLICY = `agreement "Formats" {
  timezone "UTC"
}
team t { approvers @t }
fields {
  name   text pii
  note   text from "Free text"
  score  number
  at     time from "Created"
  region text
}
lead any { when score >= 0 since at }
sla volume { owner t leads any expect count >= 1 by region }
`;

const CLEAN = `id,name,Free text,score,Created
A1,Ann,plain,10,2026-11-01T10:00:00Z
A2,Bob,other,20,2026-11-02T10:00:00Z
A3,Cy,third,30,2026-11-03T10:00:00Z
`;

const TRICKY: Record<string, string> = {
  "quotes, embedded commas and doubled quotes": `id,name,Free text,score,Created
A1,"Ann","plain",10,2026-11-01T10:00:00Z
"A2",Bob,"other",20,"2026-11-02T10:00:00Z"
A3,"Cy","third",30,2026-11-03T10:00:00Z
`,
  "CRLF line ends and a byte-order mark": `\uFEFF${CLEAN.replace(/\n/g, "\r\n")}`,
  "semicolons": CLEAN.replace(/,/g, ";"),
  "a blank line and no final newline": `${CLEAN.trimEnd().replace("\nA2", "\n\nA2")}`,
};

// Every case twice: read on this thread, and on a second one (what large snapshots use).
for (const threads of ["1", "2"]) {
describe(`on ${threads === "1" ? "one thread" : "two threads"}`, () => {
  async function evaluate(dir: string, file: string, text: string): Promise<{ code: number; report: { definitions: unknown; input: { files: unknown[]; rejects: unknown[] }; slas: unknown } }> {
    await writeFile(path.join(dir, "snap", file), text);
    const result = await runCli(["eval", "--policies", "policies", "--snapshot", "snap", "--format", "json", "--as-of", "2026-11-10T00:00:00Z"], { cwd: dir, env: { SMARKETING_POLICY_THREADS: threads } });
    return { code: result.code, report: JSON.parse(result.stdout || "{}") };
  }

  describe("snapshot formats give the same leads", () => {
    let dir: string;
    let cleanup: () => Promise<void>;
    let baseline: Awaited<ReturnType<typeof evaluate>>["report"];

    beforeAll(async () => {
      ({ dir, cleanup } = await tempDir());
      await mkdir(path.join(dir, "policies"));
      await mkdir(path.join(dir, "snap"));
      await writeFile(path.join(dir, "policies", "p.policy"), POLICY);
      baseline = (await evaluate(dir, "leads.csv", CLEAN)).report;
      expect(baseline.definitions).toEqual({ any: 3 });
    });
    afterAll(async () => cleanup());

    for (const [name, text] of Object.entries(TRICKY)) {
      it(`CSV with ${name}`, async () => {
        const { code, report } = await evaluate(dir, "leads.csv", text);
        expect(code).toBe(0);
        expect(report.definitions).toEqual(baseline.definitions);
        expect(report.slas).toEqual(baseline.slas);
        expect(report.input.rejects).toEqual([]);
      });
    }

    it("an embedded newline in a quoted field keeps later line numbers right", async () => {
      const text = `id,name,Free text,score,Created\nA1,Ann,"two\nlines",10,2026-11-01T10:00:00Z\nA2,Bob,x,oops,2026-11-02T10:00:00Z\n`;
      await writeFile(path.join(dir, "snap", "leads.csv"), text);
      const result = await runCli(["eval", "--policies", "policies", "--snapshot", "snap", "--as-of", "2026-11-10T00:00:00Z", "--format", "json"], { cwd: dir, env: { SMARKETING_POLICY_THREADS: threads } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("snap/leads.csv:4: column 'score': 'oops' is not a number");
    });

    it("NDJSON and JSON give the same result as CSV", async () => {
      const records = [
        { id: "A1", name: "Ann", "Free text": "plain", score: 10, Created: "2026-11-01T10:00:00Z" },
        { id: "A2", name: "Bob", "Free text": "other", score: "20", Created: "2026-11-02T10:00:00Z" },
        { id: "A3", name: "Cy", "Free text": "third", score: 30, Created: "2026-11-03T10:00:00Z" },
      ];
      const { rm } = await import("node:fs/promises");
      await rm(path.join(dir, "snap", "leads.csv"));
      const nd = await evaluate(dir, "leads.ndjson", records.map((r) => JSON.stringify(r)).join("\n"));
      expect(nd.report.slas).toEqual(baseline.slas);
      await rm(path.join(dir, "snap", "leads.ndjson"));
      const js = await evaluate(dir, "leads.json", JSON.stringify(records, null, 2));
      expect(js.report.slas).toEqual(baseline.slas);
      await rm(path.join(dir, "snap", "leads.json"));
    });

    it("two leads files is a clear error, exit 2", async () => {
      await writeFile(path.join(dir, "snap", "leads.csv"), CLEAN);
      await writeFile(path.join(dir, "snap", "leads.ndjson"), "");
      const result = await runCli(["eval", "--policies", "policies", "--snapshot", "snap", "--as-of", "2026-11-10"], { cwd: dir, env: { SMARKETING_POLICY_THREADS: threads } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("keep one leads file");
      const { rm } = await import("node:fs/promises");
      await rm(path.join(dir, "snap", "leads.ndjson"));
    });

    it("a leads file without an id column is one clear error, not a rejection per row, exit 2", async () => {
      await writeFile(path.join(dir, "snap", "leads.csv"), CLEAN.replace(/^id,/, "Record ID,"));
      const result = await runCli(["eval", "--policies", "policies", "--snapshot", "snap", "--as-of", "2026-11-10"], { cwd: dir, env: { SMARKETING_POLICY_THREADS: threads } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("snap/leads.csv:1: error: has no 'id' column, which a leads file needs (its header has 'Record ID', 'name', 'Free text', 'score', 'Created')");
    });

    it("an activities file without lead_id or at, or a folder named like a data file, is a clear error, exit 2", async () => {
      const { mkdir, rm } = await import("node:fs/promises");
      await writeFile(path.join(dir, "snap", "leads.csv"), CLEAN);
      await writeFile(path.join(dir, "snap", "activities.csv"), "lead,type,when\nA1,call,2026-11-01T11:00:00Z\n");
      let result = await runCli(["eval", "--policies", "policies", "--snapshot", "snap", "--as-of", "2026-11-10"], { cwd: dir, env: { SMARKETING_POLICY_THREADS: threads } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("snap/activities.csv:1: error: has no 'lead_id' column");
      await rm(path.join(dir, "snap", "activities.csv"));
      await mkdir(path.join(dir, "snap", "activities.csv"));
      result = await runCli(["eval", "--policies", "policies", "--snapshot", "snap", "--as-of", "2026-11-10"], { cwd: dir, env: { SMARKETING_POLICY_THREADS: threads } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("snap/activities.csv: error: is a folder, not a file");
      await rm(path.join(dir, "snap", "activities.csv"), { recursive: true });
    });

    it("a very long lead id is shortened in messages", async () => {
      const long = "L".repeat(500);
      await writeFile(path.join(dir, "snap", "leads.csv"), `${CLEAN}${long},Ann,x,1,2026-11-04T10:00:00Z\n${long},Bob,y,2,2026-11-04T11:00:00Z\n`);
      const result = await runCli(["eval", "--policies", "policies", "--snapshot", "snap", "--as-of", "2026-11-10", "--format", "json", "--max-rejected", "1"], { cwd: dir, env: { SMARKETING_POLICY_THREADS: threads } });
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { input: { rejects: Array<{ line: number; reason: string }> } };
      expect(report.input.rejects).toEqual([{ file: "snap/leads.csv", line: 6, reason: `duplicate lead id '${"L".repeat(37)}…' (first on line 5); the first one is used` }]);
      await writeFile(path.join(dir, "snap", "leads.csv"), CLEAN);
    });

    it("no as_of anywhere says how to give one, exit 2", async () => {
      const result = await runCli(["eval", "--policies", "policies", "--snapshot", "snap"], { cwd: dir, env: { SMARKETING_POLICY_THREADS: threads } });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/no as_of .*snapshot\.yaml.*--as-of/);
    });

    it("a bad snapshot.yaml is reported with its file", async () => {
      await writeFile(path.join(dir, "snap", "snapshot.yaml"), "as_of: 2026-11-10\nasof: typo\n");
      const result = await runCli(["eval", "--policies", "policies", "--snapshot", "snap"], { cwd: dir, env: { SMARKETING_POLICY_THREADS: threads } });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("snap/snapshot.yaml: error: unknown key 'asof'");
      const { rm } = await import("node:fs/promises");
      await rm(path.join(dir, "snap", "snapshot.yaml"));
    });

    it("duplicate ids and personal values: the first is used, the second rejected, personal values never printed", async () => {
      await writeFile(path.join(dir, "snap", "leads.csv"), `${CLEAN}A1,ann@example.com,dup,5,2026-11-04T10:00:00Z\n`);
      const result = await runCli(["eval", "--policies", "policies", "--snapshot", "snap", "--as-of", "2026-11-10", "--format", "json", "--max-rejected", "1"], { cwd: dir, env: { SMARKETING_POLICY_THREADS: threads } });
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { input: { duplicateLeadIds: number; rejects: Array<{ line: number; reason: string }> } };
      expect(report.input.duplicateLeadIds).toBe(1);
      expect(report.input.rejects).toEqual([{ file: "snap/leads.csv", line: 5, reason: "duplicate lead id 'A1' (first on line 2); the first one is used" }]);
      expect(result.stdout).not.toContain("ann@example.com");
    });
  });
});
}

describe("--threads", () => {
  it("takes 1, 2 or auto; anything else is exit 2, naming the environment variable when it came from there", async () => {
    let result = await runCli(["eval", "--snapshot", "snapshots/sample", "--threads", "3"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("smarketing-policy: --threads must be 1, 2 or auto, not '3'\n");
    result = await runCli(["eval", "--snapshot", "snapshots/sample"], { env: { SMARKETING_POLICY_THREADS: "many" } });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("smarketing-policy: --threads must be 1, 2 or auto, not 'many' (from SMARKETING_POLICY_THREADS)\n");
  });
});

/** `eval --format json` of a one-file policy over a snapshot of just these leads. */
async function evalLeads(policy: string, leadsCsv: string, args: readonly string[] = []) {
  const { dir, cleanup } = await tempDir();
  try {
    await mkdir(path.join(dir, "policies"));
    await mkdir(path.join(dir, "snap"));
    await writeFile(path.join(dir, "policies", "p.policy"), policy);
    await writeFile(path.join(dir, "snap", "leads.csv"), leadsCsv);
    return await runCli(["eval", "--policies", "policies", "--snapshot", "snap", "--as-of", "2026-11-10", "--format", "json", ...args], { cwd: dir });
  } finally {
    await cleanup();
  }
}

describe("W0103: a grouping field with no values", () => {
  it("is reported as a warning and every lead falls in one '(none)' group", async () => {
    const result = await evalLeads(POLICY, CLEAN);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("warning[W0103]: grouping field 'region' has no values in this snapshot");
    const report = JSON.parse(result.stdout) as { slas: Array<{ results: Array<{ group: string; leads: number }> }> };
    expect(report.slas[0]!.results).toMatchObject([{ group: "(none)", leads: 3 }]);
  });
});

describe("W0106: a field with no values", () => {
  const TIERED = POLICY.replace("  region text\n", "  region text\n  tier   text from \"Tier\"\n").replace("lead any {", 'lead top { when tier = "A" }\nlead any {');
  const leadsWithTier = (tierFrom: number) =>
    ["id,name,Free text,score,Created,region,Tier", ...Array.from({ length: 400 }, (_, i) => `L${i},n${i},t,${i},2026-11-01T10:00:00Z,EU,${i >= tierFrom ? "A" : ""}`)].join("\n") + "\n";

  it("is reported, with its column, when no lead has a value in it (a column the export lacks)", async () => {
    for (const threads of ["1", "2"]) {
      const result = await evalLeads(TIERED, CLEAN, ["--threads", threads]);
      expect(result.code).toBe(0);
      const notes = (JSON.parse(result.stdout) as { notes: string[] }).notes.filter((n) => n.includes("W0106"));
      expect(notes).toEqual([
        "warning[W0106]: field 'tier' has no values in this snapshot (no lead has a value in column 'Tier': is it missing from the export, or named differently?); every condition on it is false.",
      ]);
    }
  });

  it("is not reported when only the second thread's part of the leads has values in it", async () => {
    // The last rows are in the second thread's last part (from 3.35 quarters of the file on).
    for (const threads of ["1", "2"]) {
      const result = await evalLeads(TIERED, leadsWithTier(390), ["--threads", threads]);
      expect(result.code).toBe(0);
      const report = JSON.parse(result.stdout) as { notes: string[]; definitions: Record<string, number> };
      expect(report.notes.filter((n) => n.includes("W0106"))).toEqual([]);
      expect(report.definitions["top"]).toBe(10);
    }
  });
});

describe("reading helpers", () => {
  it("sniffs the delimiter from the header, ignoring quoted separators", () => {
    expect(sniffDelimiter("id,name,score")).toBe(",");
    expect(sniffDelimiter("id;name;score")).toBe(";");
    expect(sniffDelimiter('id;"a,b,c";score')).toBe(";");
  });

  it("finds the line of each element of a JSON array", () => {
    expect(arrayElementLines('[\n  {"a": "[,]"},\n  {"b": 1}, {"c": {"d": 2}}\n]')).toEqual([2, 3, 3]);
  });
});

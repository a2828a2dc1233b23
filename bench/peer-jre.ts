/**
 * The peer: json-rules-engine, which teams might pick instead, classifying leads with the same
 * four lead definitions as the example policy (lead rules only; no periods, SLAs or goals).
 * It is slow enough that it runs on the first `--sample` leads; bench/run.ts scales its time
 * per lead to the whole file and says so.
 *
 *   node --import tsx bench/peer-jre.ts bench/data/1000000 --sample 50000
 */
import path from "node:path";
import { Engine } from "json-rules-engine";
import { forEachLine } from "./lines.js";

export async function classifyWithJre(dir: string, sample: number) {
  const engine = new Engine([], { allowUndefinedFacts: true });
  engine.addOperator("endsWithCi", (a: unknown, b: string) => typeof a === "string" && a.toLowerCase().endsWith(b));
  engine.addOperator("isSet", (a: unknown) => a !== undefined && a !== null && a !== "");
  engine.setCondition("mql", {
    any: [
      { fact: "lifecycle_stage", operator: "in", value: ["marketingqualifiedlead", "salesqualifiedlead", "opportunity"] },
      { all: [{ fact: "lead_score", operator: "greaterThanInclusive", value: 60 }, { fact: "employees", operator: "greaterThanInclusive", value: 50 }] },
    ],
  });
  engine.addRule({ name: "inbound", conditions: { all: [{ fact: "created_at", operator: "isSet", value: true }] }, event: { type: "inbound" } });
  engine.addRule({ name: "mql", conditions: { all: [{ condition: "mql" }] }, event: { type: "mql" } });
  engine.addRule({
    name: "sales_ready",
    conditions: {
      all: [
        { condition: "mql" },
        { any: [{ fact: "demo_requested", operator: "equal", value: true }, { fact: "job_level", operator: "in", value: ["VP", "C-level"] }] },
        { not: { fact: "email", operator: "endsWithCi", value: "@gmail.com" } },
        { fact: "country", operator: "isSet", value: true },
      ],
    },
    event: { type: "sales_ready" },
  });
  engine.addRule({ name: "won", conditions: { all: [{ fact: "deal_stage", operator: "equal", value: "closedwon" }] }, event: { type: "won" } });

  const counts: Record<string, number> = { inbound: 0, mql: 0, sales_ready: 0, won: 0 };
  let leads = 0;
  // Read first and untimed: what is timed is classification alone.
  const sampleLines: string[] = [];
  forEachLine(path.join(dir, "leads.csv"), (line) => {
    sampleLines.push(line);
    return sampleLines.length <= sample;
  });
  const start = performance.now();
  for (const line of sampleLines.slice(1)) {
    const f = line.split(",");
    const facts = {
      email: f[1],
      lifecycle_stage: f[2],
      lead_score: Number(f[3]),
      employees: Number(f[4]),
      country: f[5],
      job_level: f[6],
      demo_requested: f[7] === "true",
      created_at: f[10],
      deal_stage: f[13],
    };
    const { events } = await engine.run(facts);
    for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
    leads++;
  }
  return { leads, ms: performance.now() - start, counts };
}

if (process.argv[1]?.endsWith("peer-jre.ts")) {
  const i = process.argv.indexOf("--sample");
  const result = await classifyWithJre(process.argv[2] ?? "bench/data/100000", i > 0 ? Number(process.argv[i + 1]) : 50_000);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { runCli, ROOT } from "./helpers.js";

function schema(name: string): object {
  return JSON.parse(readFileSync(path.join(ROOT, "schemas", name), "utf8")) as object;
}

function newAjv() {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return ajv;
}

describe("project JSON Schemas", () => {
  it("validate --format json output matches schemas/validate.schema.json, with the compiled policy", async () => {
    const ajv = newAjv();
    ajv.addSchema(schema("policy.schema.json"));
    const check = ajv.compile(schema("validate.schema.json"));
    const result = await runCli(["validate", "policies", "--format", "json"]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { valid: boolean; policy: { slas: unknown[] } };
    expect(check(json), JSON.stringify(check.errors)).toBe(true);
    expect(json.valid).toBe(true);
    expect(json.policy.slas).toHaveLength(5);
  });

  it("describe --format json matches schemas/describe.schema.json, one entry per block and field", async () => {
    const check = newAjv().compile(schema("describe.schema.json"));
    const result = await runCli(["describe", "policies", "--format", "json"]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout) as { items: Array<{ item: string; id: string; parties: string[] }> };
    expect(check(json), JSON.stringify(check.errors)).toBe(true);
    expect(json.items.filter((i) => i.item === "sla").map((i) => i.id)).toEqual(["new_leads", "mql_volume", "mql_quality", "first_touch", "attempt_cap"]);
    expect(json.items.find((i) => i.id === "quarterly_revenue")?.parties).toEqual(["sales", "marketing"]);
  });

  it("an invalid policy's JSON output also matches, with diagnostics and no policy", async () => {
    const ajv = newAjv();
    ajv.addSchema(schema("policy.schema.json"));
    const check = ajv.compile(schema("validate.schema.json"));
    const result = await runCli(["validate", "test/fixtures/typo", "--format", "json"]);
    expect(result.code).toBe(2);
    const json = JSON.parse(result.stdout) as { valid: boolean; policy: unknown; diagnostics: Array<{ code: string }> };
    expect(check(json), JSON.stringify(check.errors)).toBe(true);
    expect(json.policy).toBeNull();
    expect(json.diagnostics.map((d) => d.code)).toContain("E0203");
  });

  it("every schema in schemas/ is valid JSON Schema (the tool compiles its own without this check)", () => {
    for (const name of ["snapshot.schema.json", "policy-test.schema.json", "report.schema.json", "policy.schema.json"]) {
      const ajv = newAjv();
      if (name !== "policy.schema.json") ajv.addSchema(schema("policy.schema.json"));
      expect(ajv.validateSchema(schema(name)), `${name}: ${JSON.stringify(ajv.errors)}`).toBe(true);
    }
  });

  it("the schema does reject a malformed policy document", () => {
    const ajv = newAjv();
    const check = ajv.compile(schema("policy.schema.json"));
    expect(check({ agreement: null, teams: [], calendars: [], fields: [], leads: [{ kind: "Lead" }], slas: [], goals: [] })).toBe(false);
  });
});

describe("lead record schema (smarketing-policy schema)", () => {
  it("compiles with ajv in strict mode and checks records by column name", async () => {
    const result = await runCli(["schema"]);
    expect(result.code).toBe(0);
    const leadSchema = JSON.parse(result.stdout) as { properties: Record<string, { title: string }> };
    expect(leadSchema.properties["HubSpot Score"]?.title).toBe("lead_score");
    const check = newAjv().compile(leadSchema);
    expect(check({ id: "L1", "HubSpot Score": 72, lifecycle_stage: "lead", "Create Date": "2026-11-02 09:15" })).toBe(true);
    expect(check({ id: "L2", lifecycle_stage: "mql" })).toBe(false);
    expect(check({ id: "L3", "HubSpot Score": "72" })).toBe(false);
    expect(check({ id: "L4", "Create Date": "yesterday" })).toBe(false);
    expect(check({ "HubSpot Score": 1 })).toBe(false);
    expect(check({ id: "L5", demo_requested: null, "Some CRM column": "kept" })).toBe(true);
  });

  it("marks personal fields", async () => {
    const result = await runCli(["schema"]);
    const leadSchema = JSON.parse(result.stdout) as { properties: Record<string, { description: string }> };
    expect(leadSchema.properties["email"]?.description).toMatch(/pii/);
  });

  it("refuses an invalid policy with exit 2", async () => {
    const result = await runCli(["schema", "--policies", "test/fixtures/typo"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("E0203");
  });
});

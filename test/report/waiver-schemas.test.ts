import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import { ROOT, runCli } from "../helpers.js";

const FIXTURE = path.join(ROOT, "test/fixtures/waivers");

/** Outputs that carry waivers follow their schemas in schemas/ (ajv strict mode), as the other outputs do. */
function expectValid(schema: string, stdout: string): void {
  const ajv = new Ajv2020.default({ strict: true, allErrors: true });
  addFormats.default(ajv);
  for (const name of ["policy.schema.json"]) if (name !== schema) ajv.addSchema(JSON.parse(readFileSync(path.join(ROOT, "schemas", name), "utf8")) as object);
  const check = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, "schemas", schema), "utf8")) as object);
  expect(check(JSON.parse(stdout)), JSON.stringify(check.errors)).toBe(true);
}

describe("JSON outputs with waivers follow their schemas", () => {
  const policies = path.join(FIXTURE, "policies");
  const snapshot = path.join(FIXTURE, "snapshot");
  it("eval --format json (report.schema.json)", async () => {
    expectValid("report.schema.json", (await runCli(["eval", "--policies", policies, "--snapshot", snapshot, "--format", "json"])).stdout);
  });
  it("explain --format json (explain.schema.json), a waived lead", async () => {
    expectValid("explain.schema.json", (await runCli(["explain", "--policies", policies, "--snapshot", snapshot, "--lead", "L7", "--format", "json"])).stdout);
  });
  it("describe --format json (describe.schema.json)", async () => {
    expectValid("describe.schema.json", (await runCli(["describe", policies, "--format", "json"])).stdout);
  });
  it("validate --format json (validate.schema.json, with the compiled policy)", async () => {
    expectValid("validate.schema.json", (await runCli(["validate", policies, "--format", "json"])).stdout);
  });
});

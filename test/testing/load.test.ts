import { readFileSync } from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parseTestFile, type TestVocabulary } from "../../src/testing/load.js";
import { runCli, ROOT } from "../helpers.js";

const SCHEMA = JSON.parse(readFileSync(path.join(ROOT, "schemas/policy-test.schema.json"), "utf8")) as object;
const VOCABULARY: TestVocabulary = { leadKeys: ["id", "lead_score", "HubSpot Score", "email"], definitions: ["mql", "sales_ready"], slas: ["first_touch"], goals: ["revenue"] };

function problems(text: string): Array<[number, string]> {
  const parsed = parseTestFile(text, "/x/t.test.yaml", "t.test.yaml", VOCABULARY);
  if (!Array.isArray(parsed)) return [];
  return parsed.map((p) => [p.line, p.message]);
}

describe("the policy test file schema", () => {
  it("compiles under ajv's strict mode with no allowances (no union types)", () => {
    expect(() => new Ajv2020.default({ strict: true }).compile(SCHEMA)).not.toThrow();
  });

  it("`schema --tests` prints it", async () => {
    const result = await runCli(["schema", "--tests"]);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual(SCHEMA);
  });

  it("a lead value of the wrong kind says what it may be, once", () => {
    expect(problems("as_of: 2027-01-15\ntests:\n  - name: t\n    leads:\n      - id: a\n        lead_score: [1, 2]\n    expect: {}\n")).toEqual([
      [6, "/tests/0/leads/0/lead_score: must be text, a number, true or false, or empty"],
    ]);
  });
});

describe("names in a test file are checked against the policy, at their line, with a suggestion", () => {
  const head = "as_of: 2027-01-15\ntests:\n  - name: t\n    leads:\n";
  const cases: Array<[string, string, Array<[number, string]>]> = [
    ["a lead key", "      - id: a\n        lead_scor: 90\n    expect: {}\n", [[6, "no field or column 'lead_scor' in the policy (did you mean 'lead_score'?)"]]],
    ["a CRM column", "      - { id: a, \"HubSpot Scor\": 90 }\n    expect: {}\n", [[5, "no field or column 'HubSpot Scor' in the policy (did you mean 'HubSpot Score'?)"]]],
    ["a definition in expect", "      - { id: a }\n    expect:\n      leads:\n        a: { in: [sales_redy] }\n", [[8, "lead a: no lead definition 'sales_redy' in the policy (did you mean 'sales_ready'?)"]]],
    ["an SLA of a lead", "      - { id: a }\n    expect:\n      leads:\n        a:\n          slas: { frist_touch: met }\n", [[9, "lead a: no SLA 'frist_touch' in the policy (did you mean 'first_touch'?)"]]],
    ["a goal and its stage", "      - { id: a }\n    expect:\n      goals:\n        - goal: revenu\n          stage: mqls\n", [[8, "no goal 'revenu' in the policy (did you mean 'revenue'?)"], [9, "no lead definition 'mqls' in the policy (did you mean 'mql'?)"]]],
    ["an expected lead not among the test's leads", "      - { id: vp-demo }\n    expect:\n      leads:\n        vp-dmeo: { in: [mql] }\n", [[8, "the expected lead 'vp-dmeo' is not one of this test's leads (did you mean 'vp-demo'?)"]]],
    ["an activity's lead", "      - { id: vp-demo }\n    activities:\n      - { lead_id: vp-dmeo, at: 2027-01-15 }\n    expect: {}\n", [[7, "the activity's lead 'vp-dmeo' is not one of this test's leads (did you mean 'vp-demo'?)"]]],
    ["a key of expect", "      - { id: a }\n    expect:\n      lead:\n        a: { in: [mql] }\n", [[7, "/tests/0/expect: unknown key 'lead' (did you mean 'leads'?)"]]],
    ["a key of a test", "      - { id: a }\n    expcet: {}\n", [[3, "/tests/0 must have required property 'expect'"], [6, "/tests/0: unknown key 'expcet' (did you mean 'expect'?)"]]],
  ];
  for (const [what, rest, expected] of cases) {
    it(what, () => {
      expect(problems(head + rest)).toEqual(expected);
    });
  }

  it("a file with only known names loads", () => {
    const parsed = parseTestFile(`${head}      - { id: a, lead_score: 9, "HubSpot Score": 9 }\n    expect:\n      leads:\n        a: { in: [mql], not_in: [sales_ready] }\n`, "/x/t.test.yaml", "t.test.yaml", VOCABULARY);
    expect(Array.isArray(parsed)).toBe(false);
  });
});

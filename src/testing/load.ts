import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import yaml from "js-yaml";

export interface TestLeadExpect {
  in?: string[];
  not_in?: string[];
  slas?: Record<string, string>;
}
export interface TestSlaExpect {
  sla: string;
  period?: string;
  group?: string;
  status?: string;
  value?: number;
  met?: number;
  breached?: number;
  pending?: number;
  leads?: number;
}
export interface TestGoalExpect {
  goal: string;
  stage?: string;
  period?: string;
  group?: string;
  required?: number | null;
  actual?: number;
  status?: string;
}
export interface PolicyTest {
  name: string;
  as_of?: string;
  snapshot?: string;
  leads?: Array<Record<string, string | number | boolean | null>>;
  activities?: Array<{ lead_id: string | number; type?: string; at: string; owner?: string }>;
  expect: { leads?: Record<string, TestLeadExpect>; slas?: TestSlaExpect[]; goals?: TestGoalExpect[] };
  /** Where the test starts in its file. */
  line: number;
}
export interface TestFile {
  file: string;
  absolute: string;
  as_of?: string;
  tests: PolicyTest[];
}
export interface TestFileProblem {
  file: string;
  line: number;
  message: string;
}

const require = createRequire(import.meta.url);
const schema = require("../../schemas/policy-test.schema.json") as object;
// Lead values in a test may be text, numbers, true/false or empty: a union type, which strict mode asks to allow.
const validate = new Ajv2020.default({ allErrors: true, strict: true, allowUnionTypes: true }).compile(schema);

/** Every `*.test.yaml` under a folder (the policies folder, by default). */
export async function findTestFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.name.endsWith(".test.yaml") || entry.name.endsWith(".test.yml")) found.push(full);
    }
  };
  await walk(dir);
  return found.sort();
}

/**
 * Reads one test file: safe YAML, checked against schemas/policy-test.schema.json. Problems are
 * reported at their line: js-yaml's listener tells where each mapping and list began.
 */
export async function loadTestFile(absolute: string, shown: string): Promise<TestFile | TestFileProblem[]> {
  return parseTestFile(await readFile(absolute, "utf8"), absolute, shown);
}

/** As loadTestFile, from text already read (e.g. from git objects); `absolute` anchors relative snapshot paths. */
export function parseTestFile(text: string, absolute: string, shown: string): TestFile | TestFileProblem[] {
  const lines = new WeakMap<object, number>();
  const open: number[] = [];
  let doc: unknown;
  try {
    doc = yaml.load(text, {
      filename: shown,
      schema: yaml.CORE_SCHEMA,
      listener(event, state) {
        if (event === "open") open.push(state.line + 1);
        else {
          const line = open.pop() ?? 1;
          if (state.result !== null && typeof state.result === "object") lines.set(state.result as object, line);
        }
      },
    });
  } catch (error) {
    const e = error as { reason?: string; mark?: { line: number } };
    return [{ file: shown, line: (e.mark?.line ?? 0) + 1, message: `not valid YAML: ${e.reason ?? String(error)}` }];
  }
  const lineOf = (instancePath: string): number => {
    let node: unknown = doc;
    let best = node !== null && typeof node === "object" ? lines.get(node) ?? 1 : 1;
    for (const part of instancePath.split("/").slice(1)) {
      if (node === null || typeof node !== "object") break;
      node = (node as Record<string, unknown>)[decodeURIComponent(part.replace(/~1/g, "/").replace(/~0/g, "~"))];
      if (node !== null && typeof node === "object") best = lines.get(node) ?? best;
    }
    return best;
  };
  if (!validate(doc)) {
    const problems = (validate.errors ?? []).map((e) => {
        let message = `${e.instancePath || "the file"} ${e.message ?? "is invalid"}`;
        if (e.keyword === "additionalProperties") message = `${e.instancePath || "the file"}: unknown key '${(e.params as { additionalProperty: string }).additionalProperty}'`;
        if (e.keyword === "enum") message = `${e.instancePath}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
        return { file: shown, line: lineOf(e.instancePath), message };
      });
    const unique = new Map(problems.map((p) => [`${p.line}:${p.message}`, p]));
    return [...unique.values()];
  }
  const data = doc as { as_of?: string; tests: Array<Omit<PolicyTest, "line">> };
  const mixed = data.tests.filter((t) => (t.leads === undefined) === (t.snapshot === undefined));
  if (mixed.length > 0) {
    return mixed.map((t) => ({ file: shown, line: lines.get(t) ?? 1, message: `test '${t.name}' gives either 'leads' or 'snapshot', not both or neither` }));
  }
  return {
    file: shown,
    absolute,
    as_of: data.as_of,
    tests: data.tests.map((t) => ({ ...t, line: lines.get(t) ?? 1 })),
  };
}

import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import yaml from "js-yaml";
import type { EvalPlan } from "../engine/plan.js";
import { didYouMean } from "../lang/suggest.js";

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
  /** Leads a waiver excused (SPEC §8.4). */
  waived?: number;
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
/** schemas/policy-test.schema.json, as `schema --tests` prints it. */
export const TEST_FILE_SCHEMA = require("../../schemas/policy-test.schema.json") as object;
// verbose: each error carries its schema's parent, whose known keys give "did you mean".
const validate = new Ajv2020.default({ allErrors: true, strict: true, verbose: true }).compile(TEST_FILE_SCHEMA);

/** Where users find the test file schema: it is not in their repository, so a URL and a command. */
export const TEST_SCHEMA_URL = "https://smarketing-policy.dev/schemas/policy-test.schema.json";

/** A file with this many problems is reported in part: the first ones are enough to start fixing. */
const MAX_PROBLEMS = 50;

/** The names a test file may use, from the policy it tests: lead keys (field names and CRM columns), definitions, SLAs, goals. */
export interface TestVocabulary {
  leadKeys: readonly string[];
  definitions: readonly string[];
  slas: readonly string[];
  goals: readonly string[];
}

export function testVocabulary(plan: EvalPlan): TestVocabulary {
  return {
    leadKeys: ["id", ...new Set(plan.fields.flatMap((f) => [f.name, f.column]))],
    definitions: plan.definitions.map((d) => d.id),
    slas: plan.slas.map((s) => s.id),
    goals: plan.goals.map((g) => g.id),
  };
}

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

/** Reads one test file; see parseTestFile. */
export async function loadTestFile(absolute: string, shown: string, vocabulary: TestVocabulary): Promise<TestFile | TestFileProblem[]> {
  return parseTestFile(await readFile(absolute, "utf8"), absolute, shown, vocabulary);
}

/** Lines of a YAML document: where each mapping and list began, and where each key is. */
class YamlLines {
  private readonly starts = new WeakMap<object, { line: number; scalar: number }>();
  /** Every text scalar in document order (keys among them), with its line. */
  private readonly scalars: Array<{ line: number; text: string }> = [];
  private readonly open: Array<{ line: number; scalar: number }> = [];

  readonly listener = (event: "open" | "close", state: { line: number; result: unknown }): void => {
    if (event === "open") {
      this.open.push({ line: state.line + 1, scalar: this.scalars.length });
      return;
    }
    const start = this.open.pop() ?? { line: 1, scalar: 0 };
    if (typeof state.result === "string") this.scalars.push({ line: state.line + 1, text: state.result });
    else if (state.result !== null && typeof state.result === "object") this.starts.set(state.result, start);
  };

  of(node: unknown): number | undefined {
    return node !== null && typeof node === "object" ? this.starts.get(node)?.line : undefined;
  }

  /** The line of a key of a mapping: its first scalar with that text at or after the mapping's start. */
  ofKey(node: object, key: string): number {
    const start = this.starts.get(node);
    if (!start) return 1;
    for (let i = start.scalar; i < this.scalars.length; i++) if (this.scalars[i]!.text === key) return this.scalars[i]!.line;
    return start.line;
  }
}

/**
 * Reads one test file from its text (from disk or from git objects): safe YAML, checked against
 * schemas/policy-test.schema.json, then against the policy's names. Problems are reported at
 * their line, unknown keys and names with "did you mean"; `absolute` anchors relative snapshot paths.
 */
export function parseTestFile(text: string, absolute: string, shown: string, vocabulary: TestVocabulary): TestFile | TestFileProblem[] {
  const lines = new YamlLines();
  let doc: unknown;
  try {
    doc = yaml.load(text, { filename: shown, schema: yaml.CORE_SCHEMA, listener: lines.listener });
  } catch (error) {
    const e = error as { reason?: string; mark?: { line: number } };
    return [{ file: shown, line: (e.mark?.line ?? 0) + 1, message: `not valid YAML: ${e.reason ?? String(error)}` }];
  }
  if (!validate(doc)) return unique(schemaProblems(doc, validate.errors ?? [], lines, shown));
  const data = doc as { as_of?: string; tests: Array<Omit<PolicyTest, "line">> };
  const problems: TestFileProblem[] = [];
  for (const t of data.tests) {
    if ((t.leads === undefined) === (t.snapshot === undefined)) {
      problems.push({ file: shown, line: lines.of(t) ?? 1, message: `test '${t.name}' gives either 'leads' or 'snapshot', not both or neither` });
    }
    problems.push(...unknownNames(t, vocabulary, lines, shown));
  }
  if (problems.length > 0) return unique(problems);
  return {
    file: shown,
    absolute,
    as_of: data.as_of,
    tests: data.tests.map((t) => ({ ...t, line: lines.of(t) ?? 1 })),
  };
}

function unique(problems: TestFileProblem[]): TestFileProblem[] {
  return [...new Map(problems.map((p) => [`${p.line}:${p.message}`, p])).values()].slice(0, MAX_PROBLEMS);
}

type SchemaError = NonNullable<typeof validate.errors>[number];

function nodeAt(doc: unknown, instancePath: string): unknown {
  let node = doc;
  for (const part of instancePath.split("/").slice(1)) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[decodeURIComponent(part.replace(/~1/g, "/").replace(/~0/g, "~"))];
  }
  return node;
}

/** The nearest enclosing mapping or list that has a line. */
function lineAt(doc: unknown, instancePath: string, lines: YamlLines): number {
  const parts = instancePath.split("/");
  for (let n = parts.length; n >= 1; n--) {
    const line = lines.of(nodeAt(doc, parts.slice(0, n).join("/")));
    if (line !== undefined) return line;
  }
  return 1;
}

const VALUE_KINDS: Readonly<Record<string, string>> = { string: "text", number: "a number", integer: "a whole number", boolean: "true or false", null: "empty" };

function schemaProblems(doc: unknown, errors: readonly SchemaError[], lines: YamlLines, shown: string): TestFileProblem[] {
  const where = (e: SchemaError) => e.instancePath || "the file";
  return errors
    // anyOf reports each branch it tried, then itself: its own message says it all.
    .filter((e) => !errors.some((o) => o.keyword === "anyOf" && o !== e && e.schemaPath.startsWith(`${o.schemaPath.slice(0, -"/anyOf".length)}/anyOf/`)))
    .map((e) => {
      if (e.keyword === "additionalProperties") {
        const key = (e.params as { additionalProperty: string }).additionalProperty;
        const known = Object.keys((e.parentSchema as { properties?: object } | undefined)?.properties ?? {});
        const node = nodeAt(doc, e.instancePath) as object;
        return { file: shown, line: lines.ofKey(node, key), message: `${where(e)}: unknown key '${key}'${didYouMean(key, known)}` };
      }
      let message = `${where(e)} ${e.message ?? "is invalid"}`;
      if (e.keyword === "enum") message = `${where(e)}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
      if (e.keyword === "anyOf") {
        const kinds = ((e.schema as Array<{ type?: string }>) ?? []).map((b) => VALUE_KINDS[b.type ?? ""] ?? b.type);
        message = `${where(e)}: must be ${kinds.length > 2 ? `${kinds.slice(0, -1).join(", ")}, or ${kinds.at(-1)}` : kinds.join(" or ")}`;
      }
      return { file: shown, line: lineAt(doc, e.instancePath, lines), message };
    });
}

/** Lead keys that are no field or column, and definitions, SLAs and goals the policy does not have. */
function unknownNames(t: Omit<PolicyTest, "line">, v: TestVocabulary, lines: YamlLines, shown: string): TestFileProblem[] {
  const problems: TestFileProblem[] = [];
  const unknown = (node: object, key: string, what: string, known: readonly string[], line = lines.ofKey(node, key)) => {
    if (!known.includes(key)) problems.push({ file: shown, line, message: `${what} '${key}' in the policy${didYouMean(key, known)}` });
  };
  for (const lead of t.leads ?? []) for (const key of Object.keys(lead)) unknown(lead, key, "no field or column", v.leadKeys);
  // With inline leads, every lead an activity or an expectation names must be one of them.
  const ids = t.leads?.map((l) => String(l["id"]));
  const missingLead = (node: object, id: string, what: string) => {
    if (ids && !ids.includes(id)) problems.push({ file: shown, line: lines.ofKey(node, id), message: `${what} '${id}' is not one of this test's leads${didYouMean(id, ids)}` });
  };
  for (const a of t.activities ?? []) missingLead(a, String(a.lead_id), "the activity's lead");
  if (t.expect.leads) for (const id of Object.keys(t.expect.leads)) missingLead(t.expect.leads, id, "the expected lead");
  for (const [id, e] of Object.entries(t.expect.leads ?? {})) {
    for (const list of [e.in, e.not_in]) for (const def of list ?? []) unknown(list!, def, `lead ${id}: no lead definition`, v.definitions);
    for (const sla of Object.keys(e.slas ?? {})) unknown(e.slas!, sla, `lead ${id}: no SLA`, v.slas);
  }
  for (const e of t.expect.slas ?? []) unknown(e, e.sla, "no SLA", v.slas);
  for (const e of t.expect.goals ?? []) {
    unknown(e, e.goal, "no goal", v.goals);
    if (e.stage !== undefined) unknown(e, e.stage, "no lead definition", v.definitions);
  }
  return problems;
}

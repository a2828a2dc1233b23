import { readFileSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runCli, tempDir } from "../helpers.js";

/**
 * Fuzzing of what the CLI reads: policy text, CSV snapshots and the YAML manifest, each a valid
 * input with random damage. Whatever it reads, the tool ends with exit 0, 1 or 2 and a message,
 * never "internal error" (BRIEF: no input crashes the tool).
 */
const POLICY_FILES = ["agreement.policy", "leads.policy", "slas.policy", "goals.policy"];
const POLICY = POLICY_FILES.map((f) => readFileSync(path.join(ROOT, "policies", f), "utf8")).join("\n");
const LEADS = readFileSync(path.join(ROOT, "snapshots/sample/leads.csv"), "utf8").split("\n").slice(0, 40).join("\n");
const ACTIVITIES = readFileSync(path.join(ROOT, "snapshots/sample/activities.csv"), "utf8").split("\n").slice(0, 40).join("\n");
const MANIFEST = "as_of: 2027-03-15T21:00:00Z\nsource: fuzz\n";

/** Damage to a text: at a place (a fraction of its length), insert, delete or repeat. */
type Edit = { at: number; kind: "insert"; text: string } | { at: number; kind: "delete"; length: number } | { at: number; kind: "repeat"; length: number; times: number };

function applyEdits(text: string, edits: readonly Edit[]): string {
  let out = text;
  for (const edit of edits) {
    const i = Math.floor(edit.at * out.length);
    if (edit.kind === "insert") out = out.slice(0, i) + edit.text + out.slice(i);
    else if (edit.kind === "delete") out = out.slice(0, i) + out.slice(i + edit.length);
    else out = out.slice(0, i) + out.slice(i, i + edit.length).repeat(edit.times) + out.slice(i + edit.length);
  }
  return out;
}

function editsOf(pieces: fc.Arbitrary<string>): fc.Arbitrary<Edit[]> {
  const at = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
  const edit: fc.Arbitrary<Edit> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ at, kind: fc.constant("insert" as const), text: pieces }) },
    { weight: 2, arbitrary: fc.record({ at, kind: fc.constant("delete" as const), length: fc.nat({ max: 200 }) }) },
    { weight: 1, arbitrary: fc.record({ at, kind: fc.constant("repeat" as const), length: fc.integer({ min: 1, max: 40 }), times: fc.integer({ min: 2, max: 300 }) }) },
  );
  return fc.array(edit, { minLength: 1, maxLength: 6 });
}

const hostile = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
  fc.constantFrom("\u0000", "\uFEFF", "\r", "\n", "\r\n", "\t", "§", "\u202E", "\uD800", "\x1b[2J", "💥"),
  fc.integer({ min: 1, max: 400 }).map((n) => "(".repeat(n)),
  fc.integer({ min: 1, max: 400 }).map((n) => "not ".repeat(n)),
  fc.integer({ min: 1, max: 2000 }).map((n) => "x".repeat(n)),
);
const policyPieces = fc.oneof(
  hostile,
  fc.constantFrom("{", "}", "(", ")", "[", "]", '"', ",", "->", "%", "@", "#", "lead", "sla", "goal", "when", "and", "or", "not", "in", "is set", "within", "business", "hours", "on", "per", "by", "1e400", "99999999999999999999", "2026-02-30", "25:00", "-5", "0%", "120%", "_"),
);
const csvPieces = fc.oneof(
  hostile,
  fc.constantFrom('"', '""', ",", ";", "\n", "\r\n", "1e400", "-0", "NaN", "9999-12-31 00:00", "2026-11-02T09:15:00+99:99", "true", "yes", "{}", "null", "L00001"),
);
const yamlPieces = fc.oneof(
  hostile,
  fc.constantFrom(":", "- ", "&a ", "*a", "!!js/function 'x'", "!!binary", "? ", "{", "[", "|", ">", "'", '"', "as_of: ", "2026-13-45", "1e400", "~", "<<: *a", "\n  ", "---\n", "...\n", "%YAML 1.2\n"),
);

let work: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => {
  work = await tempDir();
});
afterAll(async () => {
  await work.cleanup();
});
let runs = 0;

/** A fresh folder under the test's temporary directory. */
async function folder(): Promise<string> {
  const dir = path.join(work.dir, String(runs++));
  await mkdir(dir, { recursive: true });
  return dir;
}

function expectHandled(result: { code: number; stdout: string; stderr: string }): void {
  expect([0, 1, 2]).toContain(result.code);
  expect(result.stderr).not.toContain("internal error");
  expect(result.stdout).not.toContain("internal error");
}

describe("fuzzing the CLI's inputs: exit 0, 1 or 2, never an internal error", () => {
  it("policy text: validate, fmt --check and eval", async () => {
    await fc.assert(
      fc.asyncProperty(editsOf(policyPieces), async (edits) => {
        const dir = await folder();
        await mkdir(path.join(dir, "policies"));
        await writeFile(path.join(dir, "policies/p.policy"), applyEdits(POLICY, edits));
        expectHandled(await runCli(["validate", "policies"], { cwd: dir }));
        expectHandled(await runCli(["fmt", "--check", "policies"], { cwd: dir }));
        expectHandled(await runCli(["eval", "--policies", "policies", "--snapshot", path.join(ROOT, "snapshots/sample")], { cwd: dir }));
      }),
      { numRuns: 40 },
    );
  }, 300_000);

  it("CSV snapshots (as bytes, so not always UTF-8)", async () => {
    const bytes = fc.oneof(fc.constant(Buffer.alloc(0)), fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)));
    await fc.assert(
      fc.asyncProperty(editsOf(csvPieces), editsOf(csvPieces), bytes, async (leadEdits, activityEdits, raw) => {
        const dir = await folder();
        const leads = applyEdits(LEADS, leadEdits);
        const cut = Math.floor(leads.length / 2);
        await writeFile(path.join(dir, "leads.csv"), Buffer.concat([Buffer.from(leads.slice(0, cut)), raw, Buffer.from(leads.slice(cut))]));
        await writeFile(path.join(dir, "activities.csv"), applyEdits(ACTIVITIES, activityEdits));
        await writeFile(path.join(dir, "snapshot.yaml"), MANIFEST);
        expectHandled(await runCli(["eval", "--snapshot", dir, "--policies", path.join(ROOT, "policies"), "--max-rejected", "100%"]));
        expectHandled(await runCli(["explain", "--snapshot", dir, "--policies", path.join(ROOT, "policies"), "--lead", "L00001"]));
      }),
      { numRuns: 40 },
    );
  }, 300_000);

  it("the YAML manifest (snapshot.yaml)", async () => {
    await fc.assert(
      fc.asyncProperty(editsOf(yamlPieces), async (edits) => {
        const dir = await folder();
        await writeFile(path.join(dir, "leads.csv"), LEADS);
        await writeFile(path.join(dir, "snapshot.yaml"), applyEdits(MANIFEST, edits));
        expectHandled(await runCli(["eval", "--snapshot", dir, "--policies", path.join(ROOT, "policies")]));
      }),
      { numRuns: 40 },
    );
  }, 300_000);

  it("a policy's tests (*.test.yaml)", async () => {
    const tests = readFileSync(path.join(ROOT, "policies/leads.test.yaml"), "utf8");
    await fc.assert(
      fc.asyncProperty(editsOf(yamlPieces), async (edits) => {
        const dir = await folder();
        await mkdir(path.join(dir, "policies"));
        for (const f of POLICY_FILES) await writeFile(path.join(dir, "policies", f), readFileSync(path.join(ROOT, "policies", f)));
        await writeFile(path.join(dir, "policies/leads.test.yaml"), applyEdits(tests, edits));
        expectHandled(await runCli(["test", "policies"], { cwd: dir }));
      }),
      { numRuns: 30 },
    );
  }, 300_000);
});

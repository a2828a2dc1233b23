import path from "node:path";
import { buildPlan } from "../../engine/plan.js";
import { createMasker, piiFieldsOf } from "../../report/mask.js";
import { renderTestJson, renderTestJunit, renderTestText } from "../../report/test-results.js";
import { findTestFiles, loadTestFile, TEST_SCHEMA_URL, testVocabulary, type TestFile } from "../../testing/load.js";
import { PolicyTestRunner, type TestOutcome } from "../../testing/run.js";
import { EXIT, UsageError, type ExitCode } from "../exit-codes.js";
import { useColor, type CliIO } from "../io.js";
import { loadValidPolicy } from "../load-policy.js";
import { asGiven, shownUnder } from "../paths.js";
import { describeFsError } from "../policy-loader.js";

export interface TestOptions {
  format: string;
  coverage?: boolean;
  policies?: string;
  /** Only tests whose name contains this (any case). */
  run?: string;
  showPii?: boolean;
}

/** `test [DIR]`: the policy's own tests, `*.test.yaml` beside the policies. */
export async function testCommand(io: CliIO, dir: string, options: TestOptions): Promise<ExitCode> {
  if (!["text", "junit", "json"].includes(options.format)) throw new UsageError(`--format must be text, junit or json, not '${options.format}'`);
  const policiesDir = options.policies ?? dir;
  const policy = await loadValidPolicy(io, policiesDir);
  if (!policy) return EXIT.invalid;
  const plan = buildPlan(policy.analyzed.symbols);
  const absolute = path.resolve(io.cwd, dir);
  const paths = await findTestFiles(absolute).catch((error: unknown) => {
    throw new UsageError(`cannot read '${asGiven(dir)}': ${describeFsError(error)}`);
  });
  if (paths.length === 0) {
    io.stderr(`no *.test.yaml files under '${dir}'; see docs/testing.md for how to write one\n`);
    return EXIT.invalid;
  }
  const files: TestFile[] = [];
  let broken = false;
  const vocabulary = testVocabulary(plan);
  for (const p of paths) {
    const shown = shownUnder(dir, absolute, p);
    const loaded = await loadTestFile(p, shown, vocabulary);
    if (Array.isArray(loaded)) {
      broken = true;
      for (const problem of loaded) io.stderr(`${problem.file}:${problem.line}: error: ${problem.message}\n`);
    } else files.push(loaded);
  }
  if (broken) {
    io.stderr(`the test files above are not valid; their schema: ${TEST_SCHEMA_URL} (print it with 'smarketing-policy schema --tests')\n`);
    return EXIT.invalid;
  }
  const selected = options.run === undefined ? files : matching(files, options.run);
  if (selected.every((f) => f.tests.length === 0)) {
    const names = files.flatMap((f) => f.tests.map((t) => `  ${t.name}`));
    const more = names.length > 20 ? `\n  … and ${names.length - 20} more` : "";
    io.stderr(`--run: no test name contains '${options.run}'; the tests are:\n${names.slice(0, 20).join("\n")}${more}\n`);
    return EXIT.invalid;
  }
  // Test files hold realistic leads: their names, ids and group values are masked like a report's.
  const masker = createMasker(piiFieldsOf(plan), options.showPii === true);
  const runner = new PolicyTestRunner(plan, masker.group);
  const outcomes: TestOutcome[] = [];
  for (const file of selected) outcomes.push(...(await runner.runFile(file)));
  const run = masker.deep({ outcomes, coverage: options.coverage ? runner.coverage() : undefined });
  io.stdout(options.format === "junit" ? renderTestJunit(run) : options.format === "json" ? renderTestJson(run) : renderTestText(run, { color: useColor(io) }));
  return outcomes.every((o) => o.passed) ? EXIT.ok : EXIT.failed;
}

/** `--run PATTERN`: the tests whose name contains it, in any case (a plain substring: names have brackets and dots). */
function matching(files: readonly TestFile[], pattern: string): TestFile[] {
  const wanted = pattern.toLowerCase();
  return files.map((f) => ({ ...f, tests: f.tests.filter((t) => t.name.toLowerCase().includes(wanted)) }));
}

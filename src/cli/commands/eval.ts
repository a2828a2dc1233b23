import { closeSync, openSync, writeSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { warningText, withRejectedInput, type EvaluationWarning, type FailOn } from "../../engine/assemble.js";
import { evaluate, type RunOptions } from "../../engine/evaluate.js";
import type { LeadRow } from "../../engine/evaluator.js";
import { buildPlan, type EvalPlan } from "../../engine/plan.js";
import type { EvaluationResult } from "../../engine/result.js";
import type { PolicyVersion } from "../../engine/versions.js";
import { renderDiagnosticsText } from "../../report/diagnostics-text.js";
import { didYouMean } from "../../lang/suggest.js";
import type { BaselineComparison, PreviousReport } from "../../report/baseline.js";
import { renderJsonChunks } from "../../report/json.js";
import { renderJunit } from "../../report/junit.js";
import { renderMarkdown } from "../../report/markdown.js";
import { csvChunks, csvMasking } from "../../report/csv.js";
import { visible } from "../../report/escape.js";
import { createMasker, piiFieldsOf } from "../../report/mask.js";
import { LEADS_KEPT_FOR_PEOPLE } from "../../report/format-values.js";
import { plural } from "../../engine/plural.js";
import { rowsReadForRejects, rowsRejected } from "../../engine/result.js";
import { restOfRows } from "../../report/not-used.js";
import { renderText } from "../../report/text.js";
import type { SnapshotSource } from "../../engine/source.js";
import { autoPicksDuckDb } from "../../snapshot/engine-choice.js";
import { FolderSource, readySecondThread, type FolderOptions } from "../../snapshot/load.js";
import type { ConversionThread } from "../../snapshot/parallel.js";
import { EXIT, UsageError, type ExitCode } from "../exit-codes.js";
import { useColor, type CliIO } from "../io.js";
import { loadValidPolicy, policyHash } from "../load-policy.js";
import { asGiven, makeFolder } from "../paths.js";
import { progressBar } from "../progress.js";
import { RejectsFile } from "../rejects-file.js";
import { describeFsError, loadPolicySources } from "../policy-loader.js";
import { locateSnapshot, rejectsExceed, type SnapshotLocation } from "../snapshot-options.js";
import { TOOL } from "../tool-info.js";

export interface EvalOptions {
  snapshot: string;
  policies: string;
  format: string;
  output?: string;
  asOf?: string;
  failOn: string;
  groupBy?: string;
  maxRejected: string;
  showPii?: boolean;
  baseline?: string;
  threads: string;
  leads?: string;
  engine: string;
  rejects?: string;
  /** `git`: judge each period and lead by the committed version in force then (engine/versions.ts). */
  versions?: string;
}

const FORMATS = ["text", "json", "markdown", "junit", "html", "csv"] as const;
function leadsPerResult(format: string, leads: string | undefined): number {
  if (leads !== undefined) {
    if (!/^\d+$/.test(leads)) throw new UsageError(`--leads must be a whole number of leads to list per result, not '${leads}'`);
    return Number(leads);
  }
  if (format === "json") return Infinity;
  // The CSV has a row per lead of its own: the report behind it lists none.
  return format === "csv" ? 0 : LEADS_KEPT_FOR_PEOPLE;
}

const REJECTS_ON_STDERR = 20;
const THREADS: Readonly<Record<string, FolderOptions["threads"]>> = { "1": "one", "2": "two", auto: "auto" };
const ENGINES = ["auto", "memory", "duckdb", "postgres"] as const;

/**
 * The source of a run: the file reader (in memory, one thread or two), embedded DuckDB
 * (Parquet, and large text files), or the database tables snapshot.yaml names
 * (docs/engines.md). All give the same report.
 */
async function openSource(engine: string, where: SnapshotLocation, env: CliIO["env"], options: FolderOptions): Promise<SnapshotSource> {
  if (!(ENGINES as readonly string[]).includes(engine)) throw new UsageError(`--engine must be one of ${ENGINES.join(", ")}, not '${engine}'`);
  const { dir, shown, database } = where;
  if (database) {
    if (engine !== "auto" && engine !== database.engine) {
      throw new UsageError(`--engine ${engine}: ${shown}/snapshot.yaml names ${database.engine} tables (source:), which the ${database.engine} engine reads: drop --engine`);
    }
    options.secondThread?.dispose();
    return (await import("../../snapshot/database.js")).openDatabaseSource(database, dir, shown, env);
  }
  if (engine === "postgres") throw new UsageError(`--engine postgres reads the tables a snapshot.yaml names (source: engine: postgres), and ${shown}/snapshot.yaml names none`);
  if (engine === "duckdb" || (engine === "auto" && (await autoPicksDuckDb(dir)))) {
    options.secondThread?.dispose();
    return (await import("../../snapshot/duckdb-source.js")).DuckDbSource.open(dir, shown);
  }
  return FolderSource.open(dir, shown, options);
}

/**
 * Writes the report to standard output, or to --output, making its folder first (as `tsc
 * --outDir` does) and writing chunk by chunk, waiting for the disk when it falls behind (a
 * million-lead CSV is never held whole). A file that cannot be written is a usage error.
 */
async function writeReport(io: CliIO, output: string | undefined, chunks: Iterable<string>): Promise<void> {
  if (output === undefined) {
    for (const chunk of chunks) io.stdout(chunk);
    return;
  }
  const target = path.resolve(io.cwd, output);
  try {
    makeFolder(path.dirname(target));
    writeChunksTo(target, chunks);
  } catch (error) {
    throw new UsageError(`--output: cannot write '${asGiven(output)}': ${describeFsError(error)}`);
  }
  io.stderr(`wrote ${asGiven(output)}\n`);
}

/**
 * Written synchronously, a piece at a time: a stream waited for "drain" after every 64 KiB piece,
 * some 200 turns of the event loop for a million leads' report, each idle while a pool thread
 * wrote (bench/README.md).
 */
function writeChunksTo(target: string, chunks: Iterable<string>): void {
  const fd = openSync(target, "w");
  try {
    for (const chunk of chunks) {
      const bytes = Buffer.from(chunk, "utf8");
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
    }
  } finally {
    closeSync(fd);
  }
}

export async function render(
  result: EvaluationResult,
  format: string,
  io: CliIO,
  toFile: boolean,
  extra: { baseline?: BaselineComparison | undefined; command?: { snapshot: string; policies: string } } = {},
): Promise<readonly string[] | Generator<string>> {
  switch (format) {
    case "json":
      return renderJsonChunks(result, TOOL);
    case "markdown":
      return [renderMarkdown(result, { command: extra.command })];
    case "junit":
      return [renderJunit(result)];
    case "html":
      // Loaded only when asked for: the dashboard's module costs every other run 13-16 ms at start-up.
      return [(await import("../../report/html.js")).renderHtml(result, { baseline: extra.baseline, command: extra.command })];
    default:
      return [renderText(result, { color: !toFile && useColor(io), command: extra.command })];
  }
}

/** The previous report for --baseline, or null after saying on stderr why it cannot be read. */
async function readBaseline(io: CliIO, file: string): Promise<PreviousReport | null> {
  let text: string;
  try {
    text = await readFile(path.resolve(io.cwd, file), "utf8");
  } catch (error) {
    io.stderr(`${file}: error: --baseline: cannot read the file (${(error as NodeJS.ErrnoException).code ?? "unreadable"})\n`);
    return null;
  }
  const parsed = (await import("../../report/baseline.js")).parseBaseline(text);
  if (!parsed.ok) {
    io.stderr(`${file}: error: --baseline: ${parsed.reason}\n`);
    return null;
  }
  return parsed.report;
}

export async function evalCommand(io: CliIO, options: EvalOptions): Promise<ExitCode> {
  if (!(FORMATS as readonly string[]).includes(options.format)) {
    throw new UsageError(`--format must be one of ${FORMATS.join(", ")}, not '${options.format}'`);
  }
  if (!["hard", "soft", "never"].includes(options.failOn)) {
    throw new UsageError(`--fail-on must be hard, soft or never, not '${options.failOn}'`);
  }
  rejectsExceed(options.maxRejected, 0, 1);
  if (options.baseline !== undefined && options.format !== "html") {
    throw new UsageError(`--baseline is read by the dashboard only: add --format html (not ${options.format})`);
  }
  leadsPerResult(options.format, options.leads);
  const threads = Object.hasOwn(THREADS, options.threads) ? THREADS[options.threads] : undefined;
  if (!threads) {
    // The default comes from the environment: say so, or the user looks for a flag they never gave.
    const fromEnvironment = io.env["SMARKETING_POLICY_THREADS"] === options.threads ? " (from SMARKETING_POLICY_THREADS)" : "";
    throw new UsageError(`--threads must be 1, 2 or auto, not '${options.threads}'${fromEnvironment}`);
  }
  const secondThread = await readySecondThread(path.resolve(io.cwd, options.snapshot), threads);
  try {
    return await evalWith(io, options, threads, secondThread);
  } finally {
    secondThread?.dispose();
  }
}

/**
 * The agreement to judge with: the working tree's policy set, or with `--versions git` every
 * committed version (cli/versions.ts), the newest one's plan standing for the set (snapshot
 * location, personal fields, the CSV's groups). Undefined, after saying why, when there is none.
 */
async function policiesFor(io: CliIO, options: EvalOptions): Promise<{ plan: EvalPlan; hash: string; versions?: { list: PolicyVersion[]; warnings: EvaluationWarning[] } } | undefined> {
  const groupBy = options.groupBy?.split(",").map((s) => s.trim()).filter(Boolean);
  if (options.versions !== undefined) {
    if (options.versions !== "git") throw new UsageError(`--versions must be 'git' (the commits of the policy folder), not '${options.versions}'`);
    const { loadVersions } = await import("../versions.js");
    const loaded = await loadVersions(io.cwd, options.policies, groupBy);
    const sources = new Map<string, string>();
    if (loaded.diagnostics.length > 0) io.stderr(renderDiagnosticsText(loaded.diagnostics, { color: useColor(io, "stderr"), sources }));
    const newest = loaded.versions.at(-1);
    if (newest === undefined) {
      io.stderr(`error: --versions git: no committed version of '${asGiven(options.policies)}' checks; fix the newest and commit it\n`);
      return undefined;
    }
    const working = await loadPolicySources(io.cwd, options.policies);
    if (policyHash(working.sources) !== loaded.newestHash) io.stderr(`note: '${asGiven(options.policies)}' has changes not committed; --versions git judges with the committed versions only\n`);
    const warnings = loaded.diagnostics.map((d): EvaluationWarning => ({ code: d.code, severity: "warning", message: d.message }));
    return { plan: newest.plan, hash: newest.hash, versions: { list: loaded.versions, warnings } };
  }
  const policy = await loadValidPolicy(io, options.policies);
  if (!policy) return undefined;
  const symbols = policy.analyzed.symbols;
  for (const field of groupBy ?? []) {
    if (!symbols.fields.has(field)) {
      throw new UsageError(`--group-by: unknown field '${field}'${didYouMean(field, symbols.fields.keys())}`);
    }
  }
  return { plan: buildPlan(symbols, { groupBy }), hash: policy.hash };
}

/** Evaluates with one plan, or with every version over the time it was in force. */
async function judge(
  policy: NonNullable<Awaited<ReturnType<typeof policiesFor>>>,
  source: SnapshotSource,
  options: RunOptions & { failOn: FailOn },
): Promise<{ result: EvaluationResult; leadRows: Iterable<LeadRow>; warnings: EvaluationWarning[] }> {
  if (policy.versions === undefined) {
    const { result, run, warnings } = await evaluate(policy, source, options);
    return { result, leadRows: run.leadRows, warnings };
  }
  const { evaluateVersions } = await import("../../engine/versions.js");
  const evaluated = await evaluateVersions(policy.versions.list, source, options);
  const versionWarnings = policy.versions.warnings;
  // The versions left out are said in the report too: a reader must know which agreement judged.
  const result = { ...evaluated.result, notes: [...evaluated.result.notes, ...versionWarnings.map(warningText)] };
  // On stderr they were said with their place, by policiesFor.
  return { ...evaluated, result };
}

async function evalWith(io: CliIO, options: EvalOptions, threads: FolderOptions["threads"], secondThread: ConversionThread | undefined): Promise<ExitCode> {
  const policy = await policiesFor(io, options);
  if (!policy) return EXIT.invalid;
  // Read before the snapshot, so a wrong path fails in a second rather than after the whole run.
  const previous = options.baseline === undefined ? undefined : await readBaseline(io, options.baseline);
  if (previous === null) return EXIT.invalid;
  const plan = policy.plan;

  const where = await locateSnapshot(io, options.snapshot, options.asOf, plan);
  // A thread started early serves one pass; with --versions each version's pass starts its own.
  const early = policy.versions === undefined ? secondThread : undefined;
  const source = await openSource(options.engine, where, io.env, { onProgress: progressBar(io), threads, secondThread: early });
  const rowsNotUsed = options.rejects === undefined ? undefined : new RejectsFile(io.cwd, options.rejects, options.showPii === true);
  let evaluated;
  try {
    evaluated = await judge(policy, source, {
      asOf: where.asOf,
      failOn: options.failOn as FailOn,
      leadsPerResult: leadsPerResult(options.format, options.leads),
      keepLeadRows: options.format === "csv",
      rowsNotUsed,
    });
  } finally {
    rowsNotUsed?.close();
  }
  const { result, leadRows, warnings } = evaluated;
  if (rowsNotUsed) io.stderr(`wrote ${rowsNotUsed.name}\n`);

  // One status: rejected input fails the run (exit 2), so the report's headline says so first.
  // Unmatched activities are not rejects (SPEC §8.2): they neither count here nor fail the run.
  const read = rowsReadForRejects(result.input);
  const rejectedInput = rejectsExceed(options.maxRejected, rowsRejected(result.input), read);
  const judged = rejectedInput ? withRejectedInput(result, options.maxRejected) : result;
  const pii = new Set(piiFieldsOf(plan));
  // One masker for the report and its CSV: the same personal value gets the same pseudonym in both.
  const masker = createMasker(pii, options.showPii === true);
  const shown = masker.result(judged);
  // Only the titles of SLAs gone since are printed from the previous report; they are masked like the rest.
  const previousShown = previous && { ...previous, slas: previous.slas.map((s) => ({ ...s, title: s.title === null ? null : masker.text(s.title) })) };
  const baseline = previousShown && (await import("../../report/baseline.js")).compareReports(shown, previousShown, pii);
  if (options.format === "csv") {
    const bySla = new Map(plan.slas.map((s) => [s.id, s.by.map((f) => f.name)]));
    await writeReport(io, options.output, csvChunks(leadRows, csvMasking(masker, bySla)));
  } else {
    await writeReport(io, options.output, await render(shown, options.format, io, options.output !== undefined, { baseline, command: { snapshot: options.snapshot, policies: options.policies } }));
  }

  const rejects = shown.input.rejects;
  const rejected = rowsRejected(shown.input);
  if (rejected > 0 && (options.format !== "text" || options.output)) {
    io.stderr(`${plural(rejected, "row")} rejected:\n`);
    for (const r of rejects.slice(0, REJECTS_ON_STDERR)) io.stderr(`  ${visible(r.file)}:${r.line}: ${visible(r.reason)}\n`);
    if (rejected > REJECTS_ON_STDERR) io.stderr(`  ${visible(restOfRows(shown.input, rejected - Math.min(REJECTS_ON_STDERR, rejects.length)))}\n`);
  }
  for (const w of warnings) io.stderr(`${visible(masker.text(warningText(w)))}\n`);
  if (rejectedInput) {
    io.stderr(
      `error: ${rejected} of ${read} rows were rejected, more than --max-rejected ${options.maxRejected} allows; fix the export or raise the limit\n`,
    );
    return EXIT.invalid;
  }
  return shown.summary.failing.length > 0 ? EXIT.failed : EXIT.ok;
}

import { Command, CommanderError, Option } from "commander";
import type { DiffOptions } from "./commands/diff.js";
import type { EvalOptions } from "./commands/eval.js";
import type { ExplainOptions } from "./commands/explain.js";
import type { TestOptions } from "./commands/test.js";
import { GitHubContextError } from "../github/context.js";
import { visible } from "../report/escape.js";
import { SnapshotError } from "../snapshot/error.js";
import { EXIT, UsageError, type ExitCode } from "./exit-codes.js";
import { COMMAND_HELP, helpFooter, PROGRAM_HELP } from "./help.js";
import { useColor, type CliIO } from "./io.js";
import { TOOL } from "./tool-info.js";

const REQUIRED = new WeakSet<Option>();

/** An option the command cannot run without; checked in run()'s preAction hook. */
function required(flags: string, description: string): Option {
  const option = new Option(flags, `${description} (required)`);
  REQUIRED.add(option);
  return option;
}

/**
 * Runs one command line and returns its exit code. Never throws and never prints a stack
 * trace: a usage mistake or an unexpected failure ends with a message and exit 2.
 * Each command's module is imported when that command runs, so `validate` in a pre-commit hook
 * does not pay for Octokit, ajv or the report renderers.
 */
export async function run(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  let exitCode: ExitCode = EXIT.ok;
  const done: Done = (code) => {
    exitCode = code;
  };
  const program = newProgram(io);
  // In the order --help lists them.
  addPolicyCommands(program, io, done);
  addEvalCommand(program, io, done);
  addTestingCommands(program, io, done);
  const github = addWorkflowCommands(program, io, done);
  addSetupCommands(program, io, done);

  // Every command's --help ends with an example and its exit codes.
  for (const command of [...program.commands, ...github.commands]) {
    const help = COMMAND_HELP[command.name()];
    if (help) command.addHelpText("after", helpFooter(help));
  }
  // Required options are checked after unknown ones: `eval --snapshto x` should hear "did you mean
  // --snapshot?", not only that --snapshot is missing (commander checks mandatory options first).
  program.hook("preAction", (_program, command) => {
    for (const option of command.options) {
      if (REQUIRED.has(option) && command.getOptionValue(option.attributeName()) === undefined) {
        command.error(`error: required option '${option.flags}' not specified`, { code: "commander.missingMandatoryOptionValue" });
      }
    }
  });

  try {
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    return exitCodeOf(error, io);
  }
}

/** How a command that threw ends: a message a user can act on, and exit 2. */
function exitCodeOf(error: unknown, io: CliIO): ExitCode {
  if (error instanceof CommanderError) {
    // --help and --version end here too, successfully.
    return error.exitCode === 0 ? EXIT.ok : EXIT.invalid;
  }
  if (error instanceof UsageError || error instanceof GitHubContextError) {
    io.stderr(`smarketing-policy: ${visible(error.message)}\n`);
    return EXIT.invalid;
  }
  if (error instanceof SnapshotError) {
    // A snapshot error may quote a file name or a value: shown, never obeyed, by a terminal.
    io.stderr(`${visible(error.toText())}\n`);
    return EXIT.invalid;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(`smarketing-policy: internal error: ${visible(message)}\nPlease report this with the command you ran.\n`);
  if (io.env["SMARKETING_DEBUG"]) io.stderr(`${error instanceof Error ? error.stack : ""}\n`);
  return EXIT.invalid;
}

/** Records a command's exit code (commander's actions return nothing). */
type Done = (code: ExitCode) => void;

function newProgram(io: CliIO): Command {
  return new Command("smarketing-policy")
    .description("The sales–marketing agreement as code: lead definitions, SLAs and goals, checked in CI.")
    .version(TOOL.version)
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      // Help is laid out for the terminal it is shown on, and for 80 columns anywhere else (pipes, tests).
      getOutHelpWidth: () => (io.stdoutIsTTY ? (process.stdout.columns ?? 80) : 80),
      getErrHelpWidth: () => (io.stderrIsTTY ? (process.stderr.columns ?? 80) : 80),
      getOutHasColors: () => useColor(io, "stdout"),
      getErrHasColors: () => useColor(io, "stderr"),
    });
}

/** Writing policies: validate, describe, lsp, fmt. */
function addPolicyCommands(program: Command, io: CliIO, done: Done): void {
  program
    .command("validate")
    .description("parse and check a policy set, and print its diagnostics")
    .argument("[dir]", "folder of *.policy files", "policies")
    .option("--strict", "treat warnings as errors")
    .option("--format <format>", "text, json or sarif", "text")
    .action(async (dir: string, options: { strict?: boolean; format?: string }) => {
      done(await (await import("./commands/validate.js")).validateCommand(io, dir, options));
    });

  program
    .command("describe")
    .description("the agreement in plain sentences, grouped by party, for people who do not read the language")
    .argument("[dir]", "folder of *.policy files", "policies")
    .option("--format <format>", "markdown, text or json", "markdown")
    .action(async (dir: string, options: { format?: string }) => {
      done(await (await import("./commands/describe.js")).describeCommand(io, dir, options));
    });

  program
    .command("lsp")
    .description("the language server for editors: diagnostics, hover, completion, definitions, rename, formatting")
    .option("--stdio", "speak the Language Server Protocol over standard input and output")
    .action(async (options: { stdio?: boolean }) => {
      done(await (await import("./commands/lsp.js")).lspCommand(io, options));
    });

  program
    .command("fmt")
    .description("rewrite policy files in the canonical layout (in place, unless --check, --diff or -l)")
    .argument("[paths...]", "files or folders; '-' formats standard input to standard output")
    .option("--check", "change nothing; exit 1 and name the files that are not formatted")
    .option("--diff", "change nothing; print a unified diff of what would change")
    .option("-l, --list", "change nothing; print the names of files that would change")
    .action(async (paths: string[], options: { check?: boolean; diff?: boolean; list?: boolean }) => {
      done(await (await import("./commands/fmt.js")).fmtCommand(io, paths, options));
    });
}

function addEvalCommand(program: Command, io: CliIO, done: Done): void {
  program
    .command("eval")
    .description("evaluate a CRM snapshot against the agreement and report compliance")
    .addOption(required("--snapshot <dir>", "snapshot folder: leads.csv|ndjson|json, activities.*, snapshot.yaml"))
    .option("--policies <dir>", "folder of *.policy files", "policies")
    .option("--format <format>", "text, json, markdown, junit, html or csv (one row per judged lead and SLA)", "text")
    .option("--output <file>", "write the report to a file instead of standard output")
    .option("--as-of <instant>", "when the export was taken (overrides snapshot.yaml), e.g. 2026-11-22T18:00:00Z")
    .option("--fail-on <severity>", "hard: breached hard SLAs fail the run; soft: hard and soft; never", "hard")
    .option("--group-by <fields>", "report every SLA and goal by these fields instead of their own 'by' (comma-separated)")
    .option("--max-rejected <limit>", "rejected rows allowed before the run fails: a number or a percentage", "0")
    .option("--rejects <file>", "write every row not used (rejected, duplicate id, unmatched activity) to this CSV file: file,line,reason")
    .option("--show-pii", "show personal fields (marked pii) and e-mail addresses in the report")
    .option("--baseline <file>", "html: an earlier JSON report of this agreement; the dashboard adds what changed since")
    .option("--leads <n>", "list the first N breached and pending leads per result (JSON default: all; text, markdown, html: 20 kept, a few shown)")
    .option("--threads <n>", "1, 2 or auto: read large CSV files on two threads (auto: snapshots of 64 MiB or more, on two cores or more)", io.env.SMARKETING_POLICY_THREADS ?? "auto")
    .option("--engine <name>", "auto, memory, duckdb or postgres: what reads and judges the snapshot (auto: the tables snapshot.yaml names in source:, else duckdb for Parquet files, the file reader for text files)", "auto")
    .option("--versions <source>", "git: judge each lead and period by the version of the agreement in force then (every commit of --policies on this branch)")
    .action(async (options: EvalOptions) => {
      done(await (await import("./commands/eval.js")).evalCommand(io, options));
    });
}

/** Trying policies out: test, explain, diff. */
function addTestingCommands(program: Command, io: CliIO, done: Done): void {
  program
    .command("test")
    .description("run the policy's own tests (*.test.yaml beside the policies)")
    .argument("[dir]", "folder with the test files (and, by default, the policies)", "policies")
    .option("--policies <dir>", "folder of *.policy files (default: the test folder)")
    .option("--format <format>", "text, junit or json", "text")
    .option("--coverage", "list the definitions, conditions and SLAs no test exercised")
    .option("--show-pii", "show personal fields (marked pii) and e-mail addresses in the results")
    .option("--run <pattern>", "run only the tests whose name contains this text (any case)")
    .action(async (dir: string, options: TestOptions) => {
      done(await (await import("./commands/test.js")).testCommand(io, dir, options));
    });

  program
    .command("explain")
    .description("why a lead is or is not each definition, and its outcome under each SLA, step by step")
    .addOption(required("--snapshot <dir>", "snapshot folder"))
    .addOption(required("--lead <id>", "the lead's id"))
    .option("--policies <dir>", "folder of *.policy files", "policies")
    .option("--as-of <instant>", "when the export was taken (overrides snapshot.yaml)")
    .option("--format <format>", "text or json", "text")
    .option("--show-pii", "show personal fields (marked pii) and e-mail addresses")
    .option("--versions <source>", "git: explain each SLA by the committed version of the agreement in force at the lead's clock start")
    .action(async (options: ExplainOptions) => {
      done(await (await import("./commands/explain.js")).explainCommand(io, options));
    });

  program
    .command("diff")
    .description("what changed between two versions of the policy set, in words, and its impact on a snapshot")
    .addOption(required("--base <ref>", "the version to compare from: a branch, tag or commit"))
    .option("--head <ref>", "the version to compare to (default: the working tree)")
    .option("--snapshot <dir>", "evaluate both versions on this snapshot and show the impact")
    .option("--policies <dir>", "folder of *.policy files", "policies")
    .option("--as-of <instant>", "when the export was taken (overrides snapshot.yaml)")
    .option("--format <format>", "text, markdown or json", "text")
    .option("--show-leads", "list the ids of leads that enter or leave each definition")
    .option("--show-pii", "show lead ids and values that are e-mail addresses")
    .action(async (options: DiffOptions) => {
      done(await (await import("./commands/diff.js")).diffCommand(io, options));
    });
}

/** The pull-request workflow: the `github` commands, latest-snapshot and codeowners. Returns the `github` group. */
function addWorkflowCommands(program: Command, io: CliIO, done: Done): Command {
  const github = program.command("github").description("the pull-request workflow on GitHub: sign-off, comments, checks");
  const githubOptions = (cmd: Command) =>
    cmd
      .option("--repo <owner/name>", "the repository (default: GITHUB_REPOSITORY)")
      .option("--pr <number>", "the pull request (default: from the workflow event)")
      .option("--policies <dir>", "folder of *.policy files", "policies")
      .option("--api-url <url>", "GitHub API (default: GITHUB_API_URL, or https://api.github.com)")
      .addOption(new Option("--retry-base <ms>").hideHelp());
  githubOptions(github.command("agreement"))
    .description("pass only when every party has approved the pull request's head commit; publishes a check run")
    .option("--name <name>", "the check run's name, which branch protection requires", "smarketing-policy/agreement")
    .action(async (options) => {
      done(await (await import("./commands/github.js")).githubAgreementCommand(io, options));
    });
  githubOptions(github.command("comment"))
    .description("one comment per pull request: the policy diff, its impact, validation and missing signatures")
    .option("--snapshot <dir>", "snapshot for the impact (default: the newest under snapshots/)")
    .option("--base <ref>", "compare with this ref (default: the pull request's base commit)")
    .option("--head <ref>", "read the proposed policy from this git ref instead of the working tree")
    .action(async (options) => {
      done(await (await import("./commands/github.js")).githubCommentCommand(io, options));
    });
  githubOptions(github.command("check"))
    .description("a check run with the compliance report and annotations on policy lines (or the job summary)")
    .option("--snapshot <dir>", "snapshot to evaluate (default: the newest under snapshots/)")
    .option("--name <name>", "the check run's name", "smarketing-policy compliance")
    .option("--sha <commit>", "the commit to attach it to (default: GITHUB_SHA)")
    .option("--as-of <instant>", "when the export was taken (overrides snapshot.yaml)")
    .option("--fail-on <severity>", "hard, soft or never", "hard")
    .action(async (options) => {
      done(await (await import("./commands/github.js")).githubCheckCommand(io, options));
    });

  github
    .command("summary")
    .description("append Markdown files to the job summary (GITHUB_STEP_SUMMARY), cut to GitHub's 1 MiB with a note pointing to the artifact")
    .argument("<files...>", "Markdown files, e.g. reports/compliance.md")
    .action(async (files: string[]) => {
      done(await (await import("./commands/github.js")).githubSummaryCommand(io, files));
    });

  program
    .command("latest-snapshot")
    .description("print the snapshot folder with the newest as_of (for workflows), and say on stderr which it chose")
    .argument("[root]", "folder of snapshot folders", "snapshots")
    .action(async (root: string) => {
      done(await (await import("./commands/latest-snapshot.js")).latestSnapshotCommand(io, root));
    });

  program
    .command("codeowners")
    .description("print CODEOWNERS lines so GitHub asks every party to review policy changes")
    .option("--policies <dir>", "folder of *.policy files", "policies")
    .action(async (options: { policies: string }) => {
      done(await (await import("./commands/github.js")).codeownersCommand(io, options));
    });
  return github;
}

function addSetupCommands(program: Command, io: CliIO, done: Done): void {
  program
    .command("init")
    .description("write a starter repository: agreement, tests, sample snapshot, workflows, CODEOWNERS, README")
    .argument("[dir]", "where to write it", ".")
    .option("--force", "overwrite files that already exist")
    .option("--crm <name>", "read this CRM's exports as it writes them: hubspot or salesforce (fields, formats and a sample export)")
    .action(async (dir: string, options: { force?: boolean; crm?: string }) => {
      done(await (await import("./commands/init.js")).initCommand(io, dir, options));
    });

  program
    .command("schema")
    .description("print the JSON Schema of a lead record under the policy's fields block, or of policy test files")
    .option("--policies <dir>", "folder of *.policy files", "policies")
    .option("--tests", "print the schema of *.test.yaml files instead (for an editor's YAML support)")
    .action(async (options: { policies?: string; tests?: boolean }) => {
      done(await (await import("./commands/schema.js")).schemaCommand(io, options));
    });

  program
    .command("sql")
    .description("print the agreement compiled to SQL for DuckDB or PostgreSQL, to review or schedule")
    .option("--policies <dir>", "folder of *.policy files", "policies")
    .option("--dialect <name>", "duckdb or postgres", "duckdb")
    .option("--sla <id...>", "only these SLAs' queries")
    .option("--as-of <time>", "the instant to judge at (ISO 8601; default: now)")
    .option("--leads-table <name>", "the table or view of leads", "leads")
    .option("--activities-table <name>", "the table or view of activities", "activities")
    .option("--days <n>", "days before as_of that business-hour calendars cover", "400")
    .action(async (options: import("./commands/sql.js").SqlOptions) => {
      done(await (await import("./commands/sql.js")).sqlCommand(io, options));
    });

  program.addHelpText("after", helpFooter(PROGRAM_HELP));
}

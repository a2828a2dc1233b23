/**
 * What `--help` of each command ends with: an example to copy and the exit codes (SPEC §5), so a
 * user reading the help for a CI script sees what 1 and 2 mean for that command.
 */
export interface CommandHelp {
  examples: readonly string[];
  exits: readonly string[];
}

const INVALID = "2  invalid policy, snapshot or usage";

/** The program's own --help: where to start, and the exit codes every command shares. */
export const PROGRAM_HELP: CommandHelp = {
  examples: [
    "smarketing-policy init my-agreement",
    "smarketing-policy validate policies",
    "smarketing-policy eval --snapshot snapshots/sample",
    "smarketing-policy eval --help   # each command's options, examples and exit codes",
  ],
  exits: ["0  success, or compliant", "1  an SLA breached or a policy test failed", INVALID],
};

export const COMMAND_HELP: Readonly<Record<string, CommandHelp>> = {
  validate: {
    examples: ["smarketing-policy validate policies", "smarketing-policy validate policies/slas.policy   # one file, checked with its folder"],
    exits: ["0  valid", "2  errors (or warnings, with --strict)"],
  },
  describe: {
    examples: ["smarketing-policy describe policies > AGREEMENT.md"],
    exits: ["0  described", "2  invalid policy or usage"],
  },
  lsp: {
    examples: ["smarketing-policy lsp --stdio   # started by an editor, not by hand"],
    exits: ["0  the editor closed the connection", "2  usage (without --stdio)"],
  },
  fmt: {
    examples: ["smarketing-policy fmt policies", "smarketing-policy fmt --diff policies   # show what would change", "smarketing-policy fmt -l policies       # list files that would change"],
    exits: ["0  formatted (or nothing to change)", "1  --check: some files are not formatted", "2  syntax errors, or a file cannot be read or written"],
  },
  eval: {
    examples: ["smarketing-policy eval --snapshot snapshots/2026-11-22", "smarketing-policy eval --snapshot snapshots/2026-11-22 --format html --output reports/compliance.html"],
    exits: ["0  compliant", "1  an SLA breached (hard ones by default; see --fail-on)", INVALID],
  },
  test: {
    examples: ["smarketing-policy test policies", "smarketing-policy test policies --run 'first touch'   # only tests whose name contains it"],
    exits: ["0  every test passed", "1  a test failed", "2  invalid policy or test file"],
  },
  explain: {
    examples: ["smarketing-policy explain --snapshot snapshots/2026-11-22 --lead L-1042"],
    exits: ["0  explained", INVALID + ", or no such lead"],
  },
  diff: {
    examples: ["smarketing-policy diff --base main", "smarketing-policy diff --base main --snapshot snapshots/2026-11-22 --format markdown"],
    exits: ["0  compared", "2  the head version is invalid, or usage"],
  },
  agreement: {
    examples: ["smarketing-policy github agreement --repo acme/revenue-policy --pr 42"],
    exits: ["0  every party approved the head commit", "1  a signature is missing", "2  usage, or GitHub could not be asked"],
  },
  comment: {
    examples: ["smarketing-policy github comment --repo acme/revenue-policy --pr 42"],
    exits: ["0  comment written (or the job summary)", "2  usage, or GitHub could not be asked"],
  },
  check: {
    examples: ["smarketing-policy github check --snapshot snapshots/2026-11-22"],
    exits: ["0  compliant", "1  an SLA breached", INVALID],
  },
  summary: {
    examples: ["smarketing-policy github summary reports/compliance.md   # in a workflow step"],
    exits: ["0  added to the job summary (cut at 1 MiB, pointing to the artifact)", "2  GITHUB_STEP_SUMMARY not set, or a file cannot be read"],
  },
  "latest-snapshot": {
    examples: ['snapshot="$(smarketing-policy latest-snapshot snapshots)"'],
    exits: ["0  printed the folder with the newest as_of", "2  no snapshot folder found"],
  },
  codeowners: {
    examples: ["smarketing-policy codeowners > .github/CODEOWNERS"],
    exits: ["0  printed", "2  invalid policy"],
  },
  init: {
    examples: ["smarketing-policy init revenue-policy", "smarketing-policy init --crm hubspot revenue-policy"],
    exits: ["0  written", "2  files already exist (use --force)"],
  },
  sql: {
    examples: ["smarketing-policy sql --dialect postgres --leads-table crm.leads --activities-table crm.activities", "smarketing-policy sql --sla first_touch --as-of 2027-03-15T21:00:00Z"],
    exits: ["0  printed", "2  invalid policy or option"],
  },
  schema: {
    examples: ["smarketing-policy schema --policies policies > lead.schema.json", "smarketing-policy schema --tests > policy-test.schema.json"],
    exits: ["0  printed", "2  invalid policy"],
  },
};

export function helpFooter(help: CommandHelp): string {
  return ["", "Examples:", ...help.examples.map((e) => `  $ ${e}`), "", "Exit codes:", ...help.exits.map((e) => `  ${e}`), ""].join("\n");
}

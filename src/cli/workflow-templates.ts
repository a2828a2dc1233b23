/**
 * The workflows of the pull-request sign-off and the compliance report: the ones this repository
 * runs (.github/workflows, checked equal to these by test/github/workflows.test.ts) and the ones
 * `init` writes. They differ only in how the tool is installed: this repository builds it from
 * its lockfile; a policy repository installs the package its package.json names.
 */

export type Install = "repository" | "package";

function setup(install: Install): string {
  return install === "repository"
    ? `      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
`
    : `      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm install --no-audit --no-fund
`;
}

/** File name under .github/workflows → content. */
export function workflows(install: Install): Record<string, string> {
  const s = setup(install);
  return {
    "policy.yml": `# The pull request is the agreement (SPEC §6): what a pull request that changes policies/ proposes.
#
# This workflow's definition comes from the pull request itself (pull_request events run the
# merge commit's workflow file), so it holds no write permission and no secret, and nothing it
# reports is a signature. The sign-off lives in signoff.yml, which runs from the default branch.
name: policy

on:
  pull_request:
    paths: ["policies/**"]

permissions: {}

jobs:
  check:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
          persist-credentials: false
${s}      - name: Validate the proposed policy
        run: npx smarketing-policy validate policies
      - name: Canonical layout
        run: npx smarketing-policy fmt --check policies
      - name: The policy's own tests
        run: npx smarketing-policy test policies
      - name: What changes, and its impact on the newest snapshot
        env:
          BASE_REF: \${{ github.base_ref }}
        run: |
          mkdir -p reports
          snapshot="$(npx smarketing-policy latest-snapshot snapshots || true)"
          npx smarketing-policy diff --base "origin/$BASE_REF" \${snapshot:+--snapshot "$snapshot"} --format markdown > reports/diff.md
          npx smarketing-policy github summary reports/diff.md
`,
    "policy-review.yml": `# A review was submitted, edited or dismissed: signoff.yml checks the signatures again.
#
# pull_request_review runs the workflow file of the pull request itself, so this one does
# nothing but exist: it holds no permission, runs no code, and its result means nothing.
# Its completion triggers signoff.yml (workflow_run), which always runs from the default branch.
name: policy review

on:
  pull_request_review:
    types: [submitted, edited, dismissed]

permissions: {}

jobs:
  relay:
    runs-on: ubuntu-latest
    steps:
      - name: Hand over to the sign-off on the default branch
        run: echo "A review changed; signoff.yml checks the agreement again."
`,
    "signoff.yml": `# The sign-off (SPEC §6): the signal branch protection requires. See docs/github.md.
#
# Every job here runs the default branch's definition of this file and the base branch's code:
# pull_request_target, workflow_run and workflow_dispatch never take the workflow or the code
# from the pull request. The pull request's policy files are read as data (git objects and the
# GitHub API), never run. With a GitHub App set up (docs/github.md), the agreement check run is
# created by the App, whose key only jobs on the default branch can read (the environment).
name: signoff

on:
  pull_request_target:
    types: [opened, synchronize, reopened, ready_for_review, edited]
  workflow_run:
    workflows: ["policy review"]
    types: [completed]
  workflow_dispatch:
    inputs:
      pr:
        description: The pull request to check again (its number)
        required: true

permissions: {}

jobs:
  comment:
    if: github.event_name == 'pull_request_target'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pull-requests: write
    steps:
      - name: Check out the base branch (trusted code only)
        uses: actions/checkout@v4
        with:
          ref: \${{ github.event.pull_request.base.sha }}
          fetch-depth: 0
          persist-credentials: false
${s}      - name: Fetch the pull request's commits as data (nothing from them is run)
        env:
          PR_NUMBER: \${{ github.event.pull_request.number }}
        run: git fetch --no-tags origin "+refs/pull/$PR_NUMBER/head:refs/remotes/pr/head"
      - name: Comment with the diff, its impact, validation and missing signatures
        env:
          BASE_SHA: \${{ github.event.pull_request.base.sha }}
          GITHUB_TOKEN: \${{ github.token }}
          SMARKETING_GITHUB_TOKEN: \${{ secrets.SMARKETING_GITHUB_TOKEN }}
        run: npx smarketing-policy github comment --base "$BASE_SHA" --head refs/remotes/pr/head

  agreement:
    # Require the check run 'smarketing-policy/agreement' in branch protection (docs/github.md).
    runs-on: ubuntu-latest
    environment: smarketing-signoff
    concurrency:
      group: signoff-\${{ github.event.pull_request.head.sha || github.event.workflow_run.head_sha || inputs.pr }}
    permissions:
      contents: read
      pull-requests: read
      checks: write
    env:
      # Secrets of the smarketing-signoff environment (docs/github.md); empty until the App is set up.
      APP_ID: \${{ secrets.SMARKETING_APP_ID }}
    steps:
      - name: The sign-off App's token (when the App is set up)
        id: app
        if: env.APP_ID != ''
        uses: actions/create-github-app-token@v2
        with:
          app-id: \${{ env.APP_ID }}
          private-key: \${{ secrets.SMARKETING_APP_PRIVATE_KEY }}
      - name: Check out the default branch (trusted code only)
        uses: actions/checkout@v4
        with:
          persist-credentials: false
${s}      - name: Both sides signed?
        env:
          PR_NUMBER: \${{ inputs.pr }}
          GITHUB_TOKEN: \${{ github.token }}
          # The App's token, else a token that can read org team members (docs/github.md).
          SMARKETING_GITHUB_TOKEN: \${{ steps.app.outputs.token || secrets.SMARKETING_GITHUB_TOKEN }}
        run: npx smarketing-policy github agreement \${PR_NUMBER:+--pr "$PR_NUMBER"}
`,
    "compliance.yml": `# Compliance of the newest snapshot with the agreement in force: on every push that adds or
# changes a snapshot, and every weekday morning. Fails on breached hard SLAs.
name: compliance

on:
  push:
    branches: [main]
    paths: ["snapshots/**", "policies/**"]
  schedule:
    - cron: "0 11 * * 1-5"
  workflow_dispatch:

permissions: {}

jobs:
  compliance:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      checks: write
      actions: read # the previous run's report, for the dashboard's "since the previous report"
    steps:
      - uses: actions/checkout@v4
        with:
          persist-credentials: false
${s}      - name: The newest snapshot (by its as_of)
        id: snapshot
        run: |
          dir="$(npx smarketing-policy latest-snapshot snapshots)"
          echo "dir=$dir" >> "$GITHUB_OUTPUT"
      - name: Reports (personal fields masked)
        env:
          SNAPSHOT: \${{ steps.snapshot.outputs.dir }}
        run: |
          mkdir -p reports
          npx smarketing-policy eval --snapshot "$SNAPSHOT" --format json --output reports/compliance.json --fail-on never --max-rejected 1%
          npx smarketing-policy eval --snapshot "$SNAPSHOT" --format csv --output reports/compliance-leads.csv --fail-on never --max-rejected 1%
          npx smarketing-policy eval --snapshot "$SNAPSHOT" --format junit --output reports/compliance.junit.xml --fail-on never --max-rejected 1%
          npx smarketing-policy eval --snapshot "$SNAPSHOT" --format markdown --output reports/compliance.md --fail-on never --max-rejected 1%
          npx smarketing-policy github summary reports/compliance.md
      - name: The previous run's report (any finished run on main keeps one, breached or not)
        env:
          GH_TOKEN: \${{ github.token }}
        run: |
          run_id="$(gh run list --repo "$GITHUB_REPOSITORY" --workflow compliance.yml --branch main --status completed --limit 1 --json databaseId --jq '.[0].databaseId // empty' || true)"
          if [ -n "$run_id" ]; then
            gh run download "$run_id" --repo "$GITHUB_REPOSITORY" --name compliance-report --dir previous || echo "run $run_id kept no report"
          fi
      - name: Dashboard, with what changed since the previous snapshot's report
        env:
          SNAPSHOT: \${{ steps.snapshot.outputs.dir }}
        run: |
          # The previous run's report; when that run saw this same snapshot (a scheduled re-run), the
          # report it compared with, so the dashboard compares snapshots, not runs. Kept as baseline.json.
          base=previous/compliance.json
          if [ -f "$base" ] && [ "$(jq -r .asOf "$base")" = "$(jq -r .asOf reports/compliance.json)" ]; then base=previous/baseline.json; fi
          if [ -f "$base" ] && cp "$base" reports/baseline.json && npx smarketing-policy eval --snapshot "$SNAPSHOT" --format html --output reports/compliance.html --fail-on never --max-rejected 1% --baseline reports/baseline.json; then
            exit 0
          fi
          if [ -f "$base" ]; then
            echo "::warning::the previous report could not be compared; the dashboard is made without it"
            rm -f reports/baseline.json
          fi
          npx smarketing-policy eval --snapshot "$SNAPSHOT" --format html --output reports/compliance.html --fail-on never --max-rejected 1%
      - uses: actions/upload-artifact@v4
        if: always()
        with:
          name: compliance-report
          path: reports/
      - name: Check run with annotations; fails on breached hard SLAs
        env:
          SNAPSHOT: \${{ steps.snapshot.outputs.dir }}
          GITHUB_TOKEN: \${{ github.token }}
        run: npx smarketing-policy github check --snapshot "$SNAPSHOT"
`,
  };
}

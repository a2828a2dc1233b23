import { renderDiffJson, renderDiffMarkdown, renderDiffText } from "../../report/diff.js";
import { createMasker } from "../../report/mask.js";
import { computeDiff } from "../compute-diff.js";
import { EXIT, UsageError, type ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";

export interface DiffOptions {
  base: string;
  head?: string;
  snapshot?: string;
  policies: string;
  asOf?: string;
  format: string;
  showLeads?: boolean;
  showPii?: boolean;
}

/** What changed between two versions of the policy set, in words, and its impact on a snapshot. */
export async function diffCommand(io: CliIO, options: DiffOptions): Promise<ExitCode> {
  if (!["text", "markdown", "json"].includes(options.format)) throw new UsageError(`--format must be text, markdown or json, not '${options.format}'`);
  const { report, headErrors } = await computeDiff(io, options);
  if (headErrors) {
    io.stderr(`${headErrors}\nthe ${report.head} version of the policy has errors; the impact on a snapshot needs a valid policy\n`);
  }
  const render = options.format === "json" ? renderDiffJson : options.format === "markdown" ? renderDiffMarkdown : renderDiffText;
  // Lead ids and policy values that are e-mail addresses are masked before rendering (and escaping).
  const masker = createMasker([], options.showPii === true);
  io.stdout(masker.text(render(masker.deep(report))));
  return headErrors ? EXIT.invalid : EXIT.ok;
}

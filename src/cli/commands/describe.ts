import { describePolicy } from "../../report/describe/describe.js";
import { renderDescriptionJson, renderDescriptionMarkdown, renderDescriptionText } from "../../report/describe/render.js";
import { EXIT, UsageError, type ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { loadValidPolicy } from "../load-policy.js";

const RENDER = { markdown: renderDescriptionMarkdown, text: renderDescriptionText, json: renderDescriptionJson } as const;

function isFormat(format: string): format is keyof typeof RENDER {
  return Object.hasOwn(RENDER, format);
}

/** The agreement as sentences a manager reads: grouped by party, built from the checked policy. */
export async function describeCommand(io: CliIO, dir: string, options: { format?: string }): Promise<ExitCode> {
  const format = options.format ?? "markdown";
  if (!isFormat(format)) throw new UsageError(`--format must be markdown, text or json, not '${format}'`);
  const policy = await loadValidPolicy(io, dir);
  if (!policy) return EXIT.invalid;
  io.stdout(RENDER[format](describePolicy(policy.analyzed.files, policy.analyzed.symbols)));
  return EXIT.ok;
}

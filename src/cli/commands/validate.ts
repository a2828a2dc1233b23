import path from "node:path";
import type { Diagnostic } from "../../lang/diagnostics.js";
import { compilePolicy } from "../../lang/compiled.js";
import { hasErrors } from "../../lang/diagnostics.js";
import { analyzePolicySet } from "../../lang/policy-set.js";
import { renderValidateJson } from "../../report/diagnostics-json.js";
import { renderSarif } from "../../report/diagnostics-sarif.js";
import { countBySeverity, plural, renderDiagnosticsText } from "../../report/diagnostics-text.js";
import { EXIT, UsageError, type ExitCode } from "../exit-codes.js";
import { useColor, type CliIO } from "../io.js";
import { loadPolicySetOf } from "../policy-loader.js";
import { TOOL } from "../tool-info.js";

export interface ValidateOptions {
  strict?: boolean;
  format?: string;
}

export async function validateCommand(io: CliIO, dir: string, options: ValidateOptions): Promise<ExitCode> {
  const format = options.format ?? "text";
  if (!["text", "json", "sarif"].includes(format)) throw new UsageError(`--format must be text, json or sarif, not '${format}'`);
  const strict = options.strict === true;
  const loaded = await loadPolicySetOf(io.cwd, dir);
  const analyzed = analyzePolicySet(loaded.sources);
  // Nothing read means nothing to check: "no agreement block" would only add noise.
  const all = loaded.sources.length === 0 ? loaded.diagnostics : [...loaded.diagnostics, ...analyzed.diagnostics];
  const diagnostics = loaded.only === undefined ? all : all.filter((d) => d.file === loaded.only);
  const valid = !hasErrors(diagnostics, strict);
  const files = loaded.only === undefined ? loaded.sources.map((s) => s.path) : [loaded.only];

  if (format === "json") {
    // The compiled policy is the whole set's: with one file named, only when the rest is valid too.
    const json = renderValidateJson({ valid, strict, files, diagnostics, policy: valid && !hasErrors(all) ? compilePolicy(analyzed.files) : null });
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else if (format === "sarif") {
    io.stdout(`${JSON.stringify(renderSarif(diagnostics, TOOL), null, 2)}\n`);
  } else {
    const sources = new Map(loaded.sources.map((s) => [s.path, s.text]));
    const color = useColor(io);
    if (diagnostics.length > 0) io.stdout(`${renderDiagnosticsText(diagnostics, { color, sources })}\n`);
    const { errors, warnings } = countBySeverity(diagnostics);
    const s = analyzed.symbols;
    const contents =
      loaded.only === undefined
        ? `${plural(files.length, "file")}: ${plural(s.leads.size, "lead definition")}, ${plural(s.slas.size, "SLA")}, ${plural(s.goals.size, "goal")}`
        : `checked with the ${plural(loaded.sources.length - 1, "other file")} of its folder; only its own problems are shown`;
    if (valid) {
      io.stdout(`${dir} is valid (${contents})${warnings > 0 ? `, with ${plural(warnings, "warning")}` : ""}\n`);
    } else {
      const counted = [errors > 0 ? plural(errors, "error") : "", warnings > 0 ? plural(warnings, "warning") : ""].filter(Boolean);
      const why = strict && errors === 0 ? " (--strict counts warnings)" : "";
      io.stdout(`${dir} is not valid: ${counted.join(", ")}${why}${loaded.only === undefined ? "" : ` (${contents})`}\n`);
    }
    if (loaded.only !== undefined) io.stdout(othersNote(all, loaded.only, path.dirname(dir)));
  }
  return valid ? EXIT.ok : EXIT.invalid;
}

/** With one file validated, the rest of its folder's problems are counted, not shown: a pointer to them. */
function othersNote(all: readonly Diagnostic[], only: string, folder: string): string {
  const others = all.filter((d) => d.file !== only && d.severity === "error").length;
  return others === 0 ? "" : `(other files in '${folder}' have ${plural(others, "error")}: run 'smarketing-policy validate ${folder}')\n`;
}

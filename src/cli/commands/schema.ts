import { hasErrors } from "../../lang/diagnostics.js";
import { analyzePolicySet } from "../../lang/policy-set.js";
import { renderDiagnosticsText } from "../../report/diagnostics-text.js";
import { leadRecordSchema, schemaFieldOf } from "../../snapshot/lead-schema.js";
import { TEST_FILE_SCHEMA } from "../../testing/load.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { useColor, type CliIO } from "../io.js";
import { loadPolicySources } from "../policy-loader.js";

/** Prints the JSON Schema of one lead record under the policy's `fields` block, or (`--tests`) of policy test files. */
export async function schemaCommand(io: CliIO, options: { policies?: string; tests?: boolean }): Promise<ExitCode> {
  if (options.tests) {
    io.stdout(`${JSON.stringify(TEST_FILE_SCHEMA, null, 2)}\n`);
    return EXIT.ok;
  }
  const dir = options.policies ?? "policies";
  const loaded = await loadPolicySources(io.cwd, dir);
  const analyzed = analyzePolicySet(loaded.sources);
  const diagnostics = [...loaded.diagnostics, ...analyzed.diagnostics];
  if (hasErrors(diagnostics)) {
    const sources = new Map(loaded.sources.map((s) => [s.path, s.text]));
    io.stderr(renderDiagnosticsText(diagnostics.filter((d) => d.severity === "error"), { color: useColor(io, "stderr"), sources }));
    io.stderr(`the policy in '${dir}' has errors; fix them to print its lead schema\n`);
    return EXIT.invalid;
  }
  const fields = [...analyzed.symbols.fields.values()].map((f) => schemaFieldOf(f.node));
  const title = analyzed.symbols.agreement ? `Lead record: ${analyzed.symbols.agreement.node.title.value}` : "Lead record";
  io.stdout(`${JSON.stringify(leadRecordSchema(fields, title), null, 2)}\n`);
  return EXIT.ok;
}

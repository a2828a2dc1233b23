import { writeFile } from "node:fs/promises";
import path from "node:path";
import { formatSource } from "../../lang/format.js";
import { renderDiagnosticsText } from "../../report/diagnostics-text.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { useColor, type CliIO } from "../io.js";
import { describeFsError, loadPolicySources } from "../policy-loader.js";

export interface FmtOptions {
  check?: boolean;
}

/** Canonical layout, like `terraform fmt`: in place, `--check` to only report, `-` for stdin to stdout. */
export async function fmtCommand(io: CliIO, paths: string[], options: FmtOptions): Promise<ExitCode> {
  const color = useColor(io, "stderr");
  if (paths.length === 1 && paths[0] === "-") {
    const text = await io.readStdin();
    const result = formatSource("<stdin>", text);
    if (!result.ok) {
      io.stderr(renderDiagnosticsText(result.diagnostics, { color, sources: new Map([["<stdin>", text]]) }));
      return EXIT.invalid;
    }
    if (options.check) return result.text === text ? EXIT.ok : EXIT.failed;
    io.stdout(result.text);
    return EXIT.ok;
  }

  let invalid = false;
  const notCanonical: string[] = [];
  for (const target of paths.length > 0 ? paths : ["policies"]) {
    const loaded = await loadPolicySources(io.cwd, target);
    if (loaded.diagnostics.length > 0) {
      io.stderr(renderDiagnosticsText(loaded.diagnostics, { color, sources: new Map() }));
      invalid = true;
    }
    for (const source of loaded.sources) {
      const result = formatSource(source.path, source.text);
      if (!result.ok) {
        io.stderr(renderDiagnosticsText(result.diagnostics, { color, sources: new Map([[source.path, source.text]]) }));
        invalid = true;
        continue;
      }
      if (result.text === source.text) continue;
      notCanonical.push(source.path);
      if (!options.check) {
        try {
          await writeFile(path.resolve(io.cwd, source.path), result.text, "utf8");
        } catch (error) {
          io.stderr(`${source.path}: cannot write: ${describeFsError(error)}\n`);
          invalid = true;
        }
      }
    }
  }
  for (const file of notCanonical) io.stdout(`${file}\n`);
  if (options.check && notCanonical.length > 0) {
    io.stderr(`${notCanonical.length === 1 ? "1 file is" : `${notCanonical.length} files are`} not formatted; run 'smarketing-policy fmt' to fix\n`);
  }
  if (invalid) return EXIT.invalid;
  return options.check && notCanonical.length > 0 ? EXIT.failed : EXIT.ok;
}


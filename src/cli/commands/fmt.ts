import { writeFile } from "node:fs/promises";
import path from "node:path";
import { createTwoFilesPatch, FILE_HEADERS_ONLY } from "diff";
import { formatSource } from "../../lang/format.js";
import { renderDiagnosticsText } from "../../report/diagnostics-text.js";
import { visible } from "../../report/escape.js";
import { EXIT, type ExitCode } from "../exit-codes.js";
import { useColor, type CliIO } from "../io.js";
import { describeFsError, loadPolicySources } from "../policy-loader.js";

export interface FmtOptions {
  check?: boolean;
  /** Print a unified diff of what would change; write nothing. */
  diff?: boolean;
  /** Print the names of files that would change; write nothing. */
  list?: boolean;
}

/** A unified diff of a file against its canonical layout, as `gofmt -d` and `opa fmt --diff` print it. */
export function formatDiff(file: string, before: string, after: string): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context: 3, headerOptions: FILE_HEADERS_ONLY });
}

/**
 * Canonical layout, like `terraform fmt`: in place by default; `--check` only reports (exit 1
 * when a file would change), `-l` lists and `--diff` shows what would change, writing nothing
 * (exit 0 unless with --check, as gofmt); `-` for stdin to stdout.
 */
export async function fmtCommand(io: CliIO, paths: string[], options: FmtOptions): Promise<ExitCode> {
  const color = useColor(io, "stderr");
  const writes = !options.check && !options.diff && !options.list;
  if (paths.length === 1 && paths[0] === "-") {
    const text = await io.readStdin();
    const result = formatSource("<stdin>", text);
    if (!result.ok) {
      io.stderr(renderDiagnosticsText(result.diagnostics, { color, sources: new Map([["<stdin>", text]]) }));
      return EXIT.invalid;
    }
    const changed = result.text !== text;
    if (options.diff && changed) io.stdout(formatDiff("<stdin>", text, result.text));
    if (options.list && changed) io.stdout("<stdin>\n");
    if (writes) io.stdout(result.text);
    return options.check && changed ? EXIT.failed : EXIT.ok;
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
      if (options.diff) io.stdout(formatDiff(source.path, source.text, result.text));
      if (writes) {
        try {
          await writeFile(path.resolve(io.cwd, source.path), result.text, "utf8");
        } catch (error) {
          io.stderr(`${visible(source.path)}: cannot write: ${describeFsError(error)}\n`);
          invalid = true;
        }
      }
    }
  }
  // The names go to stdout unless the diff already names them there.
  if (!options.diff || options.list) for (const file of notCanonical) io.stdout(`${visible(file)}\n`); // a file name is shown, never obeyed, by a terminal
  if (options.check && notCanonical.length > 0) {
    io.stderr(`${notCanonical.length === 1 ? "1 file is" : `${notCanonical.length} files are`} not formatted; run 'smarketing-policy fmt' to fix\n`);
  }
  if (invalid) return EXIT.invalid;
  return options.check && notCanonical.length > 0 ? EXIT.failed : EXIT.ok;
}

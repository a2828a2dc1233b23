import { readFile } from "node:fs/promises";
import path from "node:path";
import { startLanguageServer } from "../../lsp/server.js";
import { EXIT, UsageError, type ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { loadPolicySources } from "../policy-loader.js";

/** Starts the language server on standard input and output; returns when the editor closes the pipe. */
export async function lspCommand(_io: CliIO, options: { stdio?: boolean }): Promise<ExitCode> {
  if (options.stdio !== true) throw new UsageError("the language server speaks over standard input and output: run 'smarketing-policy lsp --stdio'");
  const readFolder = async (dir: string) => {
    const loaded = await loadPolicySources(dir, dir);
    return loaded.sources.map((s) => ({ path: path.resolve(dir, s.path), text: s.text }));
  };
  const readOne = async (file: string) => readFile(file, "utf8").catch(() => undefined);
  startLanguageServer(process.stdin, process.stdout, { readFolder, readFile: readOne });
  await new Promise<void>((resolve) => process.stdin.on("close", resolve));
  return EXIT.ok;
}

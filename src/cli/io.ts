/** Everything a command may touch outside the pure core; tests pass their own. */
export interface CliIO {
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  readStdin: () => Promise<string>;
}

export function processIO(): CliIO {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    stderrIsTTY: process.stderr.isTTY === true,
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks).toString("utf8");
    },
  };
}

/**
 * Whether to colour a stream, by the usual conventions, first match wins:
 * NO_COLOR set and not empty → never (https://no-color.org); FORCE_COLOR "0" or "false" → never,
 * any other non-empty value → always, even into a pipe (https://force-color.org); TERM=dumb → never;
 * otherwise only on a terminal. NO_COLOR wins over FORCE_COLOR, as in picocolors and supports-color.
 */
export function useColor(io: CliIO, stream: "stdout" | "stderr" = "stdout"): boolean {
  const { NO_COLOR: noColor, FORCE_COLOR: forceColor, TERM: term } = io.env;
  if (noColor !== undefined && noColor !== "") return false;
  if (forceColor !== undefined && forceColor !== "") return forceColor !== "0" && forceColor !== "false";
  if (term === "dumb") return false;
  return stream === "stdout" ? io.stdoutIsTTY : io.stderrIsTTY;
}

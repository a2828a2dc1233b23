/** What the data generators and the benchmark share: options from the command line and a seeded random source. */

/** The value after `--name` on the command line, or the fallback. */
export function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : fallback;
}

/** mulberry32, shared with the CRM presets' sample generators (one copy). */
export { rng } from "../src/cli/presets/sample-support.js";

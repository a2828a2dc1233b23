/**
 * Chevrotain, loaded from the single-file ES module its package ships (`lib/chevrotain.mjs`).
 *
 * Why: the package's entry point (`lib/src/api.js`) imports lodash-es file by file, several
 * hundred modules that cost every command about 180 ms and 30 MiB before it does anything; the
 * bundle is the same release built into one file and loads in under 10 ms (measured with Node 20;
 * see docs/decisions.md). The package's `exports` map does not list the bundle, so it is found
 * next to the entry point that `exports` does list. Only the value is loaded here; types still come
 * from the package's own declarations.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

type Chevrotain = typeof import("chevrotain");

const entry = createRequire(import.meta.url).resolve("chevrotain");
const bundle = join(dirname(entry), "..", "chevrotain.mjs");

export const chevrotain: Chevrotain = (await import(pathToFileURL(bundle).href)) as Chevrotain;

import { createRequire } from "node:module";
import type Ajv2020Module from "ajv/dist/2020.js";

// Required, not imported: Node 20 scans a CommonJS module imported from an ES module for its
// export names, on each thread; on the second thread of a million-lead run that scan (of ajv and
// papaparse) took about 85 ms of CPU (perf, bench/README.md).
const Ajv2020 = createRequire(import.meta.url)("ajv/dist/2020.js") as typeof Ajv2020Module;

export type Ajv = InstanceType<typeof Ajv2020.default>;

let shared: Ajv | undefined;

/**
 * The one Ajv instance that snapshot reading compiles its schemas with: each instance costs its
 * set-up again. Schemas are not checked against the JSON Schema meta-schema here, which would
 * compile the meta-schema at every start (about 25 ms); they are the tool's own (the snapshot
 * manifest's, and lead schemas generated from a checked policy), and test/schemas.test.ts
 * compiles each with that check on.
 */
export function snapshotAjv(): Ajv {
  shared ??= new Ajv2020.default({ allErrors: true, strict: true, validateSchema: false });
  return shared;
}

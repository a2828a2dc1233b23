import Ajv2020 from "ajv/dist/2020.js";

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

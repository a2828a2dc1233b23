import { readFile } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import yaml from "js-yaml";
import { snapshotAjv } from "./ajv.js";
import { refuseLinkOut, SnapshotError } from "./read.js";

export interface Manifest {
  as_of?: string;
  source?: string;
  notes?: string;
  exported_by?: string;
}

const require = createRequire(import.meta.url);
const manifestSchema = require("../../schemas/snapshot.schema.json") as object;
const validateManifest = snapshotAjv().compile<Manifest>(manifestSchema);

/** Reads `snapshot.yaml` if present: safe YAML (no custom types), checked against schemas/snapshot.schema.json. */
export async function readManifest(dir: string, shown: string): Promise<Manifest | undefined> {
  const file = path.posix.join(shown, "snapshot.yaml");
  const absolute = path.join(dir, "snapshot.yaml");
  await refuseLinkOut(dir, absolute, file);
  let text: string;
  try {
    text = await readFile(absolute, "utf8");
  } catch {
    return undefined;
  }
  let value: unknown;
  try {
    // CORE_SCHEMA keeps timestamps as text, so as_of is read in the agreement's zone, not the machine's.
    value = yaml.load(text, { schema: yaml.CORE_SCHEMA, filename: file });
  } catch (error) {
    const e = error as { reason?: string; mark?: { line: number } };
    throw new SnapshotError(`is not valid YAML: ${e.reason ?? String(error)}`, file, e.mark ? e.mark.line + 1 : undefined);
  }
  if (value === undefined || value === null) return {};
  if (!validateManifest(value)) {
    const problems = (validateManifest.errors ?? []).map((e) =>
      e.keyword === "additionalProperties"
        ? `unknown key '${(e.params as { additionalProperty: string }).additionalProperty}' (known: as_of, source, notes, exported_by)`
        : `${e.instancePath.slice(1) || "the file"} ${e.message ?? "is invalid"}`,
    );
    throw new SnapshotError(problems.join("; "), file);
  }
  return value;
}

import { readFile } from "node:fs/promises";
import path from "node:path";
import { createRequire } from "node:module";
import yaml from "js-yaml";
import { snapshotAjv } from "./ajv.js";
import { databaseSourceProblems, type DatabaseSource, type RawDatabaseSource } from "./database-spec.js";
import { refuseLinkOut, SnapshotError } from "./read.js";

export type { DatabaseSource };

/** snapshot.yaml as read. `source` is a description; `database`, the tables named instead of files (SPEC §8.3). */
export interface Manifest {
  as_of?: string;
  source?: string;
  notes?: string;
  exported_by?: string;
  database?: DatabaseSource;
}

/** snapshot.yaml as its schema allows it: `source` is a description or a database source. */
interface RawManifest {
  as_of?: string;
  source?: string | RawDatabaseSource;
  notes?: string;
  exported_by?: string;
}

const require = createRequire(import.meta.url);
const manifestSchema = require("../../schemas/snapshot.schema.json") as object;
const validateManifest = snapshotAjv().compile<RawManifest>(manifestSchema);

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
    const problems = schemaProblems();
    // A line when every problem is in the source block, the part most often written by hand.
    const line = problems.every((p) => p.startsWith("source")) ? lineOf(text, /^source\s*:/) : undefined;
    throw new SnapshotError(problems.join("; "), file, line);
  }
  const { source, ...rest } = value;
  if (typeof source !== "object") return { ...rest, ...(source === undefined ? {} : { source }) };
  const parsed = databaseSourceProblems(source);
  if (!parsed.ok) throw new SnapshotError(parsed.problems.join("; "), file, lineOf(text, /^source\s*:/));
  return { ...rest, database: parsed.source };
}

/** The schema's complaints, one per mistake: of `source`'s two shapes, only the object's, when an object was given. */
function schemaProblems(): string[] {
  const errors = validateManifest.errors ?? [];
  const inSource = errors.filter((e) => e.instancePath.startsWith("/source/") || (e.instancePath === "/source" && e.keyword !== "oneOf" && e.keyword !== "type"));
  const shown = errors.filter((e) => !e.instancePath.startsWith("/source")).concat(inSource.length > 0 ? inSource : errors.filter((e) => e.instancePath === "/source" && e.keyword === "type").slice(0, 1));
  return shown.map((e) => {
    const where = e.instancePath.slice(1).replace(/\//g, ".") || "the file";
    if (e.keyword === "additionalProperties") {
      const key = (e.params as { additionalProperty: string }).additionalProperty;
      return where === "source" ? `source: unknown key '${key}' (known: engine, url, path, leads, activities)` : `unknown key '${key}' (known: as_of, source, notes, exported_by)`;
    }
    if (e.keyword === "type" && where === "source") return "source must be a description or the tables to read (engine, url or path, leads, activities)";
    if (e.keyword === "pattern" && where.startsWith("source.")) return `${where} must name a table or view (crm.leads), without quotes`;
    if (e.keyword === "enum") return `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")}`;
    return `${where} ${e.message ?? "is invalid"}`;
  });
}

/** The 1-based line of the first line matching `pattern`, if any. */
function lineOf(text: string, pattern: RegExp): number | undefined {
  const index = text.split(/\r?\n/).findIndex((l) => pattern.test(l));
  return index < 0 ? undefined : index + 1;
}

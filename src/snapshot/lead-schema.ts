import type { FieldDecl, FieldTypeName } from "../lang/ast.js";
import { columnFormatOf, describeColumnFormat, type ColumnFormat } from "../lang/column-format.js";
import type { EvalPlan } from "../engine/plan.js";

/** What the lead schema needs to know of a field. */
export interface LeadSchemaField {
  name: string;
  type: FieldTypeName;
  column: string;
  pii: boolean;
  currency?: string | undefined;
  oneOf?: readonly string[] | undefined;
  format?: ColumnFormat | undefined;
}

export function schemaFieldOf(field: FieldDecl): LeadSchemaField {
  return {
    name: field.name.name,
    type: field.type,
    column: field.column?.value ?? field.name.name,
    pii: field.pii,
    currency: field.currency?.name,
    oneOf: field.oneOf?.map((s) => s.value),
    format: field.format ? columnFormatOf(field.format, field.type) : undefined,
  };
}

/** Accepted timestamps: ISO 8601 with `T` or a space (as CRM exports write them), offset optional. */
export const TIMESTAMP_PATTERN =
  "^\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?(?:Z|z|[+-]\\d{2}(?::?\\d{2})?)?)?$";
export const DATE_PATTERN = "^\\d{4}-\\d{2}-\\d{2}$";

function propertySchema(field: LeadSchemaField): Record<string, unknown> {
  const base: Record<string, unknown> = { title: field.name };
  const notes: string[] = [];
  if (field.column !== field.name) notes.push(`field '${field.name}'`);
  if (field.pii) notes.push("personal (pii): masked in every report");
  switch (field.type) {
    case "text":
      if (field.oneOf) {
        base["enum"] = [...field.oneOf, null];
      } else {
        base["type"] = ["string", "null"];
      }
      notes.unshift(field.oneOf ? "text, one of the listed values" : "text");
      break;
    case "number":
      base["type"] = ["number", "null"];
      notes.unshift("number");
      break;
    case "money":
      base["type"] = ["number", "null"];
      notes.unshift(`money in ${field.currency ?? "its currency"}`);
      break;
    case "boolean":
      base["type"] = ["boolean", "null"];
      notes.unshift("true/false");
      break;
    case "time":
      base["type"] = ["string", "null"];
      base["pattern"] = TIMESTAMP_PATTERN;
      notes.unshift("time (ISO 8601; without an offset it is read in the agreement's time zone)");
      break;
    case "date":
      base["type"] = ["string", "null"];
      base["pattern"] = DATE_PATTERN;
      notes.unshift("date (yyyy-mm-dd)");
      break;
  }
  if (field.format) {
    // Written in a format: text as the CRM writes it (or a JSON number for epoch and number formats).
    delete base["pattern"];
    if (field.format.kind === "time") base["type"] = ["string", "null"];
    else {
      delete base["type"];
      base["anyOf"] = [{ type: "string" }, { type: "number" }, { type: "null" }];
    }
    notes.splice(1, 0, `written in ${describeColumnFormat(field.format)}`);
  }
  base["description"] = notes.join("; ");
  return base;
}

/**
 * The JSON Schema (draft 2020-12) of one lead record under a policy's `fields` block, keyed by
 * snapshot column names. CSV values are converted to these types before they are checked, so
 * one schema serves CSV, NDJSON and JSON snapshots. Extra columns are allowed: CRM exports carry many.
 */
export function leadRecordSchema(fields: readonly LeadSchemaField[], title = "Lead record"): Record<string, unknown> {
  // `id text from "Lead ID"` names the id's column (SPEC §8.2).
  const idColumn = fields.find((f) => f.name === "id")?.column ?? "id";
  const properties: Record<string, unknown> = {
    [idColumn]: { title: "id", description: "the lead's id in the CRM; required and unique", type: "string", minLength: 1 },
  };
  for (const field of fields) if (field.name !== "id") properties[field.column] = propertySchema(field);
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://smarketing-policy.dev/schemas/lead-record.json",
    title,
    type: "object",
    required: [idColumn],
    properties,
    additionalProperties: true,
  };
}

export function leadRecordSchemaFromPlan(plan: EvalPlan): Record<string, unknown> {
  return leadRecordSchema(plan.fields, `Lead record: ${plan.agreement.title}`);
}

import type { EvaluationResult } from "../engine/result.js";
import { jsonChunks } from "./json-chunks.js";

export const REPORT_SCHEMA_ID = "https://smarketing-policy.dev/schemas/report.schema.json";

/** The JSON report: stable, documented in docs/reports.md, valid against schemas/report.schema.json. */
export function renderJson(result: EvaluationResult, tool: { version: string }): string {
  return [...renderJsonChunks(result, tool)].join("");
}

/** The JSON report in pieces, to write a large one without holding it as one string. */
export function renderJsonChunks(result: EvaluationResult, tool: { version: string }): Generator<string> {
  return jsonChunks({ $schema: REPORT_SCHEMA_ID, tool: { name: "smarketing-policy", version: tool.version }, ...result });
}

import type { EvaluationResult } from "../engine/result.js";

export const REPORT_SCHEMA_ID = "https://smarketing-policy.dev/schemas/report.schema.json";

/** The JSON report: stable, documented in docs/reports.md, valid against schemas/report.schema.json. */
export function renderJson(result: EvaluationResult, tool: { version: string }): string {
  return `${JSON.stringify({ $schema: REPORT_SCHEMA_ID, tool: { name: "smarketing-policy", version: tool.version }, ...result }, null, 2)}\n`;
}

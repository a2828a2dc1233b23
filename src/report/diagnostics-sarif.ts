import { DIAGNOSTIC_CODES, type Diagnostic } from "../lang/diagnostics.js";

export interface SarifTool {
  version: string;
  informationUri: string;
}

/**
 * SARIF 2.1.0, the format GitHub code scanning reads, so diagnostics show on the policy
 * lines of a pull request. Every documented code is listed as a rule.
 */
export function renderSarif(diagnostics: readonly Diagnostic[], tool: SarifTool): object {
  const rules = Object.entries(DIAGNOSTIC_CODES).map(([id, info]) => ({
    id,
    name: info.title.replace(/[^A-Za-z0-9]+(.)?/g, (_, ch: string | undefined) => (ch ? ch.toUpperCase() : "")),
    shortDescription: { text: info.title },
    helpUri: `${tool.informationUri}/blob/main/docs/diagnostics.md#${id.toLowerCase()}`,
    defaultConfiguration: { level: info.severity === "error" ? "error" : "warning" },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "smarketing-policy",
            version: tool.version,
            informationUri: tool.informationUri,
            rules,
          },
        },
        results: diagnostics.map((d) => ({
          ruleId: d.code,
          ruleIndex: ruleIndex.get(d.code),
          level: d.severity === "error" ? "error" : "warning",
          message: { text: d.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: d.file },
                region: {
                  startLine: d.range.start.line,
                  startColumn: d.range.start.column,
                  endLine: d.range.end.line,
                  endColumn: Math.max(d.range.end.column, d.range.start.column + (d.range.end.line === d.range.start.line ? 1 : 0)),
                },
              },
            },
          ],
        })),
      },
    ],
  };
}

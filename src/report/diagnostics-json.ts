import type { CompiledPolicy } from "../lang/compiled.js";
import type { Diagnostic } from "../lang/diagnostics.js";
import { countBySeverity } from "./diagnostics-text.js";

/** `validate --format json`: stable, documented in docs/cli.md, checked against schemas/validate.schema.json. */
export interface ValidateJson {
  valid: boolean;
  strict: boolean;
  files: string[];
  summary: { errors: number; warnings: number };
  diagnostics: Diagnostic[];
  /** The policy set without source positions; null when it has errors. */
  policy: CompiledPolicy | null;
}

export function renderValidateJson(input: {
  valid: boolean;
  strict: boolean;
  files: string[];
  diagnostics: readonly Diagnostic[];
  policy: CompiledPolicy | null;
}): ValidateJson {
  return {
    valid: input.valid,
    strict: input.strict,
    files: input.files,
    summary: countBySeverity(input.diagnostics),
    diagnostics: [...input.diagnostics],
    policy: input.policy,
  };
}

import type { EvaluationResult } from "../engine/result.js";

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
export const EMAIL_MASK = "[email hidden]";

/**
 * Reports name leads by id and never print personal data unless asked (SPEC §5): groups of a
 * `pii` field become "personal value 1", "personal value 2"…, and anything shaped like an e-mail
 * address anywhere in the report is hidden. `--show-pii` skips this.
 */
/**
 * Masks `by` group labels: each personal value becomes "personal value N", numbered in the
 * order met. One masker for a report and its CSV keeps their pseudonyms the same.
 */
export function groupMasker(piiFields: ReadonlySet<string>): (group: string, by: readonly string[]) => string {
  const pseudonyms = new Map<string, string>();
  const pseudonym = (value: string) => {
    let p = pseudonyms.get(value);
    if (!p) pseudonyms.set(value, (p = `personal value ${pseudonyms.size + 1}`));
    return p;
  };
  return (group, by) => {
    if (!by.some((f) => piiFields.has(f))) return group;
    const parts = group.split(" / ");
    return by.map((f, i) => (piiFields.has(f) && parts[i] !== "(none)" ? pseudonym(parts[i] ?? "") : parts[i])).join(" / ");
  };
}

export function maskResult(result: EvaluationResult, piiFields: ReadonlySet<string>, maskGroup = groupMasker(piiFields)): EvaluationResult {
  const masked: EvaluationResult = {
    ...result,
    slas: result.slas.map((s) => ({ ...s, results: s.results.map((c) => ({ ...c, group: maskGroup(c.group, s.by) })) })),
    goals: result.goals.map((g) => ({ ...g, results: g.results.map((c) => ({ ...c, group: maskGroup(c.group, g.by) })) })),
  };
  return JSON.parse(JSON.stringify(masked), (_key, value: unknown) =>
    typeof value === "string" ? value.replace(EMAIL, EMAIL_MASK) : value,
  ) as EvaluationResult;
}

export function maskText(text: string): string {
  return text.replace(EMAIL, EMAIL_MASK);
}

import type { EvaluationResult } from "../engine/result.js";
import { maskedData } from "./masked-data.js";

/**
 * What counts as an e-mail address: a local part of letters, digits and `._%+-` in any script,
 * an at sign (or its full-width forms), then a domain of such labels. The domain may be cut
 * short or missing (`ana.293@umbrel`): a cut address is still personal. Quotes, `=`, `/` and
 * spaces end the local part, so `'ana@x.co'` keeps its quotes and `2026-12/ana@x.co` its period.
 */
export const EMAIL_MASK = "[email hidden]";
const AT_SIGN = /[@\uff20\ufe6b]/;
/**
 * An address as above (the group `at` matched), or a run of its local part's characters with no
 * at sign after it, matched whole and kept. The address's pattern alone starts again at each
 * letter of such a run and reads it to its end each time (quadratic: 80,000 letters and an
 * address took 3.3 s); it cannot match from within a run that failed from its first letter (the
 * run ends at the same character, no at sign), so the addresses found are the same.
 */
const EMAIL_OR_RUN = /[\p{L}\p{M}\p{N}._%+-]+(?:([@\uff20\ufe6b])[\p{L}\p{M}\p{N}-]*(?:\.[\p{L}\p{M}\p{N}-]+)*)?/gu;

/** No address without an at sign: tested first, since almost no text holds one (a million leads' report: 70 ms less). */
function hasAtSign(text: string): boolean {
  return AT_SIGN.test(text);
}

/** Hides every e-mail-like value in a text. Used through a Masker, which knows about --show-pii. */
export function maskText(text: string): string {
  return hasAtSign(text) ? text.replace(EMAIL_OR_RUN, (found: string, at: string | undefined) => (at === undefined ? found : EMAIL_MASK)) : text;
}

/** Whether maskText would hide something: EMAIL_MASK has no at sign, so what it replaces differs. */
export function looksLikeEmail(text: string): boolean {
  return hasAtSign(text) && maskText(text) !== text;
}

/**
 * The one way personal data leaves the tool (SPEC §5): reports name leads by id, values of
 * fields marked `pii` used as groups become "personal value 1", "personal value 2"… (the same
 * value, the same pseudonym, within one output), and anything shaped like an e-mail address
 * becomes "[email hidden]". With `--show-pii` every method returns its input.
 * Mask before cutting or escaping: a cut or escaped address no longer looks like one.
 */
export interface Masker {
  readonly showPii: boolean;
  /** Any text that may hold a value from the data. */
  text(text: string): string;
  /** A `by` label ("alice / ana@x.co"): parts on a `pii` field pseudonymised, the rest masked as text. */
  group(label: string, by: readonly string[]): string;
  /** Every string of a JSON-like value (a report, an explanation, a diff) through text(). */
  deep<T>(value: T): T;
  /** A report with its groups pseudonymised and every string masked. */
  result(result: EvaluationResult): EvaluationResult;
  /** Whether a value (a lead id offered in "did you mean") may be shown at all. */
  mayShow(value: string): boolean;
}

const GROUP_SEPARATOR = " / ";
const EMPTY_GROUP_VALUE = "(none)";

export function createMasker(piiFields: Iterable<string>, showPii: boolean): Masker {
  const pii = new Set(piiFields);
  const pseudonyms = new Map<string, string>();
  const pseudonym = (value: string) => {
    let p = pseudonyms.get(value);
    if (!p) pseudonyms.set(value, (p = `personal value ${pseudonyms.size + 1}`));
    return p;
  };
  const text = (s: string) => (showPii ? s : maskText(s));
  const group = (label: string, by: readonly string[]): string => {
    if (showPii) return label;
    if (!by.some((f) => pii.has(f))) return maskText(label);
    const parts = label.split(GROUP_SEPARATOR);
    // A value holding " / " itself makes the parts ambiguous: hide the whole label then.
    if (parts.length !== by.length) return pseudonym(label);
    return by.map((f, i) => (pii.has(f) && parts[i] !== EMPTY_GROUP_VALUE ? pseudonym(parts[i]!) : maskText(parts[i]!))).join(GROUP_SEPARATOR);
  };
  const deep = <T>(value: T): T => (showPii ? value : maskedData(value, maskText));
  return {
    showPii,
    text,
    group,
    deep,
    result(result) {
      if (showPii) return result;
      return deep({
        ...result,
        slas: result.slas.map((s) => ({ ...s, results: s.results.map((c) => ({ ...c, group: group(c.group, s.by) })) })),
        goals: result.goals.map((g) => ({ ...g, results: g.results.map((c) => ({ ...c, group: group(c.group, g.by) })) })),
      });
    },
    mayShow: (value) => showPii || !looksLikeEmail(value),
  };
}

/** The `pii` fields of a plan: what a Masker hides. */
export function piiFieldsOf(plan: { fields: ReadonlyArray<{ name: string; pii: boolean }> }): string[] {
  return plan.fields.filter((f) => f.pii).map((f) => f.name);
}

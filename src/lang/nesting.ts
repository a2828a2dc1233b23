import type { IToken } from "chevrotain";
import { chevrotain } from "./chevrotain.js";
import { diagnostic, type Diagnostic } from "./diagnostics.js";
import { rangeOfToken } from "./range.js";
import { Kw, LParen, RParen } from "./tokens.js";

// From the bundle (chevrotain.ts): the package's entry point loads lodash-es file by file.
const { tokenMatcher } = chevrotain;

/**
 * How deeply one condition may nest: brackets and `not`s, counted together (`not (not (x))` is 3).
 * The parser, the checker, the IR and the predicate compiler all recurse over a condition; this
 * bound keeps each of them far from the call stack's limit (the parser alone failed near 300
 * brackets), while no policy a person writes comes close to it.
 */
export const MAX_CONDITION_DEPTH = 64;

interface Level {
  /** Depth of the bracket that opened this level (0 outside any bracket). */
  base: number;
  /** `not`s in a row at this level, not yet followed by what they negate. */
  nots: number;
  /** The bracket that opened this level was over the limit and dropped: drop its `)` too. */
  dropped: boolean;
}

/**
 * Drops each `(` and `not` that would nest a condition deeper than MAX_CONDITION_DEPTH (with the
 * `)` of each dropped bracket), before parsing, and reports E0007 once per condition at the first
 * one. The file then has an error, so what the dropped tokens meant never matters; what is left
 * parses at a bounded depth.
 */
export function limitNesting(tokens: readonly IToken[], path: string): { tokens: IToken[]; diagnostics: Diagnostic[] } {
  const kept: IToken[] = [];
  const diagnostics: Diagnostic[] = [];
  const levels: Level[] = [{ base: 0, nots: 0, dropped: false }];
  let reported = false;
  const tooDeep = (token: IToken): void => {
    if (!reported) {
      diagnostics.push(
        diagnostic(
          "E0007",
          `this condition nests more than ${MAX_CONDITION_DEPTH} levels deep (brackets and 'not's); split it into lead definitions that use each other`,
          path,
          rangeOfToken(token),
        ),
      );
    }
    reported = true;
  };
  for (const token of tokens) {
    const level = levels[levels.length - 1]!;
    const depth = level.base + level.nots;
    if (tokenMatcher(token, Kw.not)) {
      if (depth >= MAX_CONDITION_DEPTH) {
        tooDeep(token);
        continue;
      }
      level.nots++;
    } else if (tokenMatcher(token, LParen)) {
      const dropped = depth >= MAX_CONDITION_DEPTH;
      if (dropped) tooDeep(token);
      levels.push({ base: dropped ? depth : depth + 1, nots: 0, dropped });
      if (dropped) continue;
    } else if (tokenMatcher(token, RParen) && levels.length > 1) {
      levels.pop();
      const outer = levels[levels.length - 1]!;
      outer.nots = 0;
      if (levels.length === 1) reported = false;
      if (level.dropped) continue;
    } else {
      level.nots = 0;
      if (levels.length === 1) reported = false;
    }
    kept.push(token);
  }
  return { tokens: kept, diagnostics };
}

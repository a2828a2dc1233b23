import type { IToken } from "chevrotain";
import { chevrotain } from "./chevrotain.js";
import { BLOCK_KEYWORDS } from "./vocabulary.js";
import { rangeOfToken, spanning, type Range } from "./range.js";
import { Kw, LCurly, RCurly } from "./tokens.js";

const { tokenMatcher } = chevrotain;
const BLOCK_STARTS = BLOCK_KEYWORDS.map((w) => Kw[w]);

export interface UnclosedBlock {
  range: Range;
  message: string;
}

/**
 * A missing `}` is noticed where the next block starts (or at the end of the file), but the
 * mistake is in the block left open: this finds that block, walking back from where the parser
 * stopped to the first `{` not closed before it. `stoppedAt` is the index of the token the parser
 * stopped at (tokens.length for the end of the file). The walk covers one block, so all of a
 * file's missing braces together cost one pass over it.
 */
export function unclosedBlock(tokens: readonly IToken[], stoppedAt: number): UnclosedBlock | undefined {
  let depth = 0;
  for (let i = stoppedAt - 1; i >= 0; i--) {
    const t = tokens[i]!;
    if (tokenMatcher(t, RCurly)) depth++;
    else if (tokenMatcher(t, LCurly)) {
      if (depth > 0) {
        depth--;
        continue;
      }
      return describe(tokens, i, tokens[stoppedAt]);
    }
  }
  return undefined;
}

function describe(tokens: readonly IToken[], brace: number, next: IToken | undefined): UnclosedBlock {
  // The block's keyword is at most three tokens before its `{` (keyword, id, title).
  let start = brace;
  for (let i = brace - 1; i >= Math.max(0, brace - 3); i--) {
    if (BLOCK_STARTS.some((k) => tokenMatcher(tokens[i]!, k))) {
      start = i;
      break;
    }
  }
  const keyword = tokens[start]!;
  const idToken = start + 1 < brace && !tokens[start + 1]!.image.startsWith('"') ? tokens[start + 1] : undefined;
  const what = start === brace ? "this block" : `${keyword.image}${idToken ? ` '${idToken.image}'` : ""}`;
  const where = next ? `before line ${next.startLine}, where the next block starts` : "at the end of the file";
  return {
    range: spanning(rangeOfToken(keyword), rangeOfToken(idToken ?? keyword)),
    message: `${what} is not closed: add its '}' ${where}`,
  };
}

/** A position in a source file. Lines and columns start at 1; offset is in UTF-16 code units from 0. */
export interface Position {
  line: number;
  column: number;
  offset: number;
}

/** A span of source text; `end` is exclusive. */
export interface Range {
  start: Position;
  end: Position;
}

export const START_OF_FILE: Range = {
  start: { line: 1, column: 1, offset: 0 },
  end: { line: 1, column: 1, offset: 0 },
};

export function spanning(first: Range, last: Range): Range {
  return { start: first.start, end: last.end };
}

/** Minimal token shape shared by chevrotain tokens; kept local so the AST does not depend on chevrotain. */
export interface TokenLike {
  image: string;
  startOffset: number;
  endOffset?: number | undefined;
  startLine?: number | undefined;
  startColumn?: number | undefined;
  endLine?: number | undefined;
  endColumn?: number | undefined;
}

export function rangeOfToken(token: TokenLike): Range {
  const startLine = token.startLine ?? 1;
  const startColumn = token.startColumn ?? 1;
  // Chevrotain's end positions are inclusive; ours are exclusive.
  const endOffset = (token.endOffset ?? token.startOffset + token.image.length - 1) + 1;
  return {
    start: { line: startLine, column: startColumn, offset: token.startOffset },
    end: {
      line: token.endLine ?? startLine,
      column: (token.endColumn ?? startColumn + token.image.length - 1) + 1,
      offset: endOffset,
    },
  };
}

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

/**
 * Where each line of a text starts, found once, so turning many offsets into positions (or lines
 * into text) is a binary search each, not a scan from the start of the file each.
 * Line breaks are counted the way the lexer counts them: `\n`, `\r\n` and a lone `\r`.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** The position just after `offset` characters of the text. */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low + 1, column: offset - this.starts[low]! + 1, offset };
  }

  /** The text of line `line` (from 1) without its line break, or undefined past the last line. */
  lineText(line: number): string | undefined {
    if (line < 1 || line > this.starts.length) return undefined;
    const start = this.starts[line - 1]!;
    const next = line < this.starts.length ? this.starts[line]! : this.text.length;
    return this.text.slice(start, next).replace(/\r?\n$|\r$/, "");
  }
}

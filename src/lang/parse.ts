import type { IToken } from "chevrotain";
import type { Comment, PolicyFile } from "./ast.js";
import { diagnostic, type Diagnostic } from "./diagnostics.js";
import { Lowering } from "./lower.js";
import { limitNesting } from "./nesting.js";
import { policyParser } from "./parser.js";
import { LineIndex, rangeOfToken, type Range } from "./range.js";
import { policyLexer, RCurly, StringLiteral, UnterminatedString } from "./tokens.js";
import { unclosedBlock } from "./unclosed.js";

export interface ParsedFile {
  file: PolicyFile;
  diagnostics: Diagnostic[];
}

function endOfFile(lines: LineIndex, text: string): Range {
  const end = lines.positionAt(text.length);
  return { start: end, end };
}

/** Parses one policy file. Never throws: every problem in the text becomes a diagnostic. */
export function parseFile(path: string, text: string): ParsedFile {
  const diagnostics: Diagnostic[] = [];
  const lexed = policyLexer.tokenize(text);
  const lines = new LineIndex(text);

  for (const error of lexed.errors) {
    const start = lines.positionAt(error.offset);
    const length = Math.max(1, error.length);
    const bad = text.slice(error.offset, error.offset + Math.min(length, 40));
    diagnostics.push(
      diagnostic(
        "E0001",
        `unexpected character${length > 1 ? "s" : ""} '${bad}'`,
        path,
        { start, end: { line: start.line, column: start.column + length, offset: error.offset + length } },
      ),
    );
  }

  // An unterminated string is reported once, plainly, and then parsed as if it were closed.
  const tokens: IToken[] = lexed.tokens.map((t) => {
    if (t.tokenType !== UnterminatedString) return t;
    diagnostics.push(diagnostic("E0003", "this quoted text has no closing '\"' on its line", path, rangeOfToken(t)));
    return { ...t, tokenType: StringLiteral, tokenTypeIdx: StringLiteral.tokenTypeIdx!, image: `${t.image}"` };
  });

  const limited = limitNesting(tokens, path);
  diagnostics.push(...limited.diagnostics);
  policyParser.input = limited.tokens;
  const cst = policyParser.policyFile();
  const seenOffsets = new Set<number>();
  const indexOf = new Map(limited.tokens.map((t, i) => [t.startOffset, i]));
  for (const error of policyParser.errors) {
    const t = error.token;
    const atEnd = t.tokenType.name === "EOF" || Number.isNaN(t.startOffset);
    let range = atEnd ? endOfFile(lines, text) : rangeOfToken(t);
    let message = error.message;
    // A missing '}' is reported at the block left open, not where the next one starts.
    if (error.name === "MismatchedTokenException" && message.startsWith(`expected ${RCurly.LABEL} `)) {
      const open = unclosedBlock(limited.tokens, atEnd ? limited.tokens.length : (indexOf.get(t.startOffset) ?? limited.tokens.length));
      if (open) ({ range, message } = open);
    }
    // Recovery can report the same spot from several rules; the first message is the useful one.
    if (seenOffsets.has(range.start.offset)) continue;
    seenOffsets.add(range.start.offset);
    diagnostics.push(diagnostic("E0002", message, path, range));
  }

  const comments: Comment[] = ((lexed.groups["comments"] ?? []) as IToken[]).map((t) => ({
    text: t.image,
    range: rangeOfToken(t),
  }));
  const lowering = new Lowering(path, diagnostics.filter((d) => d.code === "E0002").map((d) => d.range));
  const fullRange: Range = { start: { line: 1, column: 1, offset: 0 }, end: endOfFile(lines, text).end };
  const file = lowering.file_(cst, comments, fullRange);
  diagnostics.push(...lowering.diagnostics);
  return { file, diagnostics };
}

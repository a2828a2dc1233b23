import type * as A from "./ast.js";
import type { Diagnostic } from "./diagnostics.js";
import { parseFile } from "./parse.js";
import { assertNever } from "./never.js";

const INDENT = "  ";
const MAX_WIDTH = 100;

/** One printed line, with the source lines it came from so comments and blank lines can follow it. */
interface Line {
  text: string;
  depth: number;
  srcStart: number;
  srcEnd: number;
  opensBlock?: boolean;
  closesTopLevel?: boolean;
  closesBlock?: boolean;
  trailing: string[];
  isComment?: boolean;
}

function line(text: string, depth: number, from: A.Node | { range: A.Node["range"] }, to = from): Line {
  return { text, depth, srcStart: from.range.start.line, srcEnd: to.range.end.line, trailing: [] };
}

export function quote(value: string): string {
  const escaped = value.replace(/[\\"\n\t]|[\u0000-\u001f\u007f]/g, (c) => {
    switch (c) {
      case "\\":
        return "\\\\";
      case '"':
        return '\\"';
      case "\n":
        return "\\n";
      case "\t":
        return "\\t";
      default:
        return `\\u{${c.charCodeAt(0).toString(16)}}`;
    }
  });
  return `"${escaped}"`;
}

export function printLiteral(lit: A.Literal): string {
  switch (lit.kind) {
    case "String":
      return quote(lit.value);
    case "Number":
      return lit.text;
    case "Percent":
      return `${lit.text}%`;
    case "Money":
      return `${lit.text} ${lit.currency}`;
    case "Date":
    case "DateTime":
      return lit.value;
    case "Boolean":
      return String(lit.value);
  }
}

export function printExpr(expr: A.Expr): string {
  switch (expr.kind) {
    case "Ref":
      return expr.name.name;
    case "And":
      return expr.operands.map(printExpr).join(" and ");
    case "Or":
      return expr.operands.map(printExpr).join(" or ");
    case "Not":
      return `not ${printExpr(expr.operand)}`;
    case "Paren":
      return `(${printExpr(expr.inner)})`;
    case "Compare":
      return `${printOperand(expr.left)} ${expr.op} ${printOperand(expr.right)}`;
    case "In":
      return `${expr.subject.name.name} ${expr.negated ? "not in" : "in"} [${expr.values.map(printLiteral).join(", ")}]`;
    case "TextMatch":
      return `${expr.subject.name.name} ${expr.op} ${quote(expr.value.value)}`;
    case "IsSet":
      return `${expr.subject.name.name} is ${expr.negated ? "not " : ""}set`;
    default:
      return printLiteral(expr);
  }
}

function printOperand(o: A.Operand): string {
  return o.kind === "LeadField" ? `lead.${o.field.name}` : printExpr(o);
}

export function printDuration(d: A.Duration): string {
  return `${d.amount.text} ${d.business ? "business " : ""}${d.unit}${d.calendar ? ` on ${d.calendar.name}` : ""}`;
}

export function printExpectation(e: A.Expectation): string {
  switch (e.kind) {
    case "CountExpectation":
      return `count ${e.op} ${e.value.text}`;
    case "RateExpectation":
      return `rate of ${e.definition.name} ${e.op} ${e.value.text}%`;
    case "FirstTouchExpectation":
      return `first touch within ${printDuration(e.within)}`;
    case "TouchesExpectation":
      return `touches within ${printDuration(e.within)} ${e.op} ${e.value.text}`;
    default:
      return assertNever(e);
  }
}

class Printer {
  readonly lines: Line[] = [];


  private header(keyword: string, id: A.Ident | undefined, title: A.StringLit | undefined, block: A.Block): void {
    const parts = [keyword, id?.name, title ? quote(title.value) : undefined].filter((p) => p !== undefined);
    const l = line(`${parts.join(" ")} {`, 0, block, title ?? id ?? block);
    l.srcEnd = (title ?? id ?? block).range.start.line;
    l.opensBlock = true;
    this.lines.push(l);
  }

  private close(block: A.Block): void {
    const end = block.range.end.line;
    this.lines.push({ text: "}", depth: 0, srcStart: end, srcEnd: end, trailing: [], closesTopLevel: true, closesBlock: true });
  }

  /** `when`/`touches`: one line when it fits, else one line per operand of the top-level and/or. */
  private condition(keyword: string, expr: A.Expr, startNode: { range: A.Node["range"] }): void {
    const oneLine = `${keyword} ${printExpr(expr)}`;
    // Width alone decides: comments inside are moved beside the line, so a second run sees the same.
    const fits = INDENT.length + oneLine.length <= MAX_WIDTH;
    if (fits || (expr.kind !== "And" && expr.kind !== "Or")) {
      this.lines.push(line(oneLine, 1, startNode, expr));
      return;
    }
    const word = expr.kind === "And" ? "and" : "or";
    expr.operands.forEach((operand, i) => {
      if (i === 0) this.lines.push(line(`${keyword} ${printExpr(operand)}`, 1, startNode, operand));
      else this.lines.push(line(`${INDENT}${word} ${printExpr(operand)}`, 1, operand));
    });
  }

  block(block: A.Block): void {
    switch (block.kind) {
      case "Agreement": {
        this.header("agreement", undefined, block.title, block);
        const clauses: Array<[A.Node, string]> = [];
        if (block.version) clauses.push([block.version, `version ${block.version.text}`]);
        if (block.effective) clauses.push([block.effective, `effective ${block.effective.value}`]);
        if (block.timezone) clauses.push([block.timezone, `timezone ${quote(block.timezone.value)}`]);
        if (block.calendar) clauses.push([block.calendar, `calendar ${block.calendar.name}`]);
        for (const [node, text] of clauses.sort((a, b) => a[0].range.start.offset - b[0].range.start.offset)) {
          this.lines.push(line(text, 1, node));
        }
        break;
      }
      case "Team":
        this.header("team", block.id, block.title, block);
        if (block.approvers.length > 0) {
          const first = block.approvers[0]!;
          const last = block.approvers[block.approvers.length - 1]!;
          this.lines.push(line(`approvers ${block.approvers.map((h) => `@${h.value}`).join(", ")}`, 1, first, last));
        }
        break;
      case "Calendar": {
        this.header("calendar", block.id, undefined, block);
        const clauses: Array<[A.Node, A.Node, string]> = [];
        if (block.timezone) clauses.push([block.timezone, block.timezone, `timezone ${quote(block.timezone.value)}`]);
        for (const h of block.hours) {
          const days = h.days.map((d) => (d.to ? `${d.from.name}-${d.to.name}` : d.from.name)).join(", ");
          const intervals = h.intervals.map((i) => `${i.start.text}-${i.end.text}`).join(", ");
          clauses.push([h, h, `hours ${days} ${intervals}`]);
        }
        const firstHoliday = block.holidays[0];
        const lastHoliday = block.holidays[block.holidays.length - 1];
        if (firstHoliday && lastHoliday) {
          clauses.push([firstHoliday, lastHoliday, `holidays ${block.holidays.map((d) => d.value).join(", ")}`]);
        }
        for (const [from, to, text] of clauses.sort((a, b) => a[0].range.start.offset - b[0].range.start.offset)) {
          this.lines.push(line(text, 1, from, to));
        }
        break;
      }
      case "Fields":
      case "ActivityFields": {
        this.header(block.kind === "Fields" ? "fields" : "activity fields", undefined, undefined, block);
        const width = Math.max(0, ...block.fields.map((f) => f.name.name.length));
        for (const f of block.fields) {
          const parts = [f.name.name.padEnd(width), f.type];
          if (f.currency) parts.push(f.currency.name);
          if (f.oneOf) parts.push(`one of [${f.oneOf.map((s) => quote(s.value)).join(", ")}]`);
          if (f.column) parts.push(`from ${quote(f.column.value)}`);
          if (f.format) parts.push(printFieldFormat(f.format));
          if (f.pii) parts.push("pii");
          this.lines.push(line(parts.join(" "), 1, f));
        }
        break;
      }
      case "Lead": {
        this.header("lead", block.id, block.title, block);
        const clauses: Array<[number, () => void]> = [];
        const when = block.when;
        if (when) clauses.push([when.range.start.offset, () => this.condition("when", when, when)]);
        const since = block.since;
        if (since) clauses.push([since.range.start.offset, () => this.lines.push(line(`since ${since.name}`, 1, since))]);
        for (const [, print] of clauses.sort((a, b) => a[0] - b[0])) print();
        break;
      }
      case "Sla":
        this.header("sla", block.id, block.title, block);
        for (const mark of block.clauses) this.slaClause(block, mark);
        break;
      case "Goal":
        this.header("goal", block.id, block.title, block);
        for (const mark of block.clauses) this.goalClause(block, mark);
        break;
      case "Waiver":
        this.header("waiver", block.id, block.title, block);
        for (const mark of block.clauses) this.waiverClause(block, mark);
        break;
    }
    this.close(block);
  }

  private slaClause(sla: A.SlaBlock, mark: A.SlaBlock["clauses"][number]): void {
    const at = { range: mark.range };
    const push = (text: string) => this.lines.push(line(text, 1, at));
    switch (mark.keyword) {
      case "owner":
        if (sla.owner) push(`owner ${[sla.owner, ...(sla.extraOwners ?? [])].map((o) => o.name).join(", ")}`);
        return;
      case "leads":
        if (sla.leads) push(`leads ${sla.leads.name}${sla.clock ? ` from ${sla.clock.name}` : ""}`);
        return;
      case "touches":
        if (sla.touches) this.condition("touches", sla.touches, at);
        return;
      case "expect":
        if (sla.expect) push(`expect ${printExpectation(sla.expect)}`);
        return;
      case "target":
        if (sla.target) push(`target ${sla.target.text}%`);
        return;
      case "minimum":
        if (sla.minimum) push(`minimum ${sla.minimum.text} leads`);
        return;
      case "per":
        if (sla.per) push(`per ${sla.per.name}`);
        return;
      case "by":
        if (sla.by.length > 0) push(`by ${sla.by.map((b) => b.name).join(", ")}`);
        return;
      case "severity":
        if (sla.severity) push(`severity ${sla.severity.name}`);
        return;
      case "calendar":
        if (sla.calendar) push(`calendar ${sla.calendar.name}`);
        else if (sla.calendarBy) {
          const c = sla.calendarBy;
          const cases = c.cases.map((k): [string, A.Node] => [`${quote(k.value.value)}: ${k.calendar.name}`, k]);
          this.table(`calendar by ${c.field.name}`, cases, c.fallback ? ` default ${c.fallback.name}` : "", at);
        }
        return;
      default:
        assertNever(mark.keyword);
    }
  }

  private waiverClause(w: A.WaiverBlock, mark: A.WaiverBlock["clauses"][number]): void {
    const at = { range: mark.range };
    const push = (text: string) => this.lines.push(line(text, 1, at));
    switch (mark.keyword) {
      case "sla":
        if (w.slas.length > 0) push(`sla ${w.slas.map((s) => s.name).join(", ")}`);
        return;
      case "leads":
        if (w.leads.length > 0) push(`leads ${w.leads.map((l) => quote(l.value)).join(", ")}`);
        return;
      case "when":
        if (w.when) this.condition("when", w.when, at);
        return;
      case "periods":
        if (w.periods.length > 0) push(`periods ${w.periods.map((p) => p.text).join(", ")}`);
        return;
      case "from":
        if (w.from) push(`from ${w.from.value}`);
        return;
      case "until":
        if (w.until) push(`until ${w.until.value}`);
        return;
      default:
        assertNever(mark.keyword);
    }
  }

  private goalClause(goal: A.GoalBlock, mark: A.GoalBlock["clauses"][number]): void {
    const push = (text: string) => this.lines.push(line(text, 1, { range: mark.range }));
    switch (mark.keyword) {
      case "owner":
        if (goal.owners.length > 0) push(`owner ${goal.owners.map((o) => o.name).join(", ")}`);
        return;
      case "revenue":
        if (goal.revenue) {
          const r = goal.revenue;
          push(`revenue ${r.amount.text} ${r.amount.currency} per ${r.per.name} from ${r.from.name}`);
        }
        return;
      case "average deal":
        if (goal.averageDeal) push(`average deal ${goal.averageDeal.text} ${goal.averageDeal.currency}`);
        return;
      case "funnel":
        if (goal.funnel.length > 0) {
          push(`funnel ${goal.funnel.map((s) => `${s.definition.name}${s.rate ? ` ${s.rate.text}%` : ""}`).join(" -> ")}`);
        }
        return;
      case "by":
        if (goal.by.length > 0) push(`by ${goal.by.map((b) => b.name).join(", ")}`);
        return;
      case "quotas":
        if (goal.quotas) {
          const entries = goal.quotas.entries.map((e): [string, A.Node] => [`${quote(e.group.value)}: ${e.amount.text} ${e.amount.currency}`, e]);
          this.table("quotas", entries, "", { range: mark.range });
        }
        return;
      default:
        assertNever(mark.keyword);
    }
  }

  /** `HEAD { "k": v, … }TAIL` on one line when it fits, else one entry a line (`calendar by`, `quotas`). */
  private table(head: string, entries: ReadonlyArray<[string, A.Node]>, tail: string, at: { range: A.Node["range"] }): void {
    const oneLine = `${head} { ${entries.map(([text]) => text).join(", ")} }${tail}`;
    if (INDENT.length + oneLine.length <= MAX_WIDTH || entries.length === 0) {
      this.lines.push(line(entries.length === 0 ? `${head} {}${tail}` : oneLine, 1, at));
      return;
    }
    const first = line(`${head} {`, 1, at);
    first.srcEnd = first.srcStart;
    this.lines.push(first);
    entries.forEach(([text, node], i) => this.lines.push(line(`${INDENT}${text}${i < entries.length - 1 ? "," : ""}`, 1, node)));
    const last = line(`}${tail}`, 1, at);
    last.srcStart = last.srcEnd;
    this.lines.push(last);
  }
}

/**
 * Puts each comment back: after the code on its line, or on its own line before what followed it.
 * A comment inside a construct that now prints on one line (a list written one value a line, a
 * condition that fits) goes on its own line just before that line: appended to it, several would
 * run together (`# north america # canada`) and read as one.
 */
function placeComments(lines: Line[], comments: readonly A.Comment[], sourceLines: readonly string[]): Line[] {
  const out = [...lines];
  for (const comment of comments) {
    const lineNo = comment.range.start.line;
    const before = (sourceLines[lineNo - 1] ?? "").slice(0, comment.range.start.column - 1);
    const owner = [...out].reverse().find((l) => !l.isComment && l.srcStart <= lineNo && lineNo <= l.srcEnd);
    if (owner && lineNo === owner.srcStart && before.trim() !== "") {
      owner.trailing.push(comment.text);
      continue;
    }
    if (owner && lineNo > owner.srcStart) {
      out.splice(out.indexOf(owner), 0, { text: comment.text, depth: owner.depth, srcStart: owner.srcStart, srcEnd: owner.srcStart, trailing: [], isComment: true });
      continue;
    }
    const nextIndex = out.findIndex((l) => l.srcStart > lineNo);
    const next = nextIndex === -1 ? undefined : out[nextIndex];
    const depth = next ? (next.closesBlock ? next.depth + 1 : next.depth) : 0;
    const commentLine: Line = { text: comment.text, depth, srcStart: lineNo, srcEnd: lineNo, trailing: [], isComment: true };
    if (nextIndex === -1) out.push(commentLine);
    else out.splice(nextIndex, 0, commentLine);
  }
  return out;
}

function hasBlankBetween(sourceLines: readonly string[], afterLine: number, beforeLine: number): boolean {
  for (let l = afterLine + 1; l < beforeLine; l++) if ((sourceLines[l - 1] ?? "").trim() === "") return true;
  return false;
}

/** Trailing comments inside one block line up, one column past its longest commented line. */
function commentColumns(lines: readonly Line[]): Map<Line, number> {
  const columns = new Map<Line, number>();
  let body: Line[] = [];
  const flush = () => {
    const commented = body.filter((l) => l.trailing.length > 0);
    const width = Math.max(0, ...commented.map((l) => INDENT.length * l.depth + l.text.length));
    for (const l of commented) columns.set(l, width + 2);
    body = [];
  };
  for (const l of lines) {
    if (l.depth === 0 && !l.isComment) flush();
    else body.push(l);
  }
  flush();
  return columns;
}

function render(lines: readonly Line[], sourceLines: readonly string[]): string {
  const out: string[] = [];
  const columns = commentColumns(lines);
  let previous: Line | undefined;
  for (const l of lines) {
    if (previous) {
      const betweenTopLevel = previous.closesTopLevel === true && l.depth === 0;
      const keptBlank =
        hasBlankBetween(sourceLines, previous.srcEnd, l.srcStart) && !previous.opensBlock && !(l.closesBlock ?? false);
      if (betweenTopLevel || keptBlank) out.push("");
    }
    const code = `${INDENT.repeat(l.depth)}${l.text}`;
    const column = columns.get(l) ?? code.length + 2;
    out.push(l.trailing.length > 0 ? `${code.padEnd(column)}${l.trailing.join(" ")}` : code);
    previous = l;
  }
  return out.length === 0 ? "" : `${out.join("\n")}\n`;
}

export function formatFile(file: A.PolicyFile, sourceText: string): string {
  const sourceLines = sourceText.split(/\r\n|\r|\n/);
  const printer = new Printer();
  for (const block of file.blocks) printer.block(block);
  return render(placeComments(printer.lines, file.comments, sourceLines), sourceLines);
}

export type FormatResult = { ok: true; text: string } | { ok: false; diagnostics: Diagnostic[] };

/** Formats a policy file's text. Refuses, with the reasons, when the text does not parse cleanly. */
export function formatSource(path: string, text: string): FormatResult {
  const parsed = parseFile(path, text);
  const errors = parsed.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) return { ok: false, diagnostics: errors };
  return { ok: true, text: formatFile(parsed.file, text) };
}

/** A field's `format …` clause as written. */
export function printFieldFormat(format: A.FieldFormat): string {
  switch (format.kind) {
    case "Pattern":
      return `format ${quote(format.pattern.value)}`;
    case "Epoch":
      return `format epoch ${format.unit}`;
    default:
      return assertNever(format);
  }
}

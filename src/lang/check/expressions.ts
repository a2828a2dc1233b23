import type * as A from "../ast.js";
import { diagnostic, type Diagnostic, type DiagnosticCode } from "../diagnostics.js";
import { describeLiteral } from "../lower.js";
import type { Range } from "../range.js";
import { didYouMean } from "../suggest.js";

export type ValueType =
  | { kind: "text"; oneOf?: readonly string[] | undefined }
  | { kind: "number" }
  | { kind: "money"; currency: string }
  | { kind: "boolean" }
  | { kind: "time" }
  | { kind: "date" }
  | { kind: "percent" }
  /** A lead definition used as a condition: true when the lead is in it. */
  | { kind: "definition" };

export function fieldType(field: A.FieldDecl): ValueType {
  switch (field.type) {
    case "text":
      return { kind: "text", oneOf: field.oneOf?.map((s) => s.value) };
    case "money":
      return { kind: "money", currency: field.currency?.name ?? "" };
    default:
      return { kind: field.type };
  }
}

export function literalType(lit: A.Literal): ValueType {
  switch (lit.kind) {
    case "String":
      return { kind: "text" };
    case "Number":
      return { kind: "number" };
    case "Percent":
      return { kind: "percent" };
    case "Money":
      return { kind: "money", currency: lit.currency };
    case "Date":
      return { kind: "date" };
    case "DateTime":
      return { kind: "time" };
    case "Boolean":
      return { kind: "boolean" };
  }
}

export function describeType(t: ValueType): string {
  switch (t.kind) {
    case "text":
      return "text";
    case "number":
      return "a number";
    case "money":
      return `money (${t.currency})`;
    case "boolean":
      return "true/false";
    case "time":
      return "a time";
    case "date":
      return "a date";
    case "percent":
      return "a percentage";
    case "definition":
      return "a lead definition";
  }
}

/** What names mean inside one expression: lead fields and definitions, or activity fields. */
export interface Scope {
  /** "lead field or definition", "activity field": used in messages. */
  describe: string;
  unknownCode: DiagnosticCode;
  lookup(name: string): ValueType | undefined;
  /** " (did you mean 'x'?)" for an unknown name, or nothing. */
  suggest(name: string): string;
  /** Called for each resolved name, so usage warnings know what is used. */
  onUse?(name: string): void;
  /** What `lead.NAME` means here (the lead's own fields, in touch filters); null where it has no meaning. */
  leadFields: Scope | null;
}

const ORDERED = new Set(["number", "money", "time", "date"]);

function comparable(a: ValueType, b: ValueType): boolean {
  if (a.kind === b.kind) return true;
  const temporal = (t: ValueType) => t.kind === "time" || t.kind === "date";
  if (temporal(a) && temporal(b)) return true;
  // A bare number against money reads as "in the field's currency".
  if ((a.kind === "money" && b.kind === "number") || (a.kind === "number" && b.kind === "money")) return true;
  return false;
}

export class ExpressionChecker {
  constructor(
    private readonly scope: Scope,
    private readonly file: string,
    private readonly diagnostics: Diagnostic[],
  ) {}

  private report(code: DiagnosticCode, message: string, range: Range): void {
    this.diagnostics.push(diagnostic(code, message, this.file, range));
  }

  /** Checks an expression used as a condition. */
  condition(expr: A.Expr): void {
    const t = this.typeOf(expr);
    if (t && t.kind !== "boolean" && t.kind !== "definition") {
      const hint =
        expr.kind === "Ref" ? `; did you mean '${expr.name.name} is set' or a comparison such as '${expr.name.name} = …'?` : "";
      this.report("E0304", `${describeExpr(expr)} is ${describeType(t)}, not a true/false condition${hint}`, expr.range);
    }
  }

  private ref(ref: A.RefExpr): ValueType | undefined {
    const t = this.scope.lookup(ref.name.name);
    if (!t) {
      this.report(
        this.scope.unknownCode,
        `unknown ${this.scope.describe} '${ref.name.name}'${this.scope.suggest(ref.name.name)}`,
        ref.range,
      );
      return undefined;
    }
    this.scope.onUse?.(ref.name.name);
    return t;
  }

  private operandType(operand: A.Operand): ValueType | undefined {
    if (operand.kind === "Ref") return this.ref(operand);
    if (operand.kind === "LeadField") return this.leadField(operand);
    return literalType(operand);
  }

  /** `lead.owner`: a lead field, where the scope has them (touch filters). */
  private leadField(ref: A.LeadFieldRef): ValueType | undefined {
    const name = ref.field.name;
    const leads = this.scope.leadFields;
    // Lowering keeps `lead.NAME` only in touch filters (E0711 elsewhere), whose scope has lead fields.
    if (!leads) return undefined;
    const t = leads.lookup(name);
    if (!t || t.kind === "definition") {
      this.report(leads.unknownCode, `unknown ${leads.describe} '${name}'${leads.suggest(name)}`, ref.field.range);
      return undefined;
    }
    leads.onUse?.(name);
    return t;
  }

  /** The type of an expression, or undefined when it is already reported as wrong. */
  typeOf(expr: A.Expr): ValueType | undefined {
    switch (expr.kind) {
      case "Ref":
        return this.ref(expr);
      case "And":
      case "Or":
        for (const operand of expr.operands) this.condition(operand);
        return { kind: "boolean" };
      case "Not":
        this.condition(expr.operand);
        return { kind: "boolean" };
      case "Paren":
        return this.typeOf(expr.inner);
      case "Compare":
        this.compare(expr);
        return { kind: "boolean" };
      case "In":
        this.membership(expr);
        return { kind: "boolean" };
      case "TextMatch": {
        const t = this.ref(expr.subject);
        if (t && t.kind !== "text") {
          this.report(
            "E0302",
            `'${expr.op}' works on text, but '${expr.subject.name.name}' is ${describeType(t)}`,
            expr.range,
          );
        }
        return { kind: "boolean" };
      }
      case "IsSet": {
        const t = this.ref(expr.subject);
        if (t?.kind === "definition") {
          this.report(
            "E0302",
            `'${expr.subject.name.name}' is a lead definition: use it on its own (or with 'not') rather than with 'is set'`,
            expr.range,
          );
        }
        return { kind: "boolean" };
      }
      default:
        return literalType(expr);
    }
  }

  private compare(expr: A.CompareExpr): void {
    const left = this.operandType(expr.left);
    const right = this.operandType(expr.right);
    if (!left || !right) return;
    for (const [side, t] of [
      [expr.left, left],
      [expr.right, right],
    ] as const) {
      if (t.kind === "definition") {
        this.report("E0302", `'${describeExpr(side)}' is a lead definition and cannot be compared`, side.range);
        return;
      }
    }
    if (!comparable(left, right)) {
      this.report(
        "E0301",
        `cannot compare ${describeExpr(expr.left)} (${describeType(left)}) with ${describeExpr(expr.right)} (${describeType(right)})`,
        expr.range,
      );
      return;
    }
    if (left.kind === "money" && right.kind === "money" && left.currency !== right.currency) {
      this.report("E0305", `cannot compare ${left.currency} with ${right.currency}`, expr.range);
      return;
    }
    if (expr.op !== "=" && expr.op !== "!=" && !ORDERED.has(left.kind)) {
      this.report(
        "E0302",
        `'${expr.op}' needs numbers, money, dates or times; ${describeExpr(expr.left)} is ${describeType(left)} (use = or != )`,
        expr.range,
      );
      return;
    }
    this.allowedValue(left, expr.right);
    this.allowedValue(right, expr.left);
  }

  private membership(expr: A.InExpr): void {
    const subject = this.ref(expr.subject);
    if (!subject) return;
    if (subject.kind === "definition") {
      this.report("E0302", `'${expr.subject.name.name}' is a lead definition; 'in' needs a field`, expr.range);
      return;
    }
    for (const value of expr.values) {
      const t = literalType(value);
      if (!comparable(subject, t)) {
        this.report(
          "E0301",
          `'${expr.subject.name.name}' is ${describeType(subject)}, but the list holds ${describeLiteral(value)}`,
          value.range,
        );
        continue;
      }
      this.allowedValue(subject, value);
    }
  }

  /** A text literal compared with a `one of` field must be one of its values: it catches typos in stage names. */
  private allowedValue(t: ValueType, operand: A.Operand): void {
    if (t.kind !== "text" || !t.oneOf || operand.kind !== "String") return;
    if (t.oneOf.includes(operand.value)) return;
    this.report(
      "E0303",
      `"${operand.value}" is not one of the field's values${didYouMean(operand.value, t.oneOf)}: ${t.oneOf.map((v) => `"${v}"`).join(", ")}`,
      operand.range,
    );
  }
}

function describeExpr(expr: A.Expr | A.LeadFieldRef): string {
  if (expr.kind === "Ref") return `'${expr.name.name}'`;
  if (expr.kind === "LeadField") return `'lead.${expr.field.name}'`;
  if (expr.kind === "String" || expr.kind === "Number" || expr.kind === "Money" || expr.kind === "Date" || expr.kind === "DateTime" || expr.kind === "Percent" || expr.kind === "Boolean") {
    return describeLiteral(expr);
  }
  return "this condition";
}

/** Every `lead.NAME` in a condition (touch filters), in source order. Iterative: no depth to overflow. */
export function leadFieldsIn(root: A.Expr | undefined): A.LeadFieldRef[] {
  const found: A.LeadFieldRef[] = [];
  const stack: A.Expr[] = root ? [root] : [];
  while (stack.length > 0) {
    const e = stack.pop()!;
    switch (e.kind) {
      case "And":
      case "Or":
        stack.push(...[...e.operands].reverse());
        break;
      case "Not":
        stack.push(e.operand);
        break;
      case "Paren":
        stack.push(e.inner);
        break;
      case "Compare":
        for (const o of [e.left, e.right]) if (o.kind === "LeadField") found.push(o);
        break;
      default:
        break;
    }
  }
  return found;
}

/** Every name referred to in an expression, in source order. */
export function refsIn(expr: A.Expr | undefined): A.RefExpr[] {
  if (!expr) return [];
  switch (expr.kind) {
    case "Ref":
      return [expr];
    case "And":
    case "Or":
      return expr.operands.flatMap(refsIn);
    case "Not":
      return refsIn(expr.operand);
    case "Paren":
      return refsIn(expr.inner);
    case "Compare":
      return [expr.left, expr.right].flatMap((o) => (o.kind === "LeadField" ? [] : refsIn(o)));
    case "In":
    case "TextMatch":
    case "IsSet":
      return [expr.subject];
    default:
      return [];
  }
}

import type * as A from "./ast.js";
import { compilePolicy, type CompiledPolicy } from "./compiled.js";
import { printExpectation, printExpr, quote } from "./format.js";

export type ItemKind = "agreement" | "team" | "calendar" | "field" | "lead" | "sla" | "goal" | "waiver";

export interface PolicyChange {
  change: "added" | "removed" | "changed";
  item: ItemKind;
  id: string;
  /** What changed, in words: "target 95% → 90%". Empty for added and removed items. */
  details: string[];
}

export interface PolicyDiff {
  /** The two versions mean the same. */
  same: boolean;
  /** They mean the same but are written differently (only layout or comments changed). */
  onlyFormatting: boolean;
  changes: PolicyChange[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const arrow = (what: string, before: string, after: string) => `${what}: ${before} → ${after}`;
const orNone = (s: string | undefined) => (s === undefined || s === "" ? "(none)" : s);

function percent(p: A.PercentLit | undefined): string | undefined {
  return p ? `${p.text}%` : undefined;
}

/** Top-level operands of a condition, so a change reads condition by condition. */
function conditions(e: A.Expr | undefined): { joiner: string; parts: string[] } {
  if (!e) return { joiner: "and", parts: [] };
  if (e.kind === "And" || e.kind === "Or") return { joiner: e.kind === "And" ? "and" : "or", parts: e.operands.map(printExpr) };
  return { joiner: "and", parts: [printExpr(e)] };
}

function conditionChanges(before: A.Expr | undefined, after: A.Expr | undefined): string[] {
  const b = conditions(before);
  const a = conditions(after);
  if (b.joiner !== a.joiner && b.parts.length > 1 && a.parts.length > 1) {
    return [arrow("condition", `\`${before ? printExpr(before) : ""}\``, `\`${after ? printExpr(after) : ""}\``)];
  }
  const removed = b.parts.filter((p) => !a.parts.includes(p));
  const added = a.parts.filter((p) => !b.parts.includes(p));
  const out: string[] = [];
  const paired = Math.min(removed.length, added.length);
  for (let i = 0; i < paired; i++) out.push(arrow("condition", `\`${removed[i]}\``, `\`${added[i]}\``));
  for (const r of removed.slice(paired)) out.push(`condition removed: \`${r}\``);
  for (const x of added.slice(paired)) out.push(`condition added (${a.joiner}): \`${x}\``);
  if (out.length === 0 && !same(before, after)) out.push("conditions reordered");
  return out;
}

function field<T>(what: string, before: T, after: T, show: (v: T) => string | undefined): string[] {
  const b = orNone(show(before));
  const a = orNone(show(after));
  return b === a ? [] : [arrow(what, b, a)];
}

/** A severity with what it does to the run, so a reviewer sees that soft → hard now fails CI. */
const SEVERITY_EFFECT: Readonly<Record<A.Severity, string>> = {
  hard: "a breach fails the compliance check",
  soft: "a breach fails the check only with --fail-on soft",
  advisory: "a breach never fails the check",
};

function severityWords(s: A.Ident | undefined): string {
  const name = (s?.name ?? "hard") as A.Severity;
  return `${name}${s ? "" : " (default)"}: ${SEVERITY_EFFECT[name] ?? "unknown severity"}`;
}

function slaDetails(b: A.SlaBlock, a: A.SlaBlock): string[] {
  return [
    ...field("title", b.title, a.title, (t) => t && quote(t.value)),
    ...field("owner", b.owner, a.owner, (t) => t?.name),
    ...field("leads", b, a, (s) => (s.leads ? `${s.leads.name}${s.clock ? ` from ${s.clock.name}` : ""}` : undefined)),
    ...(same(b.touches, a.touches) ? [] : [arrow("counted touches", orNone(b.touches && `\`${printExpr(b.touches)}\``), orNone(a.touches && `\`${printExpr(a.touches)}\``))]),
    ...field("expectation", b.expect, a.expect, (e) => e && printExpectation(e)),
    ...field("target", b.target, a.target, (t) => percent(t) ?? "100% (default)"),
    ...field("period", b.per, a.per, (p) => p?.name ?? "whole snapshot"),
    ...field("grouped by", b.by, a.by, (by) => by.map((x) => x.name).join(", ")),
    ...field("severity", b.severity, a.severity, severityWords),
    ...field("calendar", b, a, calendarText),
  ];
}

/** An SLA's calendar as written: one, picked per lead (`by region {…} default ny`), or the agreement's. */
function calendarText(s: A.SlaBlock): string {
  if (s.calendar) return s.calendar.name;
  const by = s.calendarBy;
  if (!by) return "the agreement's";
  const cases = by.cases.map((c) => `${quote(c.value.value)}: ${c.calendar.name}`).join(", ");
  return `by ${by.field.name} { ${cases} }${by.fallback ? ` default ${by.fallback.name}` : ""}`;
}

function goalDetails(b: A.GoalBlock, a: A.GoalBlock): string[] {
  const revenue = (r: A.RevenueClause | undefined) => r && `${r.amount.text} ${r.amount.currency} per ${r.per.name} from ${r.from.name}`;
  const funnel = (f: A.FunnelStage[]) => f.map((s) => `${s.definition.name}${s.rate ? ` ${s.rate.text}%` : ""}`).join(" -> ");
  return [
    ...field("title", b.title, a.title, (t) => t && quote(t.value)),
    ...field("owners", b.owners, a.owners, (o) => o.map((x) => x.name).join(", ")),
    ...field("revenue", b.revenue, a.revenue, revenue),
    ...field("average deal", b.averageDeal, a.averageDeal, (m) => (m ? `${m.text} ${m.currency}` : "measured from the snapshot")),
    ...field("funnel", b.funnel, a.funnel, funnel),
    ...field("grouped by", b.by, a.by, (by) => by.map((x) => x.name).join(", ")),
    ...field("quotas", b.quotas, a.quotas, (q) => q?.entries.map((e) => `${quote(e.group.value)}: ${e.amount.text} ${e.amount.currency}`).join(", ") || "none"),
  ];
}

function waiverDetails(b: A.WaiverBlock, a: A.WaiverBlock): string[] {
  const ids = (w: A.WaiverBlock) => w.leads.map((l) => quote(l.value)).join(", ");
  return [
    ...field("reason", b.title, a.title, (t) => t && quote(t.value)),
    ...field("SLAs", b.slas, a.slas, (s) => s.map((x) => x.name).join(", ")),
    ...field("leads", b, a, ids),
    ...(same(b.when, a.when) ? [] : [arrow("leads whose", orNone(b.when && `\`${printExpr(b.when)}\``), orNone(a.when && `\`${printExpr(a.when)}\``))]),
    ...field("periods", b.periods, a.periods, (p) => p.map((x) => x.text).join(", ") || "any"),
    ...field("from", b.from, a.from, (d) => d?.value ?? "any time"),
    ...field("until", b.until, a.until, (d) => d?.value),
  ];
}

function calendarDetails(b: A.CalendarBlock, a: A.CalendarBlock): string[] {
  const hours = (c: A.CalendarBlock) =>
    c.hours.map((h) => `${h.days.map((d) => (d.to ? `${d.from.name}-${d.to.name}` : d.from.name)).join(", ")} ${h.intervals.map((i) => `${i.start.text}-${i.end.text}`).join(", ")}`).join("; ");
  const before = new Set(b.holidays.map((h) => h.value));
  const after = new Set(a.holidays.map((h) => h.value));
  const out = [...field("time zone", b.timezone, a.timezone, (z) => z?.value ?? "the agreement's"), ...field("hours", b, a, hours)];
  const added = [...after].filter((d) => !before.has(d));
  const removed = [...before].filter((d) => !after.has(d));
  if (added.length) out.push(`holidays added: ${added.join(", ")}`);
  if (removed.length) out.push(`holidays removed: ${removed.join(", ")}`);
  return out;
}

function details(item: ItemKind, b: unknown, a: unknown): string[] {
  switch (item) {
    case "agreement": {
      const x = b as A.AgreementBlock;
      const y = a as A.AgreementBlock;
      return [
        ...field("title", x.title, y.title, (t) => quote(t.value)),
        ...field("version", x.version, y.version, (v) => v?.text),
        ...field("effective", x.effective, y.effective, (d) => d?.value),
        ...field("time zone", x.timezone, y.timezone, (z) => z?.value),
        ...field("default calendar", x.calendar, y.calendar, (c) => c?.name),
      ];
    }
    case "team":
      return [
        ...field("title", (b as A.TeamBlock).title, (a as A.TeamBlock).title, (t) => t && quote(t.value)),
        ...field("approvers", (b as A.TeamBlock).approvers, (a as A.TeamBlock).approvers, (h) => h.map((x) => `@${x.value}`).join(", ")),
      ];
    case "calendar":
      return calendarDetails(b as A.CalendarBlock, a as A.CalendarBlock);
    case "field": {
      const x = b as A.FieldDecl;
      const y = a as A.FieldDecl;
      return [
        ...field("type", x, y, (f) => `${f.type}${f.currency ? ` ${f.currency.name}` : ""}`),
        ...field("column", x.column, y.column, (c) => (c ? quote(c.value) : "its own name")),
        ...field("allowed values", x.oneOf, y.oneOf, (o) => o?.map((s) => quote(s.value)).join(", ") ?? "any"),
        ...field("personal (pii)", x.pii, y.pii, (p) => (p ? "yes" : "no")),
      ];
    }
    case "lead": {
      const x = b as A.LeadBlock;
      const y = a as A.LeadBlock;
      return [
        ...field("title", x.title, y.title, (t) => t && quote(t.value)),
        ...conditionChanges(x.when, y.when),
        ...field("since", x.since, y.since, (s) => s?.name),
      ];
    }
    case "sla":
      return slaDetails(b as A.SlaBlock, a as A.SlaBlock);
    case "goal":
      return goalDetails(b as A.GoalBlock, a as A.GoalBlock);
    case "waiver":
      return waiverDetails(b as A.WaiverBlock, a as A.WaiverBlock);
  }
}

function itemsOf(p: CompiledPolicy): Array<{ item: ItemKind; id: string; node: unknown }> {
  return [
    ...(p.agreement ? [{ item: "agreement" as const, id: "agreement", node: p.agreement }] : []),
    ...p.teams.map((t) => ({ item: "team" as const, id: t.id.name, node: t })),
    ...p.calendars.map((c) => ({ item: "calendar" as const, id: c.id.name, node: c })),
    ...p.fields.map((f) => ({ item: "field" as const, id: f.name.name, node: f })),
    ...p.leads.map((l) => ({ item: "lead" as const, id: l.id.name, node: l })),
    ...p.slas.map((s) => ({ item: "sla" as const, id: s.id.name, node: s })),
    ...p.goals.map((g) => ({ item: "goal" as const, id: g.id.name, node: g })),
    ...p.waivers.map((w) => ({ item: "waiver" as const, id: w.id.name, node: w })),
  ];
}

/** What changed between two versions of a policy set, item by item, in words. */
export function diffPolicies(before: readonly A.PolicyFile[], after: readonly A.PolicyFile[], textChanged: boolean): PolicyDiff {
  const b = itemsOf(compilePolicy(before));
  const a = itemsOf(compilePolicy(after));
  const key = (x: { item: string; id: string }) => `${x.item}:${x.id}`;
  const afterByKey = new Map(a.map((x) => [key(x), x]));
  const beforeByKey = new Map(b.map((x) => [key(x), x]));
  const changes: PolicyChange[] = [];
  for (const x of b) {
    const y = afterByKey.get(key(x));
    if (!y) changes.push({ change: "removed", item: x.item, id: x.id, details: [] });
    else if (!same(x.node, y.node)) changes.push({ change: "changed", item: x.item, id: x.id, details: details(x.item, x.node, y.node) });
  }
  for (const y of a) if (!beforeByKey.has(key(y))) changes.push({ change: "added", item: y.item, id: y.id, details: [] });
  return { same: changes.length === 0, onlyFormatting: changes.length === 0 && textChanged, changes };
}


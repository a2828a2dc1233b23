import pc from "picocolors";
import type { ConditionStep, LeadExplanation } from "../engine/explain.js";
import { visible as v } from "./escape.js";
import { formatTime, versionWords } from "./format-values.js";

// Every string of an explanation comes from the policy or the lead's data: each goes through
// visible() (v), so escape sequences and line breaks in a value are shown, never obeyed.

function steps(step: ConditionStep, depth: number, c: ReturnType<typeof pc.createColors>): string[] {
  const mark = step.result ? c.green("✓") : c.red("✗");
  const saw = step.saw.length > 0 ? c.dim(`   (${step.saw.map(v).join("; ")})`) : "";
  const lines = [`${"  ".repeat(depth)}${mark} ${v(step.text)}${saw}`];
  for (const child of step.children) lines.push(...steps(child, depth + 1, c));
  return lines;
}

/** `explain` for a person: each definition's conditions with the values seen, then each SLA's clock and outcome. */
export function renderExplainText(e: LeadExplanation, options: { color: boolean }): string {
  const c = pc.createColors(options.color);
  const out: string[] = [c.bold(`Lead ${v(e.id)}`) + c.dim(` · as of ${formatTime(e.asOf, e.timezone)} · times in ${v(e.timezone)}`), ""];
  out.push(c.bold("Definitions"));
  for (const d of e.definitions) {
    out.push(`  ${d.result ? c.green("YES") : c.red("NO ")} ${c.bold(d.id)}${d.title ? ` — ${v(d.title)}` : ""}`);
    out.push(...steps(d.condition, 3, c));
    if (d.since) out.push(c.dim(`      since ${d.since.field}: ${v(d.since.value ?? "(empty)")}`));
  }
  out.push("", c.bold("SLAs"));
  for (const s of e.slas) {
    const color = s.outcome === "met" ? c.green : s.outcome === "breached" ? c.red : s.outcome === "pending" ? c.yellow : c.dim;
    out.push(`  ${c.bold(s.id)} (${s.owner}, ${s.severity}) — ${v(s.expectation)}: ${color(s.outcome.replace(/_/g, " "))}`);
    out.push(`      ${v(s.why)}`);
    if (s.judgedBy) out.push(c.dim(`      judged by ${versionWords(s.judgedBy)}, effective ${s.judgedBy.effective ?? "from the beginning"}: the version in force at the lead's clock start`));
    if (s.outcome === "not_in_population") continue;
    out.push(c.dim(`      clock ${s.clock.field}: ${v(s.clock.value ?? "(empty)")}${s.period && s.period !== "all" ? ` · period ${s.period}` : ""} · group ${v(s.group)}`));
    if (s.deadline) out.push(c.dim(`      window ${v(s.window ?? "")}: deadline ${v(s.deadline)}`));
    for (const t of s.touches) out.push(`      ${t.counted ? c.green("✓") : c.dim("·")} ${v(t.at)} ${v(t.type ?? "(no type)")} — ${v(t.why)}`);
  }
  return `${out.join("\n")}\n`;
}

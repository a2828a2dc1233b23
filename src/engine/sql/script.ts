import type { CompiledSql } from "./compile.js";

/**
 * The compiled SQL as one script a data team can read, review and schedule: the set-up
 * statements, the definition counts, then each SLA's queries, each under a comment naming it.
 * `only`: the SLAs to print (all when empty).
 */
export function sqlScript(compiled: CompiledSql, heading: readonly string[], only: ReadonlySet<string>): string {
  const parts: string[] = [heading.map((line) => `-- ${line.replace(/[\r\n]+/g, " ")}`).join("\n"), ...compiled.setup];
  if (compiled.definitions && only.size === 0) parts.push(`-- leads in each definition\n${compiled.definitions}`);
  for (const sla of compiled.slas) {
    if (only.size > 0 && !only.has(sla.id)) continue;
    parts.push(sla.results, `-- sla ${sla.id}: leads in its population without a clock time, per group\n${sla.noClock}`);
  }
  for (const n of compiled.notCompiled) if (only.size === 0 || only.has(n.id)) parts.push(`-- sla ${n.id} is not compiled: ${n.reason}`);
  return `${parts.join("\n\n")}\n`;
}

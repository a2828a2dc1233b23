import { LEAD_ID_FIELD } from "../vocabulary.js";
import type { CheckContext } from "./context.js";

/** Warnings for what nothing uses; runs last, when every check has recorded its uses. */
export function unusedDeclarations(ctx: CheckContext): void {
  const { symbols } = ctx;
  for (const [name, loc] of symbols.leads) {
    if (!ctx.usedLeads.has(name)) {
      ctx.report("W0101", `lead definition '${name}' is not used by any SLA, goal or other definition`, loc.file, loc.node.id.range);
    }
  }
  for (const lead of symbols.leads.values()) if (lead.node.since) ctx.usedFields.add(lead.node.since.name);
  // The lead id's field is read on every row, whether or not a condition names it.
  ctx.usedFields.add(LEAD_ID_FIELD);
  for (const [name, loc] of symbols.fields) {
    if (!ctx.usedFields.has(name)) {
      ctx.report("W0102", `field '${name}' is not used by any definition, SLA or goal`, loc.file, loc.node.name.range);
    }
  }
  for (const [name, loc] of symbols.calendars) {
    if (!ctx.usedCalendars.has(name)) {
      ctx.report("W0105", `calendar '${name}' is not used by the agreement or any SLA`, loc.file, loc.node.id.range);
    }
  }
}

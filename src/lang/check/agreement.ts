import type * as A from "../ast.js";
import { START_OF_FILE } from "../range.js";
import { checkZone } from "./calendars.js";
import type { CheckContext } from "./context.js";

/** A policy set without an agreement: reported once, at the start of the first file. */
export function agreementPresent(ctx: CheckContext, files: readonly A.PolicyFile[]): void {
  if (ctx.symbols.agreement) return;
  ctx.report(
    "E0104",
    'no agreement block found; add one: agreement "Our SLA" { version 1  effective 2026-01-01  timezone "America/New_York" }',
    files[0]?.path ?? "policies",
    START_OF_FILE,
  );
}

export function agreementClauses(a: A.AgreementBlock, file: string, ctx: CheckContext): void {
  if (a.timezone) checkZone(a.timezone, file, ctx.diagnostics);
  else ctx.report("E0103", "the agreement needs a timezone: periods and calendars are read in it", file, a.title.range);
  if (a.version && (!Number.isInteger(a.version.value) || a.version.value < 1)) {
    ctx.report("E0403", "the version is a whole number from 1", file, a.version.range);
  }
  if (a.calendar) ctx.calendarRef(a.calendar, file);
  if (a.calendarBy) ctx.report("E0106", "'calendar by FIELD' picks a calendar per lead, in an SLA; the agreement names one calendar", file, a.calendarBy.range);
}

import { buildPlan } from "../../engine/plan.js";
import { compileSql } from "../../engine/sql/compile.js";
import { DIALECTS, type Dialect } from "../../engine/sql/dialect.js";
import { sqlScript } from "../../engine/sql/script.js";
import { parseAsOf } from "../../snapshot/as-of.js";
import { EXIT, UsageError, type ExitCode } from "../exit-codes.js";
import type { CliIO } from "../io.js";
import { loadValidPolicy } from "../load-policy.js";

export interface SqlOptions {
  policies: string;
  dialect: string;
  sla?: string[];
  asOf?: string;
  leadsTable: string;
  activitiesTable: string;
  days: string;
}

const DAY_MS = 86_400_000;

/** Prints the policy compiled to SQL (docs/engines.md): what a data team reviews or schedules. */
export async function sqlCommand(io: CliIO, options: SqlOptions): Promise<ExitCode> {
  if (!DIALECTS.includes(options.dialect as Dialect)) throw new UsageError(`--dialect must be one of ${DIALECTS.join(", ")}, not '${options.dialect}'`);
  const days = Number(options.days);
  if (!Number.isInteger(days) || days < 1 || days > 3660) throw new UsageError(`--days must be a whole number from 1 to 3660, not '${options.days}'`);
  const policy = await loadValidPolicy(io, options.policies);
  if (!policy) return EXIT.invalid;
  const plan = buildPlan(policy.analyzed.symbols);
  const asOf = options.asOf === undefined ? Date.now() : parseAsOf(options.asOf, plan.zone);
  if (asOf === undefined) throw new UsageError(`--as-of '${options.asOf}' is not a date/time; use ISO 8601, e.g. 2027-03-15T21:00:00Z`);
  const only = new Set(options.sla ?? []);
  for (const id of only) if (!plan.slas.some((s) => s.id === id)) throw new UsageError(`no SLA '${id}' in '${options.policies}'; it has ${plan.slas.map((s) => s.id).join(", ") || "none"}`);

  // Business-hour deadlines read a table of open intervals: from `days` before as_of (the
  // oldest clock the report judges) to 60 days after it (the longest window's end).
  const today = Math.floor(asOf / DAY_MS);
  const compiled = compileSql(plan, {
    dialect: options.dialect as Dialect,
    asOf,
    leadsTable: options.leadsTable,
    activitiesTable: options.activitiesTable,
    calendarDays: { from: today - days, to: today + 60 },
  });
  const heading = [
    `smarketing-policy: "${plan.agreement.title}"${plan.agreement.version !== undefined ? ` version ${plan.agreement.version}` : ""}, compiled for ${options.dialect}`,
    `as_of ${new Date(asOf).toISOString()}; times are epoch milliseconds; periods in ${plan.zone.name}`,
    `reads ${options.leadsTable} and ${options.activitiesTable}; columns as the export names them`,
  ];
  io.stdout(sqlScript(compiled, heading, only));
  for (const n of compiled.notCompiled) if (only.size === 0 || only.has(n.id)) io.stderr(`note: SLA '${n.id}' is not compiled: ${n.reason}\n`);
  return EXIT.ok;
}

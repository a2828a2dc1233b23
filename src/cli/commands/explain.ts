import { DateTime } from "luxon";
import { explainLead } from "../../engine/explain.js";
import type { Value } from "../../engine/ir.js";
import { buildPlan, type FieldPlan } from "../../engine/plan.js";
import { didYouMean } from "../../lang/suggest.js";
import { renderExplainText } from "../../report/explain-text.js";
import { visible } from "../../report/escape.js";
import { createMasker, piiFieldsOf } from "../../report/mask.js";
import { ActivityConverter, LeadConverter } from "../../snapshot/convert.js";
import { leadRecordSchemaFromPlan } from "../../snapshot/lead-schema.js";
import { findDataFiles, forEachRow } from "../../snapshot/read.js";
import { EXIT, UsageError, type ExitCode } from "../exit-codes.js";
import { useColor, type CliIO } from "../io.js";
import { loadValidPolicy } from "../load-policy.js";
import { locateSnapshot } from "../snapshot-options.js";

export interface ExplainOptions {
  snapshot: string;
  lead: string;
  policies: string;
  asOf?: string;
  format: string;
  showPii?: boolean;
}

/** Finds one lead in a snapshot and explains, step by step, how the agreement treats it. */
export async function explainCommand(io: CliIO, options: ExplainOptions): Promise<ExitCode> {
  if (!["text", "json"].includes(options.format)) throw new UsageError(`--format must be text or json, not '${options.format}'`);
  const policy = await loadValidPolicy(io, options.policies);
  if (!policy) return EXIT.invalid;
  const plan = buildPlan(policy.analyzed.symbols);
  const masker = createMasker(piiFieldsOf(plan), options.showPii === true);
  const where = await locateSnapshot(io, options.snapshot, options.asOf, plan);
  if (where.database) {
    throw new UsageError(`explain reads a snapshot's files, and ${where.shown}/snapshot.yaml names ${where.database.engine} tables (source:): export the lead's rows to a folder to explain one (docs/engines.md)`);
  }
  const files = await findDataFiles(where.dir, where.shown);
  const converter = new LeadConverter({ fields: plan.fields, schema: leadRecordSchemaFromPlan(plan), zone: plan.zone });
  let values: Value[] | undefined;
  const ids: string[] = [];
  let rejected: string | undefined;
  let rejectedLine = 0;
  await forEachRow(files.leads, (row) => {
    if (values || rejected || "error" in row) return;
    const rawId = row.record.get("id");
    const id = typeof rawId === "string" ? rawId.trim() : rawId === undefined || rawId === null ? "" : String(rawId);
    if (id !== options.lead) {
      if (ids.length < 100_000) ids.push(id);
      return;
    }
    const converted = converter.convert(row.record);
    if (converted.ok) values = converted.values;
    else {
      rejected = converted.reason;
      rejectedLine = row.line;
    }
  });
  if (rejected) {
    io.stderr(`${visible(files.leads.file)}:${rejectedLine}: lead '${visible(masker.text(options.lead))}' is rejected: ${visible(masker.text(rejected))}\n`);
    return EXIT.invalid;
  }
  if (!values) {
    // Other leads' ids may be e-mail addresses: never offered as a guess unless --show-pii.
    io.stderr(`${visible(masker.text(`no lead with id '${options.lead}' in ${files.leads.file}${didYouMean(options.lead, ids.filter(masker.mayShow))}`))}\n`);
    return EXIT.invalid;
  }
  const activities: Value[][] = [];
  if (files.activities) {
    const activityConverter = new ActivityConverter(converter.timestamps);
    await forEachRow(files.activities, (row) => {
      if ("error" in row || row.record.get("lead_id") === undefined || String(row.record.get("lead_id")).trim() !== options.lead) return;
      const converted = activityConverter.convert(row.record);
      if (converted.ok) activities.push(converted.values);
    });
  }
  const showValue = (field: FieldPlan, value: Value): string => {
    if (value === null || value === undefined) return "empty";
    if (field.pii && !options.showPii) return "(personal, hidden)";
    if (field.type === "time" || field.type === "date") return showTime(value as number);
    return typeof value === "string" ? JSON.stringify(masker.text(value)) : String(value);
  };
  const showTime = (ms: number) => DateTime.fromMillis(ms, { zone: plan.zone.name }).toFormat("yyyy-MM-dd HH:mm ZZZZ");
  const showGroup = (label: string, by: readonly string[]) => masker.group(label, by);
  // Titles, touch types and ids are data or policy text too: every string is masked at the end.
  const explanation = masker.deep(explainLead({ plan, id: options.lead, values, activities, asOf: where.asOf, showValue, showTime, showGroup }));
  io.stdout(options.format === "json" ? `${JSON.stringify(explanation, null, 2)}\n` : renderExplainText(explanation, { color: useColor(io) }));
  return EXIT.ok;
}

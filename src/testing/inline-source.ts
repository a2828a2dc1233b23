import type { Value } from "../engine/ir.js";
import type { EvalPlan } from "../engine/plan.js";
import type { RowSink, SnapshotSource, SourceEnd, SourceInput } from "../engine/source.js";
import { ActivityConverter, LeadConverter, objectRecord } from "../snapshot/convert.js";
import { leadRecordSchemaFromPlan } from "../snapshot/lead-schema.js";

type Row = Readonly<Record<string, unknown>>;

/**
 * A policy test's own leads and activities (SPEC §5 `test`) as a snapshot source: converted
 * like a snapshot's rows, numbered 1, 2… in each list (the line a reject names).
 */
export class InlineSource implements SnapshotSource {
  readonly engine = "memory";
  readonly inputs: readonly SourceInput[] = [
    { name: "the test's leads", kind: "leads" },
    { name: "the test's activities", kind: "activities" },
  ];
  /** The numbers of the activities that did not convert (the others not used have no lead). */
  readonly rejectedActivities = new Set<number>();

  /** `onLead`: each lead's values as converted (the coverage probes read them). */
  constructor(
    private readonly leads: readonly Row[],
    private readonly activities: readonly Row[],
    private readonly onLead: (values: readonly Value[]) => void = () => {},
  ) {}

  estimate(): number {
    return this.leads.length;
  }

  async rows(plan: EvalPlan, sink: RowSink): Promise<SourceEnd> {
    const converter = new LeadConverter({ fields: plan.fields, schema: leadRecordSchemaFromPlan(plan), zone: plan.zone });
    const activityConverter = new ActivityConverter(converter.timestamps);
    // Times without an offset are counted in the rows used only, as a snapshot's are (SourceEnd).
    const timestamps = converter.timestamps;
    let naive = 0;
    this.leads.forEach((lead, i) => {
      // Tests may name values by field (lead_score) or by snapshot column ("HubSpot Score").
      const raw: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(lead)) raw[plan.fieldByName.get(key)?.column ?? key] = value;
      const before = timestamps.naive;
      const converted = converter.convert(objectRecord(raw));
      if (!converted.ok) return sink.reject("leads", i + 1, converted.reason, converted.id);
      this.onLead(converted.values);
      if (sink.lead(i + 1, converted.id, converted.values)) naive += timestamps.naive - before;
    });
    this.activities.forEach((activity, i) => {
      const before = timestamps.naive;
      const converted = activityConverter.convert(objectRecord(activity));
      if (converted.ok) {
        if (sink.activity(i + 1, converted.values)) naive += timestamps.naive - before;
        return;
      }
      this.rejectedActivities.add(i + 1);
      sink.reject("activities", i + 1, converted.reason);
    });
    return { naiveTimestamps: naive, emptySlots: [] };
  }
}

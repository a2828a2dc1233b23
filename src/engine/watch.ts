import type { Value } from "./ir.js";
import { ACTIVITY_SLOT } from "./plan.js";
import type { RowSink } from "./source.js";

/** How many other leads' ids a watch keeps for "did you mean": enough for a typo, bounded in memory. */
const OTHER_IDS_KEPT = 100_000;

/**
 * One lead looked at closely while a source streams through the evaluation (`explain`): its
 * row as converted, or why it was rejected; its activities. The first row with its id is the
 * one the evaluator uses, so it is the one watched. The source must give whole rows (not
 * classified on another thread, every activity column converted).
 */
export class LeadWatch {
  row: { line: number; values: Value[] } | { line: number; rejected: string } | undefined;
  readonly activities: Value[][] = [];
  /** Other leads' ids, the first OTHER_IDS_KEPT. */
  readonly otherIds: string[] = [];

  constructor(readonly id: string) {}

  /** The sink the source streams into: `into`, with this watch looking on. */
  sink(into: RowSink): RowSink {
    return new WatchingSink(this, into);
  }

  lead(line: number, id: string, values: readonly Value[], classified: boolean): void {
    if (id !== this.id) {
      if (this.otherIds.length < OTHER_IDS_KEPT) this.otherIds.push(id);
      return;
    }
    if (classified) throw new Error("internal: a watched lead needs its whole row, not one classified on another thread");
    this.row ??= { line, values: [...values] };
  }

  rejectedLead(line: number, reason: string, id: string | undefined): void {
    if (id === undefined) return;
    if (id !== this.id) {
      if (this.otherIds.length < OTHER_IDS_KEPT) this.otherIds.push(id);
      return;
    }
    this.row ??= { line, rejected: reason };
  }

  activity(values: readonly Value[]): void {
    if (values[ACTIVITY_SLOT.leadId] === this.id) this.activities.push([...values]);
  }
}

/** A sink between the source and the evaluator's: only a run with a watch pays for it. */
class WatchingSink implements RowSink {
  constructor(
    private readonly watch: LeadWatch,
    private readonly into: RowSink,
  ) {}

  lead(line: number, id: string, values: readonly Value[], definitions?: readonly boolean[]): boolean {
    this.watch.lead(line, id, values, definitions !== undefined);
    return this.into.lead(line, id, values, definitions);
  }

  activity(line: number, values: readonly Value[]): boolean {
    this.watch.activity(values);
    return this.into.activity(line, values);
  }

  reject(kind: "leads" | "activities", line: number, reason: string, leadId?: string): void {
    if (kind === "leads") this.watch.rejectedLead(line, reason, leadId);
    this.into.reject(kind, line, reason, leadId);
  }
}

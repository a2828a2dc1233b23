import path from "node:path";
import type * as A from "../lang/ast.js";
import { printExpr } from "../lang/format.js";
import { runPlan } from "../engine/evaluate.js";
import type { LeadRecordOutcome } from "../engine/evaluator.js";
import { toIr, type Value } from "../engine/ir.js";
import { leadScope, type EvalPlan } from "../engine/plan.js";
import { classify, compilePredicate, type Predicate } from "../engine/predicate.js";
import type { GoalResult, Reject, SlaResult } from "../engine/result.js";
import { parseAsOf } from "../snapshot/as-of.js";
import { runSnapshot } from "../snapshot/load.js";
import { SnapshotError } from "../snapshot/read.js";
import { InlineSource } from "./inline-source.js";
import type { PolicyTest, TestFile } from "./load.js";

export interface TestOutcome {
  file: string;
  line: number;
  name: string;
  passed: boolean;
  /** Expected vs actual, one line each. */
  failures: string[];
}

export interface CoverageReport {
  definitions: Array<{ id: string; covered: boolean }>;
  slas: Array<{ id: string; covered: boolean }>;
  goals: Array<{ id: string; covered: boolean }>;
  /** Top-level conditions of each definition, and whether test leads made them true and false. */
  conditions: Array<{ definition: string; condition: string; sawTrue: boolean; sawFalse: boolean }>;
}

interface ConditionProbe {
  definition: string;
  condition: string;
  predicate: Predicate;
  sawTrue: boolean;
  sawFalse: boolean;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 + 1e-6 * Math.abs(b);

function probesOf(plan: EvalPlan): ConditionProbe[] {
  const scope = leadScope(plan);
  return plan.definitions.flatMap((d) => {
    const parts: A.Expr[] = d.when.kind === "And" || d.when.kind === "Or" ? d.when.operands : [d.when];
    return parts.map((e) => ({ definition: d.id, condition: printExpr(e), predicate: compilePredicate(toIr(e, scope)), sawTrue: false, sawFalse: false }));
  });
}

/** Runs the policy's own tests (SPEC §5 `test`) and measures what they exercise. */
export class PolicyTestRunner {
  private readonly probes: ConditionProbe[];
  private readonly expectedDefinitions = new Set<string>();
  private readonly expectedSlas = new Set<string>();
  private readonly expectedGoals = new Set<string>();

  /**
   * `showGroup` is how a failure names a group: the CLI passes its masker's, so a group on a
   * `pii` field reads "personal value 1" unless --show-pii.
   */
  constructor(
    private readonly plan: EvalPlan,
    private readonly showGroup: (label: string, by: readonly string[]) => string = (label) => label,
  ) {
    this.probes = probesOf(plan);
  }

  async runFile(file: TestFile): Promise<TestOutcome[]> {
    const outcomes: TestOutcome[] = [];
    for (const test of file.tests) outcomes.push(await this.runTest(file, test));
    return outcomes;
  }

  private async runTest(file: TestFile, test: PolicyTest): Promise<TestOutcome> {
    const result = { file: file.file, line: test.line, name: test.name };
    const asOfText = test.as_of ?? file.as_of;
    if (!asOfText) return { ...result, passed: false, failures: ["no as_of: give one for the file or for this test"] };
    const asOf = parseAsOf(asOfText, this.plan.zone);
    if (asOf === undefined) return { ...result, passed: false, failures: [`as_of '${asOfText}' is not a date/time`] };

    let evaluated: { slas: SlaResult[]; goals: GoalResult[]; leads: ReadonlyMap<string, LeadRecordOutcome> };
    const failures: string[] = [];
    if (test.snapshot) {
      const dir = path.resolve(path.dirname(file.absolute), test.snapshot);
      try {
        const run = await runSnapshot({ plan: this.plan, dir, shown: test.snapshot, asOf, keepLeadOutcomes: true });
        for (const r of run.rejects.slice(0, 5)) failures.push(`snapshot row rejected: ${r.file}:${r.line}: ${r.reason}`);
        evaluated = { slas: run.slas, goals: run.goals, leads: run.leadOutcomes };
      } catch (error) {
        if (error instanceof SnapshotError) return { ...result, passed: false, failures: [`snapshot ${error.file}: ${error.message}`] };
        throw error;
      }
    } else {
      evaluated = await this.evaluateInline(test, asOf, failures);
    }
    failures.push(...this.compare(test, evaluated));
    return { ...result, passed: failures.length === 0, failures };
  }

  /** The test's own leads and activities, through the evaluation like a snapshot's; a row not used is a failure. */
  private async evaluateInline(test: PolicyTest, asOf: number, failures: string[]) {
    const plan = this.plan;
    const leads = test.leads ?? [];
    const activities = test.activities ?? [];
    const source = new InlineSource(leads, activities, (values) => {
      const defs = classify(plan.definitions, values, new Array<boolean>(plan.definitions.length).fill(false));
      for (const p of this.probes) {
        if (p.predicate(values as Value[], defs)) p.sawTrue = true;
        else p.sawFalse = true;
      }
    });
    const notUsed = (row: Reject): void => {
      if (row.file === source.inputs[0]!.name) {
        failures.push(`lead ${String(leads[row.line - 1]?.["id"])}: ${row.reason}`);
        return;
      }
      const leadId = String(activities[row.line - 1]?.lead_id);
      failures.push(source.rejectedActivities.has(row.line) ? `activity for ${leadId}: ${row.reason}` : `activity for unknown lead '${leadId}'`);
    };
    const run = await runPlan(plan, source, { asOf, keepLeadOutcomes: true, rowsNotUsed: { name: "", write: notUsed } });
    return { slas: run.slas, goals: run.goals, leads: run.leadOutcomes };
  }

  private compare(test: PolicyTest, got: { slas: SlaResult[]; goals: GoalResult[]; leads: ReadonlyMap<string, LeadRecordOutcome> }): string[] {
    const failures: string[] = [];
    for (const [id, expect] of Object.entries(test.expect.leads ?? {})) {
      const lead = got.leads.get(id);
      if (!lead) {
        failures.push(`lead ${id}: not in the test's leads`);
        continue;
      }
      for (const def of expect.in ?? []) {
        this.expectedDefinitions.add(def);
        if (!this.plan.definitionById.has(def)) failures.push(`lead ${id}: no lead definition '${def}' in the policy`);
        else if (!lead.definitions.includes(def)) failures.push(`lead ${id}: expected to be ${def}, but is not (it is: ${lead.definitions.join(", ") || "nothing"})`);
      }
      for (const def of expect.not_in ?? []) {
        this.expectedDefinitions.add(def);
        if (!this.plan.definitionById.has(def)) failures.push(`lead ${id}: no lead definition '${def}' in the policy`);
        else if (lead.definitions.includes(def)) failures.push(`lead ${id}: expected not to be ${def}, but is`);
      }
      for (const [sla, outcome] of Object.entries(expect.slas ?? {})) {
        this.expectedSlas.add(sla);
        if (!got.slas.some((s) => s.id === sla)) failures.push(`lead ${id}: no SLA '${sla}' in the policy`);
        else if (lead.slas[sla] !== outcome) {
          failures.push(`lead ${id}, SLA ${sla}: expected ${outcome}, got ${lead.slas[sla] ?? "no outcome (not in its population, or its clock started before the agreement took effect)"}`);
        }
      }
    }
    for (const e of test.expect.slas ?? []) {
      this.expectedSlas.add(e.sla);
      const sla = got.slas.find((s) => s.id === e.sla);
      if (!sla) {
        failures.push(`SLA ${e.sla}: not in the policy`);
        continue;
      }
      const where = [e.period && `period ${e.period}`, e.group && `group ${this.showGroup(e.group, sla.by)}`].filter(Boolean).join(", ");
      let subject: { status: string; value: number | null; met?: number; breached?: number; pending?: number; waived?: number; leads?: number };
      if (e.period === undefined && e.group === undefined) subject = { ...sla, ...sla.totals };
      else {
        const cells = sla.results.filter((c) => (e.period === undefined || c.period === e.period) && (e.group === undefined || c.group === e.group));
        if (cells.length !== 1) {
          failures.push(`SLA ${e.sla}: ${cells.length === 0 ? "no result" : `${cells.length} results`} for ${where} (results: ${sla.results.map((c) => `${c.period}/${this.showGroup(c.group, sla.by)}`).join(", ")})`);
          continue;
        }
        subject = cells[0]!;
      }
      const label = `SLA ${e.sla}${where ? ` (${where})` : ""}`;
      if (e.status !== undefined && subject.status !== e.status) failures.push(`${label}: expected status ${e.status}, got ${subject.status}`);
      if (e.value !== undefined && (subject.value === null || !close(subject.value, e.value))) failures.push(`${label}: expected value ${e.value}, got ${subject.value}`);
      for (const k of ["met", "breached", "pending", "waived", "leads"] as const) {
        if (e[k] !== undefined && subject[k] !== e[k]) failures.push(`${label}: expected ${k} ${e[k]}, got ${subject[k]}`);
      }
    }
    for (const e of test.expect.goals ?? []) {
      this.expectedGoals.add(e.goal);
      const goal = got.goals.find((g) => g.id === e.goal);
      if (!goal) {
        failures.push(`goal ${e.goal}: not in the policy`);
        continue;
      }
      const label = `goal ${e.goal}${e.stage ? `, stage ${e.stage}` : ""}${e.period ? `, period ${e.period}` : ""}${e.group ? `, group ${this.showGroup(e.group, goal.by)}` : ""}`;
      if (e.period !== undefined || e.group !== undefined) {
        const cell = goal.results.find((c) => (e.period === undefined || c.period === e.period) && (e.group === undefined || c.group === e.group));
        if (!cell) {
          failures.push(`${label}: no such result`);
          continue;
        }
        if (e.status !== undefined && cell.status !== e.status) failures.push(`${label}: expected status ${e.status}, got ${cell.status}`);
        const stage = e.stage ? cell.stages.find((s) => s.definition === e.stage) : undefined;
        if (e.stage && !stage) failures.push(`${label}: no such stage`);
        if (stage && e.required !== undefined && stage.required !== e.required) failures.push(`${label}: expected required ${e.required}, got ${stage.required}`);
        if (stage && e.actual !== undefined && stage.actual !== e.actual) failures.push(`${label}: expected actual ${e.actual}, got ${stage.actual}`);
        continue;
      }
      if (e.status !== undefined && goal.status !== e.status) failures.push(`${label}: expected status ${e.status}, got ${goal.status}`);
      if (e.stage) {
        const stage = goal.stages.find((s) => s.definition === e.stage);
        if (!stage) failures.push(`${label}: no such stage`);
        else {
          if (e.required !== undefined && stage.required !== e.required) failures.push(`${label}: expected required ${e.required}, got ${stage.required}`);
          if (e.actual !== undefined && stage.actual !== e.actual) failures.push(`${label}: expected actual ${e.actual}, got ${stage.actual}`);
        }
      }
    }
    return failures;
  }

  coverage(): CoverageReport {
    return {
      definitions: this.plan.definitions.map((d) => ({ id: d.id, covered: this.expectedDefinitions.has(d.id) })),
      slas: this.plan.slas.map((s) => ({ id: s.id, covered: this.expectedSlas.has(s.id) })),
      goals: this.plan.goals.map((g) => ({ id: g.id, covered: this.expectedGoals.has(g.id) })),
      conditions: this.probes.map(({ definition, condition, sawTrue, sawFalse }) => ({ definition, condition, sawTrue, sawFalse })),
    };
  }
}

import type { LeadRecordOutcome } from "./evaluator.js";
import type { GoalResult, SlaResult, Status } from "./result.js";

/** One side of a comparison: a snapshot evaluated under one version of the policy. */
export interface EvaluatedVersion {
  definitions: Record<string, number>;
  slas: SlaResult[];
  goals: GoalResult[];
  leadOutcomes: ReadonlyMap<string, LeadRecordOutcome>;
}

export interface DefinitionImpact {
  id: string;
  before: number | null;
  after: number | null;
  entered: string[];
  left: string[];
}

export interface SlaImpact {
  id: string;
  before: { status: Status; value: number | null } | null;
  after: { status: Status; value: number | null } | null;
  unit: "leads" | "ratio";
  population: string;
  clock: string;
  /**
   * Leads that reach the SLA only under the new version but have no value in its clock field:
   * they count in no period, so a reviewer sees why a definition grew while no figure moved.
   */
  enteredWithoutClock: number;
}

export interface GoalImpact {
  id: string;
  stages: Array<{ definition: string; requiredBefore: number | null; requiredAfter: number | null; actualBefore: number | null; actualAfter: number | null }>;
}

export interface Impact {
  definitions: DefinitionImpact[];
  slas: SlaImpact[];
  goals: GoalImpact[];
}

/** Leads with no clock for this SLA under the new version that had none of it before (not in its population, or clocked). */
function enteredWithoutClock(before: EvaluatedVersion, after: EvaluatedVersion, slaId: string): number {
  let n = 0;
  for (const [lead, o] of after.leadOutcomes) {
    if (o.slas[slaId] === "no_clock" && before.leadOutcomes.get(lead)?.slas[slaId] !== "no_clock") n++;
  }
  return n;
}

/** What a policy change would have done to one snapshot: leads reclassified, SLAs and goals before → after. */
export function impactOf(before: EvaluatedVersion, after: EvaluatedVersion): Impact {
  const ids = [...new Set([...Object.keys(before.definitions), ...Object.keys(after.definitions)])];
  const membersOf = (v: EvaluatedVersion, def: string) => {
    const set = new Set<string>();
    for (const [lead, o] of v.leadOutcomes) if (o.definitions.includes(def)) set.add(lead);
    return set;
  };
  const definitions = ids.map((id) => {
    const b = membersOf(before, id);
    const a = membersOf(after, id);
    return {
      id,
      before: before.definitions[id] ?? null,
      after: after.definitions[id] ?? null,
      entered: [...a].filter((x) => !b.has(x)).sort(),
      left: [...b].filter((x) => !a.has(x)).sort(),
    };
  });
  const slaIds = [...new Set([...before.slas.map((s) => s.id), ...after.slas.map((s) => s.id)])];
  const slas = slaIds.map((id) => {
    const b = before.slas.find((s) => s.id === id);
    const a = after.slas.find((s) => s.id === id);
    const either = (a ?? b)!;
    return {
      id,
      before: b ? { status: b.status, value: b.value } : null,
      after: a ? { status: a.status, value: a.value } : null,
      unit: either.target.unit,
      population: either.population,
      clock: either.clock,
      enteredWithoutClock: a ? enteredWithoutClock(before, after, id) : 0,
    };
  });
  const goalIds = [...new Set([...before.goals.map((g) => g.id), ...after.goals.map((g) => g.id)])];
  const goals = goalIds.map((id) => {
    const b = before.goals.find((g) => g.id === id);
    const a = after.goals.find((g) => g.id === id);
    const stageIds = [...new Set([...(b?.stages ?? []), ...(a?.stages ?? [])].map((s) => s.definition))];
    return {
      id,
      stages: stageIds.map((definition) => {
        const sb = b?.stages.find((s) => s.definition === definition);
        const sa = a?.stages.find((s) => s.definition === definition);
        return { definition, requiredBefore: sb?.required ?? null, requiredAfter: sa?.required ?? null, actualBefore: sb?.actual ?? null, actualAfter: sa?.actual ?? null };
      }),
    };
  });
  return { definitions, slas, goals };
}

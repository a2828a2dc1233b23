import Ajv2020 from "ajv/dist/2020.js";
import { STATUS_ORDER, type EvaluationResult, type SlaCell, type SlaResult, type Status, type Target } from "../engine/result.js";

/**
 * `eval --baseline PREVIOUS.json`: what changed since an earlier JSON report. Only the fields
 * compared are required of it (the report's fields are only ever added, so a report from an
 * older or newer version of the tool still serves). Groups of the previous report are used to
 * match results, never printed: a report made with --show-pii cannot leak through this one.
 */

export interface PreviousSla {
  id: string;
  title: string | null;
  status: Status;
  value: number | null;
  target: Target;
  by: string[];
  results: Array<Pick<SlaCell, "period" | "group" | "status" | "value">>;
}

export interface PreviousReport {
  asOf: string;
  slas: PreviousSla[];
}

const STATUS = { enum: [...STATUS_ORDER] };
const NUMBER_OR_NULL = { type: ["number", "null"] };
const SCHEMA = {
  type: "object",
  required: ["asOf", "slas"],
  properties: {
    asOf: { type: "string" },
    slas: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "title", "status", "value", "target", "by", "results"],
        properties: {
          id: { type: "string" },
          title: { type: ["string", "null"] },
          status: STATUS,
          value: NUMBER_OR_NULL,
          target: { type: "object", required: ["op", "value", "unit"], properties: { op: { enum: ["=", "!=", "<", "<=", ">", ">="] }, value: { type: "number" }, unit: { enum: ["leads", "ratio"] } } },
          by: { type: "array", items: { type: "string" } },
          results: {
            type: "array",
            items: { type: "object", required: ["period", "group", "status", "value"], properties: { period: { type: "string" }, group: { type: "string" }, status: STATUS, value: NUMBER_OR_NULL } },
          },
        },
      },
    },
  },
} as const;

let validate: ReturnType<typeof compile> | undefined;
function compile() {
  return new Ajv2020.default({ allErrors: false, strict: true }).compile<PreviousReport>(SCHEMA);
}

/** The previous report from its text, or why it cannot be used (a sentence naming the first problem). */
export function parseBaseline(text: string): { ok: true; report: PreviousReport } | { ok: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message}); pass a report written by 'eval --format json'` };
  }
  validate ??= compile();
  if (!validate(value)) {
    const e = validate.errors?.[0];
    return { ok: false, reason: `not a JSON report of 'eval --format json': ${e ? `${e.instancePath || "the top level"} ${e.message ?? "is invalid"}` : "invalid"}` };
  }
  return { ok: true, report: value };
}

export interface SlaChange {
  id: string;
  title: string;
  unit: Target["unit"];
  /** null: the SLA is new since the previous report. */
  before: { status: Status; value: number | null } | null;
  /** null: the SLA is gone from the agreement. */
  now: { status: Status; value: number | null } | null;
}

export interface NewBreach {
  sla: SlaResult;
  cell: SlaCell;
}

export interface BaselineComparison {
  previousAsOf: string;
  slas: SlaChange[];
  /** Results breached now that were not breached (or not there) in the previous report. */
  newBreaches: NewBreach[];
  /** Results breached then and not now. */
  recovered: number;
  /** SLAs grouped by a personal field: their groups are pseudonyms, so only the SLA is compared. */
  unmatchedGroups: string[];
}

const key = (c: { period: string; group: string }) => `${c.period}\u0000${c.group}`;

export function compareReports(current: EvaluationResult, previous: PreviousReport, piiFields: ReadonlySet<string>): BaselineComparison {
  const before = new Map(previous.slas.map((s) => [s.id, s]));
  const slas: SlaChange[] = current.slas.map((s) => {
    const p = before.get(s.id);
    return { id: s.id, title: s.title ?? s.id, unit: s.target.unit, before: p ? { status: p.status, value: p.value } : null, now: { status: s.status, value: s.value } };
  });
  const nowIds = new Set(current.slas.map((s) => s.id));
  for (const p of previous.slas) if (!nowIds.has(p.id)) slas.push({ id: p.id, title: p.title ?? p.id, unit: p.target.unit, before: { status: p.status, value: p.value }, now: null });

  const newBreaches: NewBreach[] = [];
  const unmatchedGroups: string[] = [];
  let recovered = 0;
  for (const sla of current.slas) {
    const p = before.get(sla.id);
    if (sla.by.some((f) => piiFields.has(f))) {
      unmatchedGroups.push(sla.id);
      continue;
    }
    const then = new Map((p?.results ?? []).map((c) => [key(c), c.status]));
    const now = new Map(sla.results.map((c) => [key(c), c.status]));
    for (const c of sla.results) if (c.status === "breached" && then.get(key(c)) !== "breached") newBreaches.push({ sla, cell: c });
    for (const [k, status] of then) if (status === "breached" && now.get(k) !== "breached") recovered++;
  }
  return { previousAsOf: previous.asOf, slas, newBreaches, recovered, unmatchedGroups };
}

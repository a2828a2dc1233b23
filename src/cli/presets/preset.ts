/**
 * `init --crm NAME`: a starter agreement whose `fields` read one CRM's standard export as that
 * CRM writes it (column names, value labels, date formats), with a generated sample export.
 * What each CRM's exports hold, and where we found it: docs/snapshots.md, "From HubSpot" and
 * "From Salesforce".
 */
import { didYouMean } from "../../lang/suggest.js";
import { assertNever } from "../../lang/never.js";
import { UsageError } from "../exit-codes.js";
import type { SampleFiles } from "../init-templates.js";
import { HUBSPOT } from "./hubspot.js";
import { SALESFORCE } from "./salesforce.js";

export const CRMS = ["hubspot", "salesforce"] as const;
export type Crm = (typeof CRMS)[number];

/** A sample export: the files of one snapshot folder. */
export type SampleSnapshot = SampleFiles;

export interface Preset {
  /** As people write it: "HubSpot". */
  name: string;
  /** policies/*.policy and policies/*.test.yaml, by file name. */
  policies: Readonly<Record<string, string>>;
  /** The sample export, the same for the same seed. */
  sample: (seed: number) => SampleSnapshot;
  /** The starter README's section on exporting from this CRM (Markdown). */
  exporting: string;
}

/** The seed `init` writes its sample with (and scripts/generate-crm-samples.ts, by default). */
export const SAMPLE_SEED = 2027;

export function presetFor(crm: Crm): Preset {
  switch (crm) {
    case "hubspot":
      return HUBSPOT;
    case "salesforce":
      return SALESFORCE;
    default:
      return assertNever(crm);
  }
}

/** `--crm VALUE` as given: one of CRMS, or a usage error that names them and the likely one. */
export function parseCrm(value: string): Crm {
  const lower = value.toLowerCase();
  const known = CRMS.find((c) => c === lower);
  if (known) return known;
  throw new UsageError(`--crm must be ${CRMS.join(" or ")}, not '${value}'${didYouMean(lower, CRMS)}`);
}

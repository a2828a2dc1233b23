/**
 * Writes the CRM presets' starter agreements and sample exports to examples/<crm>/, as
 * `smarketing-policy init --crm <crm>` writes them (policies/ and snapshots/sample/), from a
 * fixed seed: the same seed always writes the same files.
 *
 *   npx tsx scripts/generate-crm-samples.ts [--seed 2027] [--out examples]
 *
 * test/cli/presets.test.ts checks that the committed copies are this script's output and that
 * each evaluates with 0 rejected rows.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CRMS, presetFor, SAMPLE_SEED } from "../src/cli/presets/preset.js";
import { arg } from "./script-support.js";

const seed = Number(arg("seed", String(SAMPLE_SEED)));
const out = arg("out", "examples");

for (const crm of CRMS) {
  const preset = presetFor(crm);
  const sample = preset.sample(seed);
  const files: Record<string, string> = {
    ...Object.fromEntries(Object.entries(preset.policies).map(([name, text]) => [`policies/${name}`, text])),
    "snapshots/sample/leads.csv": sample.leads,
    "snapshots/sample/activities.csv": sample.activities,
    "snapshots/sample/snapshot.yaml": sample.manifest,
  };
  for (const [name, text] of Object.entries(files)) {
    const target = path.join(out, crm, name);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  }
  console.log(`wrote ${preset.name}'s starter agreement and sample export to ${path.join(out, crm)}`);
}

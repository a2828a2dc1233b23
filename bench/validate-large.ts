/** `validate` on a generated policy set of 500 lead definitions and 500 SLAs: median of 5 runs, in ms. */
import { analyzePolicySet } from "../src/lang/policy-set.js";
import { largePolicy } from "./large-policy.js";

const text = largePolicy(500, 500);
const runs: number[] = [];
let diagnostics = 0;
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  diagnostics = analyzePolicySet([{ path: "large.policy", text }]).diagnostics.filter((d) => d.severity === "error").length;
  runs.push(performance.now() - start);
}
runs.sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ medianMs: runs[2], errors: diagnostics, bytes: text.length })}\n`);

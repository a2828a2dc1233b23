import { describe, expect, it } from "vitest";
import { runCli } from "../helpers.js";

/** JUnit agrees with the exit code: a CI reporter shows red exactly when the run fails. */
const SAMPLE = ["eval", "--snapshot", "snapshots/sample", "--format", "junit"];

function failures(xml: string): number {
  return Number(/<testsuites [^>]*failures="(\d+)"/.exec(xml)?.[1]);
}

describe("JUnit failures follow --fail-on", () => {
  for (const failOn of ["hard", "soft", "never"]) {
    it(`--fail-on ${failOn}: failures only when the run fails`, async () => {
      const result = await runCli([...SAMPLE, "--fail-on", failOn]);
      expect(failures(result.stdout) > 0).toBe(result.code === 1);
      expect((result.stdout.match(/<failure /g) ?? []).length).toBe(failures(result.stdout));
    });
  }

  it("a breached soft SLA under the default --fail-on hard passes, with the breach as a property and in system-out", async () => {
    const result = await runCli(SAMPLE);
    const soft = result.stdout.split("<testsuite ").find((s) => s.includes('<property name="severity" value="soft"/>') && s.includes("breached:"));
    expect(soft).toBeDefined();
    expect(soft).not.toContain("<failure");
    expect(soft).toMatch(/<property name="breached" value="soft SLAs do not fail the run under this --fail-on"\/><\/properties><system-out>breached: /);
    const strict = await runCli([...SAMPLE, "--fail-on", "soft"]);
    expect(failures(strict.stdout)).toBeGreaterThan(failures(result.stdout));
  });

  it("--fail-on never: every breach reported, none a failure, exit 0", async () => {
    const result = await runCli([...SAMPLE, "--fail-on", "never"]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("<failure");
    expect(result.stdout).toContain('<property name="breached" value="hard SLAs do not fail the run under this --fail-on"/>');
  });
});

import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { useColor, type CliIO } from "../../src/cli/io.js";
import { runCli, ROOT, tempDir } from "../helpers.js";

/** Issue 21, "The CLI's habits": the conventions a user expects of any command-line tool. */

const ESC = "\x1b[";

function ioWith(env: Record<string, string>, tty: boolean): CliIO {
  return { cwd: ROOT, env, stdout: () => {}, stderr: () => {}, stdoutIsTTY: tty, stderrIsTTY: tty, readStdin: async () => "" };
}

describe("colour follows NO_COLOR, FORCE_COLOR and TERM=dumb", () => {
  const cases: Array<[string, Record<string, string>, boolean, boolean]> = [
    ["a terminal", {}, true, true],
    ["a pipe", {}, false, false],
    ["TERM=dumb on a terminal", { TERM: "dumb" }, true, false],
    ["FORCE_COLOR=1 into a pipe", { FORCE_COLOR: "1" }, false, true],
    ["FORCE_COLOR=1 with TERM=dumb", { FORCE_COLOR: "1", TERM: "dumb" }, false, true],
    ["FORCE_COLOR=0 on a terminal", { FORCE_COLOR: "0" }, true, false],
    ["FORCE_COLOR empty is unset", { FORCE_COLOR: "" }, false, false],
    ["NO_COLOR wins over FORCE_COLOR", { NO_COLOR: "1", FORCE_COLOR: "1" }, true, false],
    ["NO_COLOR empty is unset", { NO_COLOR: "" }, true, true],
  ];
  for (const [name, env, tty, expected] of cases) {
    it(`${name}: ${expected ? "colour" : "no colour"}`, () => {
      expect(useColor(ioWith(env, tty))).toBe(expected);
    });
  }

  it("FORCE_COLOR reaches the diagnostics a command prints into a pipe", async () => {
    const forced = await runCli(["validate", "test/fixtures/typo"], { env: { NO_COLOR: "", FORCE_COLOR: "1" } });
    expect(forced.stdout).toContain(ESC);
    const plain = await runCli(["validate", "test/fixtures/typo"], { env: { NO_COLOR: "", TERM: "dumb" } });
    expect(plain.stdout).not.toContain(ESC);
    expect(forced.code).toBe(2);
  });
});

describe("every command suggests the option it thinks was meant, and documents itself", () => {
  const commands: Array<[string[], string, string]> = [
    [["validate"], "--strcit", "--strict"],
    [["fmt"], "--chek", "--check"],
    [["eval"], "--snapshto", "--snapshot"],
    [["test"], "--coverag", "--coverage"],
    [["explain"], "--leed", "--lead"],
    [["diff"], "--bsae", "--base"],
    [["github", "agreement"], "--nmae", "--name"],
    [["github", "comment"], "--snapshto", "--snapshot"],
    [["github", "check"], "--nmae", "--name"],
    [["codeowners"], "--polices", "--policies"],
    [["describe"], "--fromat", "--format"],
    [["lsp"], "--stdoi", "--stdio"],
    [["latest-snapshot"], "--hepl", "--help"],
    [["github", "summary"], "--hepl", "--help"],
    [["init"], "--forse", "--force"],
    [["schema"], "--polices", "--policies"],
  ];
  for (const [command, typo, meant] of commands) {
    it(`${command.join(" ")} ${typo}: did you mean ${meant}?`, async () => {
      const result = await runCli([...command, typo, "x"]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`unknown option '${typo}'`);
      expect(result.stderr).toContain(`(Did you mean ${meant}?)`);
    });

    it(`${command.join(" ")} --help: an example and the exit codes`, async () => {
      const result = await runCli([...command, "--help"]);
      expect(result.code).toBe(0);
      // An example may sit inside a shell line (snapshot="$(smarketing-policy latest-snapshot …)").
      expect(result.stdout).toMatch(new RegExp(`Examples:\\n  \\$ .*smarketing-policy ${command.join(" ")}`));
      expect(result.stdout).toMatch(/Exit codes:\n  0  /);
    });
  }
});

describe("the program's own --help", () => {
  it("ends with where to start and the exit codes", async () => {
    const result = await runCli(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Examples:\n  \$ smarketing-policy init my-agreement\n/);
    expect(result.stdout).toContain("Exit codes:\n  0  success, or compliant\n  1  an SLA breached or a policy test failed\n  2  invalid policy, snapshot or usage\n");
  });
});

describe("paths and output files", () => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  it("--output into a folder that does not exist yet creates it", async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    const output = path.join(tmp.dir, "reports", "2026", "compliance.json");
    const result = await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "json", "--output", output]);
    expect(result.stderr).not.toContain("internal error");
    expect(result.stderr).toContain(`wrote ${output}`);
    expect(JSON.parse(await readFile(output, "utf8"))).toHaveProperty("summary");
  });

  it("--output that cannot be written (a file in the way) is a usage error, not a crash", async () => {
    const result = await runCli(["eval", "--snapshot", "snapshots/sample", "--format", "json", "--output", "README.md/report.json"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("smarketing-policy: --output: cannot write 'README.md/report.json': a part of the path is a file, not a folder\n");
  });

  it("an absolute snapshot path is shown as given, not climbing up from the working folder", async () => {
    const tmp = await tempDir();
    cleanup = tmp.cleanup;
    const missing = path.join(tmp.dir, "nonexistent");
    const result = await runCli(["eval", "--snapshot", missing, "--policies", "../policies"], { cwd: path.join(ROOT, "test") });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`smarketing-policy: --snapshot: no such folder '${missing}'\n`);
  });

  it("policy files under a folder given as ../x are named ../x/…, not by an absolute path", async () => {
    const result = await runCli(["validate", "../typo"], { cwd: path.join(ROOT, "test/fixtures/warnings") });
    expect(result.stdout).toMatch(/^\.\.\/typo\/slas\.policy:36:9: error\[E0203\]/m);
  });
});

describe("validate FILE: the file checked as part of its folder's set", () => {
  it("JSON lists only that file and compiles the policy only when the whole set is valid", async () => {
    const alone = JSON.parse((await runCli(["validate", "test/fixtures/typo/leads.policy", "--format", "json"])).stdout) as { valid: boolean; files: string[]; policy: unknown };
    expect(alone).toMatchObject({ valid: true, files: ["test/fixtures/typo/leads.policy"], policy: null });
    const whole = JSON.parse((await runCli(["validate", "policies/slas.policy", "--format", "json"])).stdout) as { valid: boolean; policy: { slas: unknown[] } };
    expect(whole.valid).toBe(true);
    expect(whole.policy.slas.length).toBeGreaterThan(0);
  });
});

describe("test with a test folder that does not exist", () => {
  it("says so, with the folder as given", async () => {
    const result = await runCli(["test", "no/such/tests", "--policies", "policies"]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe("smarketing-policy: cannot read 'no/such/tests': no such file or folder\n");
  });
});

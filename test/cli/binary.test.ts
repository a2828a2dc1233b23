import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers.js";

const BIN = path.join(ROOT, "dist/cli/main.js");

/** The installed binary, as users and CI run it (npm test builds it first). */
function bin(args: string[], input?: string) {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", input, env: { ...process.env, NO_COLOR: "1" } });
}

describe("the built smarketing-policy binary", () => {
  it("exists (npm test runs the build first)", () => {
    expect(existsSync(BIN)).toBe(true);
  });

  it("validates the example with exit 0", () => {
    const r = bin(["validate", "policies"]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("policies is valid (4 files: 4 lead definitions, 5 SLAs, 2 goals)\n");
  });

  it("exits 2 on an invalid policy without a stack trace", () => {
    const r = bin(["validate", "test/fixtures/typo"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain("error[E0203]");
    expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
  });

  it("formats standard input", () => {
    const r = bin(["fmt", "-"], "team s {approvers @s}");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe("team s {\n  approvers @s\n}\n");
  });

  it("prints its version", () => {
    const r = bin(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

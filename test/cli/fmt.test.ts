import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { applyPatch } from "diff";
import { describe, expect, it } from "vitest";
import { runCli, ROOT, tempCopy } from "../helpers.js";

describe("smarketing-policy fmt", () => {
  it("leaves the canonical example unchanged", async () => {
    const copy = await tempCopy(path.join(ROOT, "policies"));
    try {
      const before = await readFile(path.join(copy.dir, "slas.policy"), "utf8");
      const result = await runCli(["fmt", "."], { cwd: copy.dir });
      expect(result).toMatchObject({ code: 0, stdout: "" });
      expect(await readFile(path.join(copy.dir, "slas.policy"), "utf8")).toBe(before);
    } finally {
      await copy.cleanup();
    }
  });

  it("rewrites a messy file in place, names it, keeps every comment, and a second run changes nothing", async () => {
    const copy = await tempCopy(path.join(ROOT, "test/fixtures/unformatted"));
    try {
      const file = path.join(copy.dir, "messy.policy");
      const before = await readFile(file, "utf8");
      const first = await runCli(["fmt", "messy.policy"], { cwd: copy.dir });
      expect(first).toMatchObject({ code: 0, stdout: "messy.policy\n" });
      const after = await readFile(file, "utf8");
      expect(after).not.toBe(before);
      expect(after).toContain("# A policy written by hand, in a hurry.");
      expect(after).toContain("# the lead score");
      expect(after).toContain("hours mon-fri 09:00-17:00");
      expect(after).toContain("  when score >= 80 and stage = \"lead\"");
      const second = await runCli(["fmt", "messy.policy"], { cwd: copy.dir });
      expect(second).toMatchObject({ code: 0, stdout: "" });
      expect(await readFile(file, "utf8")).toBe(after);
      const check = await runCli(["fmt", "--check", "."], { cwd: copy.dir });
      expect(check.code).toBe(0);
    } finally {
      await copy.cleanup();
    }
  });

  it("--check changes nothing and exits 1", async () => {
    const copy = await tempCopy(path.join(ROOT, "test/fixtures/unformatted"));
    try {
      const file = path.join(copy.dir, "messy.policy");
      const before = await readFile(file, "utf8");
      const result = await runCli(["fmt", "--check", "."], { cwd: copy.dir });
      expect(result).toMatchObject({ code: 1, stdout: "messy.policy\n" });
      expect(await readFile(file, "utf8")).toBe(before);
    } finally {
      await copy.cleanup();
    }
  });

  it("'-' formats standard input to standard output", async () => {
    const result = await runCli(["fmt", "-"], { stdin: 'team sales   {approvers @s}  # signers\n' });
    expect(result).toMatchObject({ code: 0, stdout: "team sales {\n  approvers @s\n}  # signers\n" });
  });

  it("refuses a file that does not parse, exit 2, and leaves it alone", async () => {
    const copy = await tempCopy(path.join(ROOT, "test/fixtures/unformatted"));
    try {
      const file = path.join(copy.dir, "messy.policy");
      await writeFile(file, "lead x { when a = }\n");
      const result = await runCli(["fmt", "."], { cwd: copy.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/messy\.policy:1:\d+: error\[E0002\]/);
      expect(await readFile(file, "utf8")).toBe("lead x { when a = }\n");
    } finally {
      await copy.cleanup();
    }
  });

  it("breaks a long condition at its top-level 'and', one operand per line", async () => {
    const long = `lead x {\n  when ${Array.from({ length: 8 }, (_, i) => `field_number_${i} is set`).join(" and ")}\n}\n`;
    const result = await runCli(["fmt", "-"], { stdin: long });
    expect(result.stdout.split("\n").filter((l) => l.startsWith("    and "))).toHaveLength(7);
  });
});

describe("fmt: comments inside a list, --diff and -l", () => {
  const LISTS = path.join(ROOT, "test/fixtures/fmt-comments/lists.policy");

  it("comments inside a list written one value a line stay on their own lines, in order, and a second run changes nothing", async () => {
    const text = await readFile(LISTS, "utf8");
    const first = await runCli(["fmt", "-"], { stdin: text });
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(
      ["  # united states", "  # canada, since 2026", "  # canada", "  # joiner", '  when country in ["US", "CA", "MX"]', ""].join("\n"),
    );
    expect(first.stdout).not.toMatch(/# united states #/);
    const second = await runCli(["fmt", "-"], { stdin: first.stdout });
    expect(second.stdout).toBe(first.stdout);
  });

  it("-l names the files that would change and writes nothing", async () => {
    const copy = await tempCopy(path.join(ROOT, "test/fixtures/unformatted"));
    try {
      const before = await readFile(path.join(copy.dir, "messy.policy"), "utf8");
      const result = await runCli(["fmt", "-l", "."], { cwd: copy.dir });
      expect(result).toMatchObject({ code: 0, stdout: "messy.policy\n" });
      expect(await readFile(path.join(copy.dir, "messy.policy"), "utf8")).toBe(before);
      expect((await runCli(["fmt", "-l", "--check", "."], { cwd: copy.dir })).code).toBe(1);
    } finally {
      await copy.cleanup();
    }
  });

  it("--diff prints a unified diff that turns the file into its formatted text, and writes nothing", async () => {
    const copy = await tempCopy(path.join(ROOT, "test/fixtures/unformatted"));
    try {
      const file = path.join(copy.dir, "messy.policy");
      const before = await readFile(file, "utf8");
      const diff = await runCli(["fmt", "--diff", "messy.policy"], { cwd: copy.dir });
      expect(diff.code).toBe(0);
      expect(diff.stdout.startsWith("--- a/messy.policy\n+++ b/messy.policy\n@@ ")).toBe(true);
      expect(await readFile(file, "utf8")).toBe(before);
      const formatted = await runCli(["fmt", "-"], { stdin: before });
      expect(applyPatch(before, diff.stdout)).toBe(formatted.stdout);
      expect((await runCli(["fmt", "--diff", "."], { cwd: path.join(ROOT, "policies") })).stdout).toBe("");
    } finally {
      await copy.cleanup();
    }
  });
});

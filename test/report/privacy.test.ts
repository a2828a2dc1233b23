import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { show } from "../../src/engine/show.js";
import { createMasker, EMAIL_MASK, maskText } from "../../src/report/mask.js";
import { runCli, tempDir, type CliResult } from "../helpers.js";
import { writeHostileRepo, type HostileLead } from "./hostile-fixture.js";

// Internationalised addresses (SPEC §5 masks every e-mail-like value), in a pii field, in free
// text, and as a lead id; and a personal value that is not an address at all.
const JORG = "jörg.müller@bäckerei.de";
const ZOE = "zoë.ångström@universität.de";
const LONG = "ana.maria.long.name.293@umbrella-corporation-holdings.co";
const ID_MAIL = "zoë@universität.de";
const LEADS: HostileLead[] = [
  { id: "L1", owner: JORG, product: `Connect ${ZOE}`, notes: LONG, ready_at: "2026-11-02T10:00:00Z" },
  { id: ID_MAIL, owner: "Ana Lopez", product: "Analytics", notes: "ok", ready_at: "2026-11-02T10:00:00Z" },
];
const SECRETS = [JORG, ZOE, LONG, ID_MAIL, "Ana Lopez", "ana.maria.long", "müller@", "ångström@"];

function leaks(result: CliResult): string[] {
  const all = result.stdout + result.stderr;
  return SECRETS.filter((s) => all.includes(s));
}

describe("personal data is masked in every output unless --show-pii (SPEC §5)", () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const cli = (...args: string[]) => runCli(args, { cwd: dir });

  beforeAll(async () => {
    ({ dir, cleanup } = await tempDir());
    await writeHostileRepo(dir, { leads: LEADS }, (text) => text.replace('not (notes = "x")', 'not (notes = "ok")'));
  });
  afterAll(async () => cleanup());

  it.each(["text", "json", "markdown", "junit", "html"])("eval --format %s", async (format) => {
    const result = await cli("eval", "--snapshot", "snapshot", "--format", format);
    expect(result.stdout.length).toBeGreaterThan(0);
    expect(leaks(result)).toEqual([]);
  });

  it("eval --show-pii shows them", async () => {
    const result = await cli("eval", "--snapshot", "snapshot", "--format", "json", "--show-pii");
    expect(result.stdout).toContain(JORG);
    expect(result.stdout).toContain(ZOE);
  });

  it.each(["text", "json"])("explain --format %s: values, group labels and lead ids", async (format) => {
    for (const lead of ["L1", ID_MAIL]) {
      const result = await cli("explain", "--snapshot", "snapshot", "--lead", lead, "--format", format);
      expect(result.code).toBe(0);
      expect(leaks(result)).toEqual([]);
      // The second lead is not in the head policy's population: no group to show.
      if (lead === "L1") expect(result.stdout).toMatch(/personal value 1/);
    }
  });

  it("explain's 'did you mean' does not offer another lead's e-mail id", async () => {
    const result = await cli("explain", "--snapshot", "snapshot", "--lead", "zoe@universität.de");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("no lead with id");
    expect(leaks(result)).toEqual([]);
    expect(result.stderr).not.toContain("did you mean");
    const shown = await cli("explain", "--snapshot", "snapshot", "--lead", "zoe@universität.de", "--show-pii");
    expect(shown.stderr).toContain(`did you mean '${ID_MAIL}'`);
  });

  it("explain --show-pii shows the group", async () => {
    const result = await cli("explain", "--snapshot", "snapshot", "--lead", "L1", "--show-pii");
    expect(result.stdout).toContain(`group ${JORG}`);
  });

  it.each(["text", "junit", "json"])("test --format %s: group values of failing expectations", async (format) => {
    const result = await cli("test", "policies", "--format", format);
    expect(result.code).toBe(1);
    expect(leaks(result)).toEqual([]);
  });

  it("test --show-pii shows them", async () => {
    const result = await cli("test", "policies", "--show-pii");
    expect(result.stdout).toContain(JORG);
  });

  it.each(["text", "markdown", "json"])("diff --show-leads --format %s: e-mail lead ids", async (format) => {
    const result = await cli("diff", "--base", "HEAD~1", "--head", "HEAD", "--snapshot", "snapshot", "--show-leads", "--format", format);
    expect(result.code).toBe(0);
    // Markdown escapes the mask's brackets (`\[email hidden\]`): it renders as the mask.
    expect(result.stdout.replace(/\\/g, "")).toContain(EMAIL_MASK);
    expect(leaks(result)).toEqual([]);
  });

  it("diff --show-leads --show-pii names them", async () => {
    const result = await cli("diff", "--base", "HEAD~1", "--head", "HEAD", "--snapshot", "snapshot", "--show-leads", "--show-pii");
    expect(result.stdout).toContain(ID_MAIL);
  });
});

describe("the e-mail mask", () => {
  it.each([JORG, ZOE, LONG, "ana.293@umbrella.co", "a+b@x.io", "ANA@EXAMPLE.COM", "δοκιμή@παράδειγμα.δοκιμή", "用户@例子.广告", "ana＠umbrella.co"])(
    "hides %s, also in a sentence",
    (email) => {
      expect(maskText(email)).toBe(EMAIL_MASK);
      expect(maskText(`owner '${email}', then.`)).toBe(`owner '${EMAIL_MASK}', then.`);
    },
  );

  it("hides an address already cut short, and leaves text without one alone", () => {
    expect(maskText("ana.293@umbrel…")).toBe(`${EMAIL_MASK}…`);
    for (const text of ["@everyone", 'email ends with "@gmail.com"', "2027-01 · owner alice", "approved by @sales/leads"]) expect(maskText(text)).toBe(text);
  });

  it("a value quoted in a reject reason is cut after masking can see it whole: no part of an address survives the cut", () => {
    const value = `see ${LONG} now`;
    const quoted = show(value);
    expect(quoted.length).toBeLessThanOrEqual(40);
    expect(maskText(quoted)).not.toContain("ana.maria");
    expect(maskText(quoted)).not.toContain("umbrella");
  });

  it("group labels: pii parts become pseudonyms, one per value; a value holding the separator hides the whole label", () => {
    const m = createMasker(["owner"], false);
    expect(m.group("alice / Connect", ["owner", "product"])).toBe("personal value 1 / Connect");
    expect(m.group("alice / x@y.co", ["owner", "product"])).toBe(`personal value 1 / ${EMAIL_MASK}`);
    expect(m.group("bob / Connect", ["owner", "product"])).toBe("personal value 2 / Connect");
    expect(m.group("a / b / Connect", ["owner", "product"])).toBe("personal value 3");
    expect(m.group("(none)", ["owner"])).toBe("(none)");
    expect(createMasker(["owner"], true).group("alice / x@y.co", ["owner", "product"])).toBe("alice / x@y.co");
  });
});

describe("cutting a quoted value", () => {
  it("leaves out a word with an at sign that the cut would split, whatever the mask recognises", () => {
    expect(show(`${"x".repeat(30)} ana.maria@x.co`)).toBe(`${"x".repeat(30)} …`);
    expect(show(`${"x".repeat(36)} ana@x.co`)).toBe(`${"x".repeat(36)} …`);
    expect(show(`ana@x.co ${"y".repeat(40)}`)).toBe(`ana@x.co ${"y".repeat(28)}…`);
    expect(show("short")).toBe("short");
  });
});

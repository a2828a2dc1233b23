import { describe, expect, it } from "vitest";
import { diffPolicies } from "../../src/lang/diff.js";
import { formatSource } from "../../src/lang/format.js";
import { parseFile } from "../../src/lang/parse.js";
import { BASE, mutate } from "./fixtures.js";

const WITH_RULES = mutate(
  "  funnel mql -> ready 40%",
  '  funnel mql -> ready 40%\n  by owner\n  quotas { "ana": 2_000_000 USD, "ben": 900_000 USD }',
  mutate("  target 95%\n  by owner", '  target 95%\n  by owner\n  touches owner = lead.owner\n  calendar by product { "a": office } default office', BASE.replace('  touches type in ["call", "email"]\n', "")),
);

const files = (text: string) => [parseFile("p.policy", text).file];

describe("lead rules in fmt and diff", () => {
  it("fmt keeps lead.NAME, calendar by and quotas, and a second run changes nothing", () => {
    const once = formatSource("p.policy", WITH_RULES);
    if (!once.ok) throw new Error("does not parse");
    expect(once.text).toContain("  touches owner = lead.owner\n");
    expect(once.text).toContain('  calendar by product { "a": office } default office\n');
    expect(once.text).toContain('  quotas { "ana": 2_000_000 USD, "ben": 900_000 USD }\n');
    const twice = formatSource("p.policy", once.text);
    expect(twice.ok && twice.text).toBe(once.text);
  });

  it("a table too wide for a line is written one entry a line, with the comments inside kept", () => {
    const wide = WITH_RULES.replace('"ben": 900_000 USD }', '"ben": 900_000 USD, # the new rep\n "carmen_from_the_berlin_office": 1_250_000 USD, "deshawn": 700_000 USD }');
    const once = formatSource("p.policy", wide);
    if (!once.ok) throw new Error("does not parse");
    expect(once.text).toContain('  quotas {\n    "ana": 2_000_000 USD,\n    "ben": 900_000 USD,  # the new rep\n    "carmen_from_the_berlin_office": 1_250_000 USD,\n    "deshawn": 700_000 USD\n  }\n');
    const twice = formatSource("p.policy", once.text);
    expect(twice.ok && twice.text).toBe(once.text);
  });

  it("diff says what changed in a quota, a calendar table and a touch filter", () => {
    const after = WITH_RULES.replace('"ben": 900_000 USD', '"ben": 950_000 USD').replace('{ "a": office }', '{ "a": office, "b": office }').replace("owner = lead.owner", "owner != lead.owner");
    const diff = diffPolicies(files(WITH_RULES), files(after), true);
    expect(diff.changes.map((c) => [c.item, c.id, c.details])).toEqual([
      ["sla", "speed", ["counted touches: `owner = lead.owner` → `owner != lead.owner`", 'calendar: by product { "a": office } default office → by product { "a": office, "b": office } default office']],
      ["goal", "revenue", ['quotas: "ana": 2_000_000 USD, "ben": 900_000 USD → "ana": 2_000_000 USD, "ben": 950_000 USD']],
    ]);
  });
});

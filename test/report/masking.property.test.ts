import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runCli, tempDir } from "../helpers.js";
import { writeHostileRepo, type HostileLead } from "./hostile-fixture.js";

// Letters of several scripts (with combining-free accents), digits, and the punctuation an
// address's local part commonly holds.
const LETTERS = [..."abcdefghijklmnopqrstuvwxyzäöüßéèçñåøæœžšłğıαβγδεжзийклмнопабвгдеж用户例子广告テストü"];
const letter = fc.constantFrom(...LETTERS);
const word = (min: number, max: number) => fc.string({ unit: fc.oneof(letter, fc.constantFrom(..."0123456789")), minLength: min, maxLength: max });

/** A random internationalised address: `local@label.label.tld`, in any of the scripts above. */
const email = fc
  .tuple(
    fc.array(word(1, 8), { minLength: 1, maxLength: 3 }),
    fc.constantFrom(".", "_", "+", "-"),
    fc.array(word(1, 10), { minLength: 1, maxLength: 2 }),
    fc.string({ unit: letter, minLength: 2, maxLength: 6 }),
    fc.boolean(),
  )
  .map(([local, sep, labels, tld, upper]) => {
    const address = `${local.join(sep)}@${labels.join(".")}.${tld}`;
    return upper ? address.toUpperCase() : address;
  });

/** Free text around an address, as a notes or product field might hold it. */
const sentence = fc.tuple(fc.constantFrom("", "contact ", "Fwd: ", "owner="), email, fc.constantFrom("", " now", ", thanks", "\n## x")).map(([a, e, b]) => ({ text: `${a}${e}${b}`, email: e }));

const lead = fc.record({ owner: email, product: sentence, notes: sentence, idIsEmail: fc.boolean(), id: email });

/** What a reader would see: Markdown escapes, zero-width spaces and entities undone. */
function readable(output: string): string {
  return output.replace(/&#8203;|\u200b/g, "").replace(/\\/g, "").replace(/&amp;/g, "&").replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').normalize("NFC");
}

const COMMANDS: string[][] = [
  ...["text", "json", "markdown", "junit", "html"].map((f) => ["eval", "--snapshot", "snapshot", "--format", f]),
  ...["text", "json", "markdown", "junit", "html"].map((f) => ["eval", "--snapshot", "snapshot", "--format", f, "--group-by", "notes,owner"]),
  ...["text", "junit", "json"].map((f) => ["test", "policies", "--format", f]),
  ...["text", "markdown", "json"].map((f) => ["diff", "--base", "HEAD~1", "--head", "HEAD", "--snapshot", "snapshot", "--show-leads", "--format", f]),
];

describe("masking property: no output of any command holds an e-mail address from the data (SPEC §5)", () => {
  it("random snapshots with random Unicode addresses in pii and free-text fields, and as lead ids", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(lead, { minLength: 1, maxLength: 4 }), email, async (generated, touchType) => {
        const { dir, cleanup } = await tempDir();
        try {
          const leads: HostileLead[] = generated.map((g, i) => ({
            id: g.idIsEmail ? g.id : `L${i}`,
            owner: g.owner,
            product: g.product.text,
            notes: g.notes.text,
            ready_at: `2026-11-0${(i % 5) + 2}T10:00:00Z`,
          }));
          const secrets = [...new Set(generated.flatMap((g) => [g.owner, g.product.email, g.notes.email, ...(g.idIsEmail ? [g.id] : [])]).concat(touchType))];
          // The head version lets a lead with these notes leave `ready`: --show-leads names it.
          await writeHostileRepo(dir, { leads, touchType }, (text) => text.replace('not (notes = "x")', `not (notes = ${JSON.stringify(leads[0]!.notes)})`));
          const commands = [...COMMANDS, ...leads.flatMap((l) => ["text", "json"].map((f) => ["explain", "--snapshot", "snapshot", "--lead", l.id, "--format", f]))];
          for (const args of commands) {
            const result = await runCli(args, { cwd: dir });
            expect(result.stderr, args.join(" ")).not.toContain("internal error");
            const out = readable(result.stdout + result.stderr);
            for (const secret of secrets) {
              expect(out, `${args.join(" ")} printed ${secret}`).not.toContain(secret.normalize("NFC"));
              // Nor the address's local part with its at sign, as a cut address would show.
              expect(out, `${args.join(" ")} printed part of ${secret}`).not.toContain(secret.slice(0, secret.indexOf("@") + 1));
            }
          }
        } finally {
          await cleanup();
        }
      }),
      { numRuns: 4 },
    );
  });
});

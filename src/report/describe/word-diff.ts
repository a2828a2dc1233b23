/**
 * Marks the words that differ between two renderings of a sentence, so a reader of a long
 * before/after pair sees "for at least **90%** of those leads" at a glance. Words are split on
 * spaces of the already-rendered Markdown, so escapes and code spans stay whole.
 */

/** Past this many word pairs the table would cost more than it helps: no marks, sentences as they are. */
const MAX_CELLS = 200_000;

/** Longest common subsequence of words: which words of each side are kept (true) and which changed. */
function kept(a: readonly string[], b: readonly string[]): { inA: boolean[]; inB: boolean[] } | undefined {
  if (a.length * b.length > MAX_CELLS) return undefined;
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1]! + 1 : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
    }
  }
  const inA = new Array<boolean>(a.length).fill(false);
  const inB = new Array<boolean>(b.length).fill(false);
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      inA[i++] = true;
      inB[j++] = true;
    } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) i++;
    else j++;
  }
  return { inA, inB };
}

/** Wraps each run of changed words in `open`/`close` (e.g. `**`). */
function mark(words: readonly string[], keep: readonly boolean[], open: string, close: string): string {
  const out: string[] = [];
  let run: string[] = [];
  const flush = () => {
    if (run.length > 0) out.push(`${open}${run.join(" ")}${close}`);
    run = [];
  };
  words.forEach((w, i) => {
    if (keep[i] || w === "") {
      flush();
      out.push(w);
    } else run.push(w);
  });
  flush();
  return out.join(" ");
}

/** The two Markdown sentences with the words only one of them has in bold. */
export function markChangedWords(before: string, after: string): { before: string; after: string } {
  const a = before.split(" ");
  const b = after.split(" ");
  const k = kept(a, b);
  if (!k) return { before, after };
  return { before: mark(a, k.inA, "**", "**"), after: mark(b, k.inB, "**", "**") };
}

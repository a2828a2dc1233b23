/** Optimal string alignment distance: edits, with a swap of neighbours counted as one (`sales_redy`). */
export function editDistance(a: string, b: string): number {
  return boundedDistance(a, b, Infinity);
}

/**
 * The distance between `a` and `b` if it is at most `limit`, else any number above `limit`: the
 * table is filled only within `limit` of its diagonal, and given up on once a row is all over it.
 */
function boundedDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const cols = b.length + 1;
  const far = Math.min(limit + 1, a.length + b.length + 1);
  // Three rows are enough (a swap looks two rows back), reused from call to call.
  if (rows[0].length < cols) rows = [new Int32Array(cols * 2), new Int32Array(cols * 2), new Int32Array(cols * 2)];
  let [before, previous, current] = rows;
  for (let j = 0; j < cols; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current.fill(far, 0, cols);
    current[0] = i;
    let rowBest = i;
    const from = Math.max(1, i - limit);
    const to = Math.min(cols - 1, i + limit);
    for (let j = from; j <= to; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let best = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, before[j - 2]! + 1);
      current[j] = best;
      if (best < rowBest) rowBest = best;
    }
    if (rowBest > limit) return limit + 1;
    [before, previous, current] = [previous, current, before];
  }
  return previous[cols - 1]!;
}
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** How far a word may be from a candidate and still be a plausible typo of it. */
function allowedDistance(word: string): number {
  return Math.max(1, Math.floor(word.length / 3));
}

/**
 * The candidates of one kind (lead definitions, fields, teams…), indexed once by length, so a
 * word is compared only with candidates whose length is within its allowed distance, each by a
 * banded comparison that stops early. Answers are remembered per word. Past a budget of
 * comparisons (across all words) it stops suggesting: with 10,000 unknown names against 10,000
 * definitions, the first suggestions help, and the rest would cost minutes.
 */
export class Suggestions {
  /** Candidates by lower-cased length, each with its place in the original order (ties go to the first). */
  private readonly byLength = new Map<number, Array<{ lower: string; candidate: string; order: number }>>();
  private readonly answers = new Map<string, string | undefined>();
  private comparisons = 0;

  constructor(
    candidates: Iterable<string>,
    private readonly budget = Suggestions.DEFAULT_BUDGET,
  ) {
    let order = 0;
    for (const candidate of candidates) {
      const lower = candidate.toLowerCase();
      const bucket = this.byLength.get(lower.length) ?? [];
      bucket.push({ lower, candidate, order: order++ });
      this.byLength.set(lower.length, bucket);
    }
  }

  /** Comparisons one set of candidates may make in a run: hundreds of suggestions even among 10,000 names, in well under a second. */
  static readonly DEFAULT_BUDGET = 500_000;

  /** How many candidate comparisons were made so far (the work, for tests of linearity). */
  get work(): number {
    return this.comparisons;
  }

  /** The closest candidate, if it is close enough to be a plausible typo. */
  closest(word: string): string | undefined {
    if (this.answers.has(word)) return this.answers.get(word);
    if (this.comparisons >= this.budget) return undefined;
    const lower = word.toLowerCase();
    const allowed = allowedDistance(word);
    let best: { candidate: string; order: number; distance: number } | undefined;
    for (let length = lower.length - allowed; length <= lower.length + allowed; length++) {
      for (const entry of this.byLength.get(length) ?? []) {
        this.comparisons++;
        const limit = best ? Math.min(allowed, best.distance) : allowed;
        const distance = boundedDistance(lower, entry.lower, limit);
        if (distance > limit) continue;
        if (!best || distance < best.distance || (distance === best.distance && entry.order < best.order)) {
          best = { candidate: entry.candidate, order: entry.order, distance };
        }
      }
    }
    this.answers.set(word, best?.candidate);
    return best?.candidate;
  }

  /** " (did you mean 'x'?)", or nothing when no candidate is close. */
  didYouMean(word: string): string {
    const suggestion = this.closest(word);
    return suggestion === undefined ? "" : ` (did you mean '${suggestion}'?)`;
  }
}

/** The closest candidate, if it is close enough to be a plausible typo (for a small, one-off list). */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  return new Suggestions(candidates, Infinity).closest(word);
}

/** " (did you mean 'x'?)", or nothing when no candidate is close (for a small, one-off list). */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  return new Suggestions(candidates, Infinity).didYouMean(word);
}

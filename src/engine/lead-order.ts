/**
 * The entries of a result's listed leads in report order: by deadline, earliest first, then by
 * lead number. Sorted in place, as `entries.sort(comparator)` would, but a million leads' report
 * lists some 50,000, and a comparator called from the sort cost ~40 ms (bench/README.md). When
 * the entries come in lead order (they do: leads are tracked as they are added) and the
 * deadlines are whole milliseconds in a range small enough, each entry's deadline and position
 * make one exact number, and a Float64Array sorts those without calling back into JavaScript.
 */
export function sortByDeadline(entries: number[], deadline: (entry: number) => number, lead: (entry: number) => number): number[] {
  const n = entries.length;
  if (n < 2) return entries;
  let min = Infinity;
  let max = -Infinity;
  let inLeadOrder = true;
  for (let k = 0; k < n; k++) {
    const d = deadline(entries[k]!);
    if (!Number.isInteger(d)) return sortByComparator(entries, deadline, lead);
    if (d < min) min = d;
    if (d > max) max = d;
    if (k > 0 && lead(entries[k]!) <= lead(entries[k - 1]!)) inLeadOrder = false;
  }
  // (max - min) * n + (n - 1) must be exact in a double.
  if (!inLeadOrder || (max - min + 1) * n > Number.MAX_SAFE_INTEGER) return sortByComparator(entries, deadline, lead);
  const keys = new Float64Array(n);
  for (let k = 0; k < n; k++) keys[k] = (deadline(entries[k]!) - min) * n + k;
  keys.sort();
  const order = entries.slice();
  for (let k = 0; k < n; k++) entries[k] = order[keys[k]! % n]!;
  return entries;
}

function sortByComparator(entries: number[], deadline: (entry: number) => number, lead: (entry: number) => number): number[] {
  return entries.sort((a, b) => deadline(a) - deadline(b) || lead(a) - lead(b));
}

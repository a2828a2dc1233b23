const count = new Intl.NumberFormat("en-US");

/** "2,400": a count with thousands separators. */
export function formatCount(n: number): string {
  return count.format(n);
}

/** "1 lead", "2,400 leads": reports are read by people. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${count.format(n)} ${n === 1 ? word : many}`;
}

const count = new Intl.NumberFormat("en-US");

/** "1 lead", "2,400 leads": reports are read by people. */
export function plural(n: number, word: string, many = `${word}s`): string {
  return `${count.format(n)} ${n === 1 ? word : many}`;
}

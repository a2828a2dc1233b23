import { Int32List } from "./int-list.js";

/**
 * Ids by lead number, for the leads a judging source names (JudgeSink.name): a database engine
 * names each judged lead (about 100,000 at a million leads), and reports then ask for the few
 * they list. Kept as two flat lists, found by binary search: a Map set per lead cost ~70 ms and
 * its garbage at 1M (bench/README.md). Sources name leads in ascending order, one run per
 * stream; when a number comes out of order the lists are sorted once, at the first look-up.
 */
export class NamedIds {
  private numbers = new Int32List();
  private ids: string[] = [];
  private sorted = true;

  get size(): number {
    return this.ids.length;
  }

  add(lead: number, id: string): void {
    const n = this.numbers.length;
    if (n > 0 && lead <= this.numbers.at(n - 1)) this.sorted = false;
    this.numbers.push(lead);
    this.ids.push(id);
  }

  /** The id named for lead `lead`, or undefined. */
  get(lead: number): string | undefined {
    if (!this.sorted) this.sort();
    let lo = 0;
    let hi = this.numbers.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = this.numbers.at(mid);
      if (at === lead) return this.ids[mid];
      if (at < lead) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  /** Numbers ascending; of a number named twice, the id named last is kept, as a Map's set would. */
  private sort(): void {
    const n = this.numbers.length;
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => this.numbers.at(a) - this.numbers.at(b) || b - a);
    const numbers = new Int32List(n);
    const ids: string[] = [];
    for (let k = 0; k < n; k++) {
      const i = order[k]!;
      const lead = this.numbers.at(i);
      if (numbers.length > 0 && numbers.at(numbers.length - 1) === lead) continue;
      numbers.push(lead);
      ids.push(this.ids[i]!);
    }
    this.numbers = numbers;
    this.ids = ids;
    this.sorted = true;
  }
}

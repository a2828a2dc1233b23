import { Int32List } from "../engine/int-list.js";

/**
 * Each slot holds three numbers: the key's hash, its value plus one (0: the slot is empty) and
 * where its characters start.
 */
const EMPTY = 0;
const SLOT = 3;
/**
 * A new map is sized to be at most this full with the expected keys, and grows when 3/4 full.
 * At a million leads the estimate (1.06 million) had doubled a half-full table to 4 million
 * slots: 48 MiB, touched at random, 22,000 page faults on the main thread. Now 2 million: 24 MiB.
 */
const LOADED = 0.6;
/**
 * While in order (below), a look-up the caller could not guess (isNth) is a binary search; after
 * this many of them per key held, the keys are moved into the table, where a look-up costs one
 * probe: a look-up in a random order costs the search at most this often.
 */
const SEARCHES_PER_KEY = 1 / 64;

/**
 * A map from id strings to 32-bit integers, for the million lead ids of a large snapshot.
 *
 * Why not `Map`: measured on a million ids and three million look-ups (bench/README.md), a `Map`
 * holds each id as a string object plus an entry, about 80 bytes an id, and a look-up touches
 * three places in memory. Here the ids' characters sit end to end in one array and the slots in
 * another (open addressing, linear probing, at most 3/4 full): about 30–50 bytes an id, a slot
 * compared by hash before any character is, and 2–3× faster than `Map` in that measurement. Keys are
 * copied in, so a kept id never holds on to the text it was cut from.
 */
export class IdMap {
  private slots: Int32Array;
  private mask: number;
  /**
   * Each key as its length (two units, low first) and then its UTF-16 code units: one byte a
   * unit while every key is Latin-1, as CRM ids are (half the memory), two once one is not.
   */
  private chars: Uint8Array | Uint16Array;
  private wide = false;
  private charsUsed = 0;
  /** Where each key's characters start, in the order the keys were added: keyAt reads it back. */
  private readonly starts: Int32List;
  size = 0;
  /**
   * Whether every key so far was added in ascending order (shorter first, then by code unit), each
   * with its number as its value (0, 1, 2…), as a lead export sorted by id adds them. Then the
   * keys are not in the table yet: a new key is told from the others by comparing it with the
   * last, where a probe of the table would miss the cache (at a million leads the main thread's
   * largest cost, bench/README.md), and a look-up is a binary search. The first key out of order,
   * or with another value, moves every key into the table for good (leaveOrder).
   */
  private ordered = true;
  /** Binary searches left before the keys move into the table. */
  private searchesLeft = 0;

  /**
   * `expected`: about how many keys will be added, when known. Sized for it from the start, the
   * map does not grow by doubling, which at a million ids held the old and the new arrays at
   * once (about 30 MiB more at the peak) and left up to half of the last one unused.
   */
  constructor(expected = 0) {
    let capacity = 16;
    while (capacity * LOADED < expected) capacity *= 2;
    this.mask = capacity - 1;
    // Made when the keys leave their order (leaveOrder): a sorted export never needs it, and at
    // a million ids it is 24 MiB.
    this.slots = EMPTY_TABLE;
    this.chars = new Uint8Array(Math.max(1024, expected * 12));
    this.starts = new Int32List(expected);
  }

  /**
   * The key added n-th (0, 1, 2…): reports name leads by id long after reading, and this keeps
   * one number a key for it, not a million strings.
   */
  nthKey(n: number): string {
    if (!Number.isInteger(n) || n < 0 || n >= this.size) throw new RangeError(`IdMap holds ${this.size} keys; there is no key number ${n}`);
    const start = this.starts.at(n);
    const chars = this.chars;
    const length = chars[start]! + chars[start + 1]! * (this.wide ? 0x10000 : 0x100);
    let key = "";
    // Ids are short: building the string a unit at a time is cheaper than a decoder for each.
    for (let i = 0; i < length; i++) key += String.fromCharCode(chars[start + 2 + i]!);
    return key;
  }

  /**
   * Whether `key` is the key added n-th: no probe of the table, whose slots are scattered, but
   * the characters stored in order of addition. For callers that can guess a key's number.
   */
  isNth(n: number, key: string): boolean {
    return n >= 0 && n < this.size && this.keyAt(this.starts.at(n), key);
  }

  get(key: string): number | undefined {
    if (this.ordered) {
      if (this.searchesLeft-- > 0) return this.search(key);
      this.leaveOrder();
    }
    const stored = this.slots[this.find(key, hashOf(key)) + 1]!;
    return stored === EMPTY ? undefined : stored - 1;
  }

  /** In order: the number of the key, found by halving (its number is its value), or undefined. */
  private search(key: string): number | undefined {
    let low = 0;
    let high = this.size - 1;
    while (low <= high) {
      const mid = (low + high) >>> 1;
      const order = this.compareWith(this.starts.at(mid), key);
      if (order === 0) return mid;
      if (order < 0) low = mid + 1;
      else high = mid - 1;
    }
    return undefined;
  }

  /** The stored key at `start` against `key`: negative when it comes first (shorter, then by code unit), 0 when equal. */
  private compareWith(start: number, key: string): number {
    const chars = this.chars;
    const length = chars[start]! + chars[start + 1]! * (this.wide ? 0x10000 : 0x100);
    if (length !== key.length) return length - key.length;
    for (let i = 0, at = start + 2; i < length; i++, at++) {
      const d = chars[at]! - key.charCodeAt(i);
      if (d !== 0) return d;
    }
    return 0;
  }

  /** Moves every key into the table and stops keeping them in order. */
  private leaveOrder(): void {
    this.ordered = false;
    while (this.size * 4 > (this.mask + 1) * 3) this.mask = this.mask * 2 + 1;
    this.slots = newTable(this.mask + 1);
    const slots = this.slots;
    const mask = this.mask;
    for (let n = 0; n < this.size; n++) {
      const start = this.starts.at(n);
      const hash = this.hashAt(start);
      // The keys are distinct (each came after the last): no need to compare them.
      let i = hash & mask;
      while (slots[i * SLOT + 1] !== EMPTY) i = (i + 1) & mask;
      slots[i * SLOT] = hash;
      slots[i * SLOT + 1] = n + 1;
      slots[i * SLOT + 2] = start;
    }
  }

  /** hashOf the key stored at `start`. */
  private hashAt(start: number): number {
    const chars = this.chars;
    const length = chars[start]! + chars[start + 1]! * (this.wide ? 0x10000 : 0x100);
    let h = 0x811c9dc5;
    for (let i = 0, at = start + 2; i < length; i++, at++) h = Math.imul(h ^ chars[at]!, 0x01000193);
    return mix(h);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Sets the key's value (an integer from 0 to 2^31 - 2). */
  set(key: string, value: number): this {
    this.put(key, value, true);
    return this;
  }

  /**
   * Adds the key with the value unless the key is there already: one look-up where `get` and
   * then `set` would take two. Returns the value the key already had, or undefined when added.
   */
  addNew(key: string, value: number): number | undefined {
    return this.put(key, value, false);
  }

  private put(key: string, value: number, replace: boolean): number | undefined {
    if (!Number.isInteger(value) || value < 0 || value >= 0x7fffffff) throw new RangeError(`IdMap values are integers from 0 to 2^31 - 2, not ${value}`);
    if (this.ordered) {
      if (value === this.size && (this.size === 0 || this.compareWith(this.starts.at(this.size - 1), key) < 0)) return this.append(key);
      this.leaveOrder();
    }
    const hash = hashOf(key);
    let slot = this.find(key, hash);
    const existing = this.slots[slot + 1]!;
    if (existing !== EMPTY) {
      if (replace) this.slots[slot + 1] = value + 1;
      return existing - 1;
    }
    if ((this.size + 1) * 4 > (this.mask + 1) * 3) {
      this.grow();
      slot = this.find(key, hash);
    }
    this.slots[slot] = hash;
    this.slots[slot + 1] = value + 1;
    const start = this.store(key);
    this.slots[slot + 2] = start;
    this.starts.push(start);
    this.size++;
    return undefined;
  }

  /** In order: adds a key that comes after every other, numbered as its value. */
  private append(key: string): undefined {
    this.starts.push(this.store(key));
    this.size++;
    this.searchesLeft += SEARCHES_PER_KEY;
    return undefined;
  }

  /** The slot holding the key, or the empty slot where it would go. */
  private find(key: string, hash: number): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const slot = i * SLOT;
      if (slots[slot + 1] === EMPTY) return slot;
      if (slots[slot] === hash && this.keyAt(slots[slot + 2]!, key)) return slot;
    }
  }

  private keyAt(start: number, key: string): boolean {
    const chars = this.chars;
    const length = chars[start]! + chars[start + 1]! * (this.wide ? 0x10000 : 0x100);
    if (length !== key.length) return false;
    for (let i = 0, at = start + 2; i < key.length; i++, at++) if (chars[at] !== key.charCodeAt(i)) return false;
    return true;
  }

  private store(key: string): number {
    if (!this.wide && (key.length > 0xffff || !isLatin1(key))) this.widen();
    const need = this.charsUsed + key.length + 2;
    if (need > this.chars.length) {
      const bigger = this.wide ? new Uint16Array(Math.max(need, Math.ceil(this.chars.length * 1.5))) : new Uint8Array(Math.max(need, Math.ceil(this.chars.length * 1.5)));
      bigger.set(this.chars.subarray(0, this.charsUsed));
      this.chars = bigger;
    }
    const start = this.charsUsed;
    const chars = this.chars;
    const unit = this.wide ? 0x10000 : 0x100;
    chars[start] = key.length % unit;
    chars[start + 1] = Math.floor(key.length / unit);
    for (let i = 0; i < key.length; i++) chars[start + 2 + i] = key.charCodeAt(i);
    this.charsUsed = need;
    return start;
  }

  /** From one byte a unit to two: the stored keys are copied over with their lengths re-split. */
  private widen(): void {
    const narrow = this.chars;
    const wide = new Uint16Array(narrow.length);
    for (let at = 0; at < this.charsUsed; ) {
      const length = narrow[at]! + narrow[at + 1]! * 0x100;
      wide[at] = length;
      wide[at + 1] = 0;
      for (let i = 0; i < length; i++) wide[at + 2 + i] = narrow[at + 2 + i]!;
      at += length + 2;
    }
    this.chars = wide;
    this.wide = true;
  }

  private grow(): void {
    const old = this.slots;
    this.mask = this.mask * 2 + 1;
    this.slots = newTable(this.mask + 1);
    for (let slot = 0; slot < old.length; slot += SLOT) {
      if (old[slot + 1] === EMPTY) continue;
      let i = old[slot]! & this.mask;
      while (this.slots[i * SLOT + 1] !== EMPTY) i = (i + 1) & this.mask;
      this.slots.set(old.subarray(slot, slot + SLOT), i * SLOT);
    }
  }
}

/** The table of a map still in order: none. */
const EMPTY_TABLE = new Int32Array(0);

/**
 * Slots for `capacity` keys, every one empty. The memory comes zeroed from the system, but it
 * is written through once here all the same: a page first read (a probe finding it empty) and
 * then written costs the kernel two faults, and the second replaces a shared zero page, which
 * is dear in a virtual machine. Measured on a million ids: 12 ms here, and the inserts 50–90 ms
 * faster with 40% fewer page faults (bench/README.md).
 */
function newTable(capacity: number): Int32Array {
  const slots = new Int32Array(capacity * SLOT);
  slots.fill(EMPTY);
  return slots;
}

/** FNV-1a over UTF-16 code units, mixed at the end so that ids differing in their last characters spread. */
function hashOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return mix(h);
}

/** hashOf's end: ids differing in their last characters spread. */
function mix(hash: number): number {
  let h = hash;
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h;
}

function isLatin1(key: string): boolean {
  for (let i = 0; i < key.length; i++) if (key.charCodeAt(i) > 0xff) return false;
  return true;
}

/**
 * A set of string keys kept in ascending order, for paged scans that must
 * resume after a cursor (chunks of a device, of an epoch). Binary search on
 * a plain array: insert/delete move at most n pointers (a memmove, ~50 µs at
 * 100k keys), a page costs O(log n + limit), and bulk loads sort once.
 */
export class SortedKeys {
  private keys: string[];

  constructor(keys: string[] = []) {
    this.keys = keys;
  }

  /** From keys in any order (duplicates removed). */
  static of(keys: Iterable<string>): SortedKeys {
    return new SortedKeys([...new Set(keys)].sort());
  }

  get size(): number {
    return this.keys.length;
  }

  /** Index of the first key >= `key`. */
  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.keys[mid] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(key: string): boolean {
    return this.keys[this.lowerBound(key)] === key;
  }

  add(key: string): void {
    const at = this.lowerBound(key);
    if (this.keys[at] !== key) this.keys.splice(at, 0, key);
  }

  delete(key: string): void {
    const at = this.lowerBound(key);
    if (this.keys[at] === key) this.keys.splice(at, 1);
  }

  /** Keys strictly after `after` (all when undefined), ascending, lazily. */
  *from(after?: string): Generator<string> {
    let i = after === undefined ? 0 : this.lowerBound(after);
    if (after !== undefined && this.keys[i] === after) i++;
    // Snapshot semantics are not needed: callers do not apply while iterating.
    for (; i < this.keys.length; i++) yield this.keys[i] as string;
  }
}

/**
 * A set of string keys kept in ascending order, for paged scans that must
 * resume after a cursor (chunks of a device, of an epoch). Keys live in
 * sorted blocks of at most BLOCK_MAX: insert and delete cost a binary search
 * plus a splice inside one block (a plain sorted array would move half of
 * 100k pointers per change), a page costs O(log n + limit), bulk loads sort once.
 */
const BLOCK_MAX = 1024;

export class SortedKeys {
  /** Non-empty blocks, each sorted, every key of a block below every key of the next. */
  private blocks: string[][] = [];
  private count = 0;

  /** From keys in any order (duplicates removed). */
  static of(keys: Iterable<string>): SortedKeys {
    const out = new SortedKeys();
    const sorted = [...new Set(keys)].sort();
    for (let i = 0; i < sorted.length; i += BLOCK_MAX / 2) out.blocks.push(sorted.slice(i, i + BLOCK_MAX / 2));
    out.count = sorted.length;
    return out;
  }

  get size(): number {
    return this.count;
  }

  /** Index of the block that holds `key` or would: the first whose last key is >= key (the last block if none). */
  private blockFor(key: string): number {
    let lo = 0;
    let hi = this.blocks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const block = this.blocks[mid] as string[];
      if ((block[block.length - 1] as string) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  has(key: string): boolean {
    const block = this.blocks[this.blockFor(key)];
    return block !== undefined && block[lowerBound(block, key)] === key;
  }

  add(key: string): void {
    if (this.blocks.length === 0) {
      this.blocks.push([key]);
      this.count = 1;
      return;
    }
    const b = this.blockFor(key);
    const block = this.blocks[b] as string[];
    const at = lowerBound(block, key);
    if (block[at] === key) return;
    block.splice(at, 0, key);
    this.count++;
    if (block.length > BLOCK_MAX) this.blocks.splice(b + 1, 0, block.splice(BLOCK_MAX / 2));
  }

  delete(key: string): void {
    const b = this.blockFor(key);
    const block = this.blocks[b];
    if (block === undefined) return;
    const at = lowerBound(block, key);
    if (block[at] !== key) return;
    block.splice(at, 1);
    this.count--;
    if (block.length === 0) this.blocks.splice(b, 1);
  }

  /** Keys strictly after `after` (all when undefined), ascending, lazily; do not change the set while iterating. */
  *from(after?: string): Generator<string> {
    let b = after === undefined ? 0 : this.blockFor(after);
    let i = 0;
    if (after !== undefined) {
      const block = this.blocks[b];
      if (block === undefined) return;
      i = lowerBound(block, after);
      if (block[i] === after) i++;
    }
    for (; b < this.blocks.length; b++, i = 0) {
      const block = this.blocks[b] as string[];
      for (; i < block.length; i++) yield block[i] as string;
    }
  }

  /** Every key, ascending, as a new array (safe to hold while the set changes). */
  toArray(): string[] {
    return this.blocks.flat();
  }
}

function lowerBound(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

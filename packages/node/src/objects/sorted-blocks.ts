/**
 * A sorted sequence kept as a list of short sorted blocks (issue #12), so an
 * insert or a removal costs O(log N + BLOCK) — a binary search over the
 * blocks' last entries, one within the block, a splice of at most 2 x BLOCK
 * references — instead of the O(N) move a single sorted array needs, while
 * a range read stays O(log N + length). Used by the name index, where one
 * listing may carry thousands of changes into an index of millions of names.
 */

/** Entries per block after a bulk build or a split; a block splits at twice this. */
const BLOCK = 512;

/** A place in the sequence: `offset` within `blocks[block]`, or (block = number of blocks, 0) at the end. */
export interface BlockPosition {
  readonly block: number;
  readonly offset: number;
}

export class SortedBlocks<T> {
  private blocks: T[][] = [];
  private count = 0;

  constructor(private readonly compare: (a: T, b: T) => number) {}

  get size(): number {
    return this.count;
  }

  /**
   * The first position whose entry is not `before` (which must be true for a
   * prefix of the sequence and false after it): a lower bound.
   */
  firstNotBefore(before: (entry: T) => boolean): BlockPosition {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const block = this.blocks[mid] as T[];
      if (before(block[block.length - 1] as T)) lo = mid + 1;
      else hi = mid;
    }
    const block = this.blocks[lo];
    if (block === undefined) return { block: lo, offset: 0 };
    let a = 0;
    let b = block.length;
    while (a < b) {
      const mid = (a + b) >>> 1;
      if (before(block[mid] as T)) a = mid + 1;
      else b = mid;
    }
    return { block: lo, offset: a };
  }

  insert(entry: T): void {
    const last = this.blocks[this.blocks.length - 1];
    if (last === undefined) {
      this.blocks.push([entry]);
      this.count = 1;
      return;
    }
    let { block, offset } = this.firstNotBefore((e) => this.compare(e, entry) < 0);
    if (block === this.blocks.length) {
      block = this.blocks.length - 1;
      offset = last.length;
    }
    const target = this.blocks[block] as T[];
    target.splice(offset, 0, entry);
    this.count++;
    if (target.length >= 2 * BLOCK) this.blocks.splice(block + 1, 0, target.splice(BLOCK));
  }

  /**
   * Removes `entry` (the same reference); false when it is not held. Entries
   * that compare equal to it are stepped over until the reference is found
   * (a bare lower bound found only the first of them: a fast-check run with
   * equal keys caught it).
   */
  remove(entry: T): boolean {
    let { block, offset } = this.firstNotBefore((e) => this.compare(e, entry) < 0);
    for (;;) {
      const candidate = this.blocks[block]?.[offset];
      if (candidate === undefined) {
        if (block >= this.blocks.length) return false;
        block++;
        offset = 0;
        continue;
      }
      if (candidate === entry) break;
      if (this.compare(candidate, entry) !== 0) return false;
      offset++;
    }
    const target = this.blocks[block] as T[];
    target.splice(offset, 1);
    this.count--;
    if (target.length === 0) {
      this.blocks.splice(block, 1);
    } else {
      // Keep blocks from thinning out after many removals: absorb a small next block.
      const next = this.blocks[block + 1];
      if (next !== undefined && target.length + next.length <= BLOCK) {
        target.push(...next);
        this.blocks.splice(block + 1, 1);
      }
    }
    return true;
  }

  /** Replaces the whole sequence with `sorted` (already in order). */
  assign(sorted: readonly T[]): void {
    const blocks: T[][] = [];
    for (let i = 0; i < sorted.length; i += BLOCK) blocks.push(sorted.slice(i, i + BLOCK));
    this.blocks = blocks;
    this.count = sorted.length;
  }

  /** Every entry, in order. */
  toArray(): T[] {
    return this.blocks.flat();
  }

  /**
   * Up to `max` entries from `at` on while `accept` holds; `more` tells
   * whether the entry after the last one returned exists and is accepted.
   */
  take(at: BlockPosition, max: number, accept: (entry: T) => boolean): { entries: T[]; more: boolean } {
    const entries: T[] = [];
    let b = at.block;
    let o = at.offset;
    while (b < this.blocks.length) {
      const block = this.blocks[b] as T[];
      for (; o < block.length; o++) {
        const entry = block[o] as T;
        if (!accept(entry)) return { entries, more: false };
        if (entries.length === max) return { entries, more: true };
        entries.push(entry);
      }
      b++;
      o = 0;
    }
    return { entries, more: false };
  }

  clear(): void {
    this.blocks = [];
    this.count = 0;
  }
}

/**
 * A least-recently-used map with a fixed capacity. Used for coding matrices,
 * whose number of distinct keys (profiles × loss patterns) is unbounded in
 * principle but small in practice.
 */
export class BoundedCache<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('cache capacity must be a positive integer');
  }

  get size(): number {
    return this.entries.size;
  }

  /** The cached value, computing and inserting it on a miss. */
  getOrCreate(key: K, create: () => V): V {
    const hit = this.entries.get(key);
    if (hit !== undefined) {
      // Re-insert so that Map iteration order is least- to most-recently used.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const value = create();
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

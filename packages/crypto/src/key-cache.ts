/**
 * A bounded TTL cache for data keys held by a node (DESIGN section 5: "key
 * TTLs on nodes are absolute from fetch, default 60 s").
 *
 * - The TTL runs from insertion and is never extended by reads: a key fetched
 *   before a shred must stop working on time however busy it is (K5).
 * - The cache owns what it holds: every value is destroyed (zero-filled) when
 *   it expires, is evicted for room, is replaced, deleted or cleared. A caller
 *   that still holds a reference then gets CRYPTO_KEY_DESTROYED: fail closed.
 * - When full, the entry inserted first goes: with one TTL for all entries,
 *   that is also the entry that would expire first.
 * - The clock is injectable so tests control time without sleeping.
 */
import { invalidArgument } from './fail.js';

/** Anything that can wipe itself: KeyMaterial, or an object holding derived keys. */
export interface Destroyable {
  destroy(): void;
}

export interface KeyCacheOptions {
  /** Absolute lifetime of an entry from insertion, in milliseconds. Default 60 000. */
  readonly ttlMs?: number;
  /** Most entries held at once. Default 1 024. */
  readonly maxEntries?: number;
  /** Milliseconds, monotonic enough for TTLs. Default `performance.now`. */
  readonly clock?: () => number;
}

export const DEFAULT_KEY_TTL_MS = 60_000;
export const DEFAULT_KEY_CACHE_ENTRIES = 1024;

interface Entry<V> {
  readonly value: V;
  readonly expiresAt: number;
}

export class KeyCache<K, V extends Destroyable> {
  readonly #entries = new Map<K, Entry<V>>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #clock: () => number;

  constructor(options: KeyCacheOptions = {}) {
    const ttlMs = options.ttlMs ?? DEFAULT_KEY_TTL_MS;
    const maxEntries = options.maxEntries ?? DEFAULT_KEY_CACHE_ENTRIES;
    if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw invalidArgument('ttlMs must be a positive number');
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw invalidArgument('maxEntries must be a positive integer');
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#clock = options.clock ?? (() => performance.now());
  }

  /** The live value, or undefined when absent or expired (an expired value is destroyed here). */
  get(id: K): V | undefined {
    const entry = this.#entries.get(id);
    if (entry === undefined) return undefined;
    if (this.#clock() >= entry.expiresAt) {
      this.#remove(id, entry);
      return undefined;
    }
    return entry.value;
  }

  has(id: K): boolean {
    return this.get(id) !== undefined;
  }

  /**
   * Stores `value` under `id` for the TTL, taking ownership of it. A previous
   * value under the same id is destroyed; when the cache is full the oldest
   * entry is destroyed to make room.
   */
  set(id: K, value: V): void {
    const previous = this.#entries.get(id);
    if (previous !== undefined) {
      this.#entries.delete(id);
      if (previous.value !== value) previous.value.destroy();
    }
    this.sweep();
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.entries().next();
      if (oldest.done === true) break;
      this.#remove(oldest.value[0], oldest.value[1]);
    }
    this.#entries.set(id, { value, expiresAt: this.#clock() + this.#ttlMs });
  }

  /** Removes and destroys the value under `id`. Returns whether there was one. */
  delete(id: K): boolean {
    const entry = this.#entries.get(id);
    if (entry === undefined) return false;
    this.#remove(id, entry);
    return true;
  }

  /** Destroys every value (used on shred, rotation and shutdown). */
  clear(): void {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    for (const entry of entries) entry.value.destroy();
  }

  /**
   * Destroys every expired value now. Entries are in insertion order and share
   * one TTL, so expired ones form a prefix and the walk stops at the first live one.
   */
  sweep(): number {
    const now = this.#clock();
    let removed = 0;
    for (const [id, entry] of this.#entries) {
      if (now < entry.expiresAt) break;
      this.#remove(id, entry);
      removed++;
    }
    return removed;
  }

  /** Entries currently held, including expired ones not yet swept. */
  get size(): number {
    return this.#entries.size;
  }

  #remove(id: K, entry: Entry<V>): void {
    this.#entries.delete(id);
    entry.value.destroy();
  }
}

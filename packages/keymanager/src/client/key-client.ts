/**
 * The node side of the key hierarchy (DESIGN section 5).
 *
 * - System master keys and the dedup key: memory only, kept for the life of
 *   the process (they are not destroyable by a tenant's shred).
 * - TDKs and TIKs: cached with an absolute TTL from fetch (default 60 s,
 *   shortened to whatever the key manager grants), never extended by use,
 *   zero-filled on expiry and on invalidation — and with them every key
 *   derived from them: ChunkKeys built here are destroyed through their
 *   source keys' destroy hooks, and `onTenantKeysDropped` listeners (caches of
 *   decrypted names, delta keys) are told to drop theirs.
 * - Invalidations from the watch stream: a shred or a KEK rotation drops the
 *   tenant's cached keys at once; after a shred the tenant is refused locally.
 * - The key manager unreachable: cached keys keep working until their TTL;
 *   anything uncached fails with KM_UNAVAILABLE (retriable).
 * - Concurrent requests for one key share one fetch. Counters record
 *   requests sent and cache hits (compaction must send none).
 */
import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';
import { ChunkKeys, DEFAULT_KEY_TTL_MS, KeyCache, KeyMaterial } from '@tessera/crypto';
import { kekDestroyed } from '../errors.js';
import type { KmEvent } from '../state/results.js';
import type { FetchedKey, KeyFetcher, KeyWatch } from './types.js';

export interface KeyClientOptions {
  readonly fetcher: KeyFetcher;
  readonly watch?: KeyWatch;
  /** Default 60 000 ms. */
  readonly ttlMs?: number;
  /** Monotonic milliseconds. Default performance.now. */
  readonly clock?: () => number;
  readonly maxEntries?: number;
}

export interface KeyClientStats {
  /** Fetches sent to the key manager. */
  requests: number;
  cacheHits: number;
  cacheMisses: number;
  /** Fetches that failed (unreachable or refused). */
  failures: number;
  /** Tenant key sets dropped by a watch event. */
  invalidations: number;
}

/** A cached TDK or TIK with the expiry the key manager granted (may be shorter than the cache's TTL). */
class Held {
  constructor(
    readonly key: KeyMaterial,
    readonly epoch: number,
    readonly expiresAt: number,
  ) {}
  destroy(): void {
    this.key.destroy();
  }
}

export class KeyClient {
  readonly stats: KeyClientStats = { requests: 0, cacheHits: 0, cacheMisses: 0, failures: 0, invalidations: 0 };
  readonly #fetcher: KeyFetcher;
  readonly #clock: () => number;
  readonly #ttlMs: number;
  readonly #tenantKeys: KeyCache<string, Held>;
  /** cache ids per tenant, to drop a tenant's keys on invalidation. */
  readonly #idsByTenant = new Map<string, Set<string>>();
  readonly #currentEpoch = new Map<string, number>();
  readonly #shredded = new Set<string>();
  readonly #masters = new Map<number, KeyMaterial>();
  #systemEpoch: number | undefined;
  #dedup: KeyMaterial | undefined;
  readonly #chunkKeys = new Map<string, ChunkKeys>();
  readonly #inflight = new Map<string, Promise<FetchedKey>>();
  readonly #dropListeners = new Set<(tenant: string) => void>();
  readonly #unsubscribe: (() => void) | undefined;
  #closed = false;

  constructor(options: KeyClientOptions) {
    this.#fetcher = options.fetcher;
    this.#clock = options.clock ?? (() => performance.now());
    this.#ttlMs = options.ttlMs ?? DEFAULT_KEY_TTL_MS;
    this.#tenantKeys = new KeyCache<string, Held>({ ttlMs: this.#ttlMs, clock: this.#clock, ...(options.maxEntries !== undefined ? { maxEntries: options.maxEntries } : {}) });
    this.#unsubscribe = options.watch?.subscribe((event) => this.#onEvent(event));
  }

  /** master[epoch] (current when omitted), fetched once and kept in memory. */
  async masterKey(epoch?: number): Promise<{ key: KeyMaterial; epoch: number }> {
    const e = epoch ?? this.#systemEpoch;
    const held = e === undefined ? undefined : this.#masters.get(e);
    if (held !== undefined) {
      this.stats.cacheHits++;
      return { key: held, epoch: e! };
    }
    const fetched = await this.#fetch(`master/${e ?? 'current'}`, () => this.#fetcher.masterKey(e));
    const existing = this.#masters.get(fetched.epoch);
    if (existing !== undefined) {
      fetched.key.destroy();
      return { key: existing, epoch: fetched.epoch };
    }
    this.#masters.set(fetched.epoch, fetched.key);
    if (epoch === undefined) this.#systemEpoch = Math.max(this.#systemEpoch ?? 0, fetched.epoch);
    return { key: fetched.key, epoch: fetched.epoch };
  }

  async dedupKey(): Promise<KeyMaterial> {
    if (this.#dedup !== undefined) {
      this.stats.cacheHits++;
      return this.#dedup;
    }
    const fetched = await this.#fetch('dedup', () => this.#fetcher.dedupKey());
    if (this.#dedup !== undefined) fetched.key.destroy();
    else this.#dedup = fetched.key;
    return this.#dedup;
  }

  /**
   * TDK[epoch] of `tenant` (its current epoch when omitted). The key belongs
   * to the cache: use it, never keep it — it is wiped when it expires.
   */
  async tenantDataKey(tenant: string, epoch?: number): Promise<{ key: KeyMaterial; epoch: number }> {
    const e = epoch ?? this.#currentEpoch.get(tenant);
    const held = await this.#tenantKey(tenant, e === undefined ? undefined : `tdk/${tenant}/${e}`, (at) => this.#fetcher.tenantDataKey(tenant, at), e, (fetched) => `tdk/${tenant}/${fetched.epoch}`);
    if (epoch === undefined) this.#currentEpoch.set(tenant, Math.max(this.#currentEpoch.get(tenant) ?? 0, held.epoch));
    return { key: held.key, epoch: held.epoch };
  }

  async tenantIndexKey(tenant: string): Promise<KeyMaterial> {
    const id = `tik/${tenant}`;
    return (await this.#tenantKey(tenant, id, () => this.#fetcher.tenantIndexKey(tenant), undefined, () => id)).key;
  }

  /** Shared-policy chunk keys for a system epoch (no tenant key involved). */
  async sharedChunkKeys(sysEpoch: number): Promise<ChunkKeys> {
    const id = `shared/${sysEpoch}`;
    const cached = this.#chunkKeys.get(id);
    if (cached !== undefined && !cached.destroyed) return cached;
    const { key: master } = await this.masterKey(sysEpoch);
    const keys = ChunkKeys.shared({ sysEpoch, master, dedupKey: await this.dedupKey() });
    this.#chunkKeys.set(id, keys);
    return keys;
  }

  /**
   * Isolated-policy chunk keys for (tenant, sysEpoch, tenEpoch). They are
   * destroyed with the TDK or TIK they derive from (expiry or invalidation).
   */
  async isolatedChunkKeys(tenant: string, sysEpoch: number, tenEpoch: number): Promise<ChunkKeys> {
    const id = `isolated/${tenant}/${sysEpoch}/${tenEpoch}`;
    const cached = this.#chunkKeys.get(id);
    // A cache hit must also find its sources alive: an expired TDK is only noticed on lookup.
    if (cached !== undefined && !cached.destroyed && this.#live(`tdk/${tenant}/${tenEpoch}`) !== undefined && this.#live(`tik/${tenant}`) !== undefined) return cached;
    const { key: master } = await this.masterKey(sysEpoch);
    const { key: tdk } = await this.tenantDataKey(tenant, tenEpoch);
    const tik = await this.tenantIndexKey(tenant);
    const keys = ChunkKeys.isolated({ sysEpoch, master, tenant, tenEpoch, tdk, tik });
    this.#chunkKeys.set(id, keys);
    const forget = (): void => {
      if (this.#chunkKeys.get(id) === keys) this.#chunkKeys.delete(id);
    };
    tdk.onDestroy(forget);
    tik.onDestroy(forget);
    return keys;
  }

  /** Called with the tenant whenever its TDK/TIK set is dropped (so derived caches drop theirs). */
  onTenantKeysDropped(listener: (tenant: string) => void): () => void {
    this.#dropListeners.add(listener);
    return () => this.#dropListeners.delete(listener);
  }

  /** Wipes the tenant's cached keys and everything derived from them. */
  dropTenant(tenant: string): void {
    const ids = this.#idsByTenant.get(tenant);
    this.#idsByTenant.delete(tenant);
    for (const id of ids ?? []) this.#tenantKeys.delete(id);
    this.#currentEpoch.delete(tenant);
    for (const listener of this.#dropListeners) {
      try {
        listener(tenant);
      } catch {
        // A listener's failure must not keep keys alive elsewhere.
      }
    }
  }

  /** Wipes every key (shutdown). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unsubscribe?.();
    this.#tenantKeys.clear();
    this.#idsByTenant.clear();
    for (const keys of this.#chunkKeys.values()) keys.destroy();
    this.#chunkKeys.clear();
    for (const key of this.#masters.values()) key.destroy();
    this.#masters.clear();
    this.#dedup?.destroy();
    this.#dedup = undefined;
  }

  // ---------------------------------------------------------------- internals

  #onEvent(event: KmEvent): void {
    switch (event.kind) {
      case 'tenant-shredded':
        this.#shredded.add(event.tenant);
        this.stats.invalidations++;
        this.dropTenant(event.tenant);
        return;
      case 'kek-rotated':
        // The TDKs are the same bytes under a new KEK, but a rotation is a response to suspicion: drop them.
        this.stats.invalidations++;
        this.dropTenant(event.tenant);
        return;
      case 'tenant-epoch':
        this.#currentEpoch.set(event.tenant, Math.max(this.#currentEpoch.get(event.tenant) ?? 0, event.epoch));
        return;
      case 'system-epoch':
        this.#systemEpoch = Math.max(this.#systemEpoch ?? 0, event.epoch);
        return;
      default:
        return;
    }
  }

  async #tenantKey(
    tenant: string,
    knownId: string | undefined,
    fetch: (epoch: number | undefined) => Promise<FetchedKey>,
    epoch: number | undefined,
    idOf: (fetched: FetchedKey) => string,
  ): Promise<Held> {
    this.#assertOpen();
    if (this.#shredded.has(tenant)) throw kekDestroyed();
    if (knownId !== undefined) {
      const held = this.#live(knownId);
      if (held !== undefined) {
        this.stats.cacheHits++;
        return held;
      }
    }
    const fetched = await this.#fetch(knownId ?? `${tenant}/current`, () => fetch(epoch));
    const id = idOf(fetched);
    // A shred that arrived while we were fetching wins: never cache a key of a shredded tenant.
    if (this.#shredded.has(tenant)) {
      fetched.key.destroy();
      throw kekDestroyed();
    }
    const existing = this.#live(id);
    if (existing !== undefined) {
      fetched.key.destroy();
      return existing;
    }
    const held = new Held(fetched.key, fetched.epoch, this.#clock() + Math.min(this.#ttlMs, Math.max(0, fetched.ttlMs)));
    this.#tenantKeys.set(id, held);
    let ids = this.#idsByTenant.get(tenant);
    if (ids === undefined) {
      ids = new Set();
      this.#idsByTenant.set(tenant, ids);
    }
    ids.add(id);
    return held;
  }

  /** A cached key still within both the cache TTL and the TTL the key manager granted. */
  #live(id: string): Held | undefined {
    const held = this.#tenantKeys.get(id);
    if (held === undefined) return undefined;
    if (this.#clock() >= held.expiresAt) {
      this.#tenantKeys.delete(id);
      return undefined;
    }
    return held;
  }

  async #fetch(id: string, fetch: () => Promise<FetchedKey>): Promise<FetchedKey> {
    this.#assertOpen();
    this.stats.cacheMisses++;
    const inflight = this.#inflight.get(id);
    if (inflight !== undefined) return inflight.then((f) => ({ ...f, key: copyOf(f.key) }));
    this.stats.requests++;
    const started = fetch().then(
      (fetched) => fetched,
      (err: unknown) => {
        this.stats.failures++;
        throw unreachableOr(err);
      },
    );
    this.#inflight.set(id, started);
    try {
      return await started;
    } finally {
      this.#inflight.delete(id);
    }
  }

  #assertOpen(): void {
    if (this.#closed) throw new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'the key client is closed');
  }
}

/** Waiters on a shared fetch each get their own copy, so one wiping its key never wipes another's. */
function copyOf(key: KeyMaterial): KeyMaterial {
  return KeyMaterial.fromBytes(key.expose());
}

/** Refusals pass through (they will not change on retry); everything else means "unreachable". */
function unreachableOr(err: unknown): TesseraError {
  if (isTesseraError(err) && !err.retriable && err.code !== ErrorCodes.INTERNAL) return err;
  return new TesseraError(ErrorCodes.KM_UNAVAILABLE, 'the key manager is unreachable; keys not cached on this node cannot be used until it is back', {
    cause: err,
    retriable: true,
  });
}

/**
 * What a node's KeyClient needs from the key manager, transport-agnostic:
 * a fetcher (the gRPC Keys client later; an in-process adapter over
 * `KeyService` now) and a watch stream of invalidations.
 */
import type { KeyMaterial } from '@tessera/crypto';
import type { KmEvent } from '../state/results.js';

export interface FetchedKey {
  /** Ownership passes to the client, which wipes it on expiry or invalidation. */
  readonly key: KeyMaterial;
  /** Absolute lifetime the key manager grants, from now. */
  readonly ttlMs: number;
  readonly epoch: number;
}

export interface KeyFetcher {
  masterKey(epoch?: number): Promise<FetchedKey>;
  dedupKey(): Promise<FetchedKey>;
  tenantDataKey(tenant: string, epoch?: number): Promise<FetchedKey>;
  tenantIndexKey(tenant: string): Promise<FetchedKey>;
}

/** Invalidations (shred, rotation) arrive as key-manager watch events. */
export interface KeyWatch {
  subscribe(listener: (event: KmEvent) => void): () => void;
}

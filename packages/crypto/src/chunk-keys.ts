/**
 * ChunkKeys: the keys a node needs to compute chunk ids and to seal and open
 * chunk envelopes for one (policy, system epoch[, tenant, tenant epoch]).
 *
 * It performs the HKDF-Extract half of the DEK derivation once, when built,
 * and keeps the PRK (prepared for HMAC, see PrkExpander); each chunk then
 * costs one HKDF-Expand block instead of a full HKDF. That is the same DEK as
 * DESIGN section 5's formula, checked against an independent HKDF in the tests.
 *
 * Lifetime: the PRK and the isolated chunk-id key are derived from master,
 * TDK and TIK, so they must not outlive them (DESIGN section 5: every key
 * derived from a TDK or TIK is dropped with it). ChunkKeys registers on each
 * source key and destroys itself when any of them is destroyed; `destroy()`
 * also releases those registrations. The source keys stay owned by the caller.
 */
import { ErrorCodes, SECRET_BRAND } from '@tessera/common';
import type { ChunkId, SecretBranded } from '@tessera/common';
import { inspect } from 'node:util';
import { zeroize } from './bytes.js';
import {
  checkChunkId,
  checkEpoch,
  checkTenant,
  chunkIdWithKey,
  deriveChunkIdKey,
  extractIsolatedPrk,
  extractPrk,
  isolatedChunkDekInfoPrefix,
  sharedChunkDekInfoPrefix,
} from './derive.js';
import { cryptoError } from './fail.js';
import type { KeyMaterial } from './keys.js';
import { PrkExpander } from './prk-expander.js';

export type ChunkPolicy = 'shared' | 'isolated';

export interface SharedChunkKeysInput {
  readonly sysEpoch: number;
  /** master[sysEpoch] */
  readonly master: KeyMaterial;
  /** The cluster dedup key: chunk id = HMAC-SHA256(dedupKey, plaintext). */
  readonly dedupKey: KeyMaterial;
}

export interface IsolatedChunkKeysInput {
  readonly sysEpoch: number;
  /** master[sysEpoch] */
  readonly master: KeyMaterial;
  readonly tenant: string;
  readonly tenEpoch: number;
  /** TDK[tenEpoch] */
  readonly tdk: KeyMaterial;
  /** The tenant index key: chunk id = HMAC-SHA256(HKDF(TIK, "tessera/v1/chunk-id"), plaintext). */
  readonly tik: KeyMaterial;
}

const REDACTED_VIEW = 'ChunkKeys([redacted])';

export class ChunkKeys implements SecretBranded {
  readonly [SECRET_BRAND] = true as const;
  readonly policy: ChunkPolicy;
  readonly sysEpoch: number;
  /** 0 for the shared policy. */
  readonly tenEpoch: number;
  /** Empty for the shared policy. */
  readonly tenant: string;
  readonly #expander: PrkExpander;
  readonly #idKey: KeyMaterial;
  readonly #ownedIdKey: boolean;
  readonly #releases: Array<() => void> = [];
  /** DEK info prefixes by algorithm id (public values, no secret). */
  readonly #infoPrefixes = new Map<number, Buffer>();
  #destroyed = false;

  private constructor(policy: ChunkPolicy, sysEpoch: number, tenEpoch: number, tenant: string, expander: PrkExpander, idKey: KeyMaterial, ownedIdKey: boolean, sources: readonly KeyMaterial[]) {
    this.policy = policy;
    this.sysEpoch = sysEpoch;
    this.tenEpoch = tenEpoch;
    this.tenant = tenant;
    this.#expander = expander;
    this.#idKey = idKey;
    this.#ownedIdKey = ownedIdKey;
    for (const source of sources) this.#releases.push(source.onDestroy(() => this.destroy()));
  }

  static shared(input: SharedChunkKeysInput): ChunkKeys {
    checkEpoch(input.sysEpoch);
    input.dedupKey.assertAlive();
    const expander = adoptPrk(extractPrk(input.master.expose()));
    return new ChunkKeys('shared', input.sysEpoch, 0, '', expander, input.dedupKey, false, [input.master, input.dedupKey]);
  }

  static isolated(input: IsolatedChunkKeysInput): ChunkKeys {
    checkEpoch(input.sysEpoch);
    checkEpoch(input.tenEpoch);
    checkTenant(input.tenant);
    const expander = adoptPrk(extractIsolatedPrk(input.master, input.tdk));
    const idKey = deriveChunkIdKey(input.tik);
    return new ChunkKeys('isolated', input.sysEpoch, input.tenEpoch, input.tenant, expander, idKey, true, [input.master, input.tdk, input.tik]);
  }

  get destroyed(): boolean {
    return this.#destroyed;
  }

  assertAlive(): void {
    if (this.#destroyed) throw cryptoError(ErrorCodes.CRYPTO_KEY_DESTROYED, 'key has been destroyed');
  }

  /** The chunk id of `plaintext` under this key set's policy. */
  chunkIdOf(plaintext: Uint8Array): ChunkId {
    this.assertAlive();
    return chunkIdWithKey(this.#idKey, plaintext);
  }

  /**
   * The chunk DEK info for `alg` minus the trailing chunk id: the bytes DESIGN
   * section 5 specifies for the policy, encoded once per algorithm.
   */
  dekInfoPrefix(alg: number): Buffer {
    let prefix = this.#infoPrefixes.get(alg);
    if (prefix === undefined) {
      prefix =
        this.policy === 'shared'
          ? sharedChunkDekInfoPrefix(alg, this.sysEpoch)
          : isolatedChunkDekInfoPrefix(alg, this.sysEpoch, this.tenEpoch, this.tenant);
      this.#infoPrefixes.set(alg, prefix);
    }
    return prefix;
  }

  /** Runs `use` with the chunk DEK in a temporary buffer that is zeroed afterwards. */
  withDek<T>(alg: number, chunkId: Uint8Array, use: (dek: Buffer) => T): T {
    this.assertAlive();
    checkChunkId(chunkId);
    const dek = this.#expander.expand(this.dekInfoPrefix(alg), chunkId);
    try {
      return use(dek);
    } finally {
      zeroize(dek);
    }
  }

  /** Zero-fills the derived keys and detaches from the source keys. Idempotent. */
  destroy(): void {
    if (this.#destroyed) return;
    this.#destroyed = true;
    for (const release of this.#releases.splice(0)) release();
    this.#expander.destroy();
    if (this.#ownedIdKey) this.#idKey.destroy();
  }

  toString(): string {
    return REDACTED_VIEW;
  }

  toJSON(): string {
    return REDACTED_VIEW;
  }

  [inspect.custom](): string {
    return REDACTED_VIEW;
  }
}

function adoptPrk(prk: Buffer): PrkExpander {
  try {
    return new PrkExpander(prk);
  } finally {
    zeroize(prk);
  }
}

/**
 * Key sets on their way to a job.
 *
 * A worker thread cannot share KeyMaterial objects, so each job carries the
 * raw key bytes it needs, packed into one small buffer that is transferred
 * (moved, not copied) to the worker. The worker copies them into fresh
 * KeyMaterial, zero-fills the transferred buffer at once, builds the
 * ChunkKeys, and destroys all of it when the job ends. The bytes never appear
 * in a message, a log line or an error.
 */
import { ErrorCodes, SECRET_BRAND, TesseraError } from '@tessera/common';
import { ChunkKeys, KEY_BYTES, KeyMaterial, zeroize } from '@tessera/crypto';
import type { ChunkKeySet } from './types.js';

/**
 * A key set as posted to a worker: public fields plus the packed key bytes.
 * Branded secret on this thread so the shared logger redacts it (structured
 * clone drops symbol keys, so the worker's copy has no brand; it is never logged there).
 */
export interface JobKeys {
  readonly [SECRET_BRAND]?: true;
  readonly policy: 'shared' | 'isolated';
  readonly sysEpoch: number;
  /** Empty for the shared policy. */
  readonly tenant: string;
  /** 0 for the shared policy. */
  readonly tenEpoch: number;
  /** master ‖ dedupKey (shared) or master ‖ tdk ‖ tik (isolated), KEY_BYTES each, alone in its ArrayBuffer. */
  readonly secret: Uint8Array;
}

/** ChunkKeys for one job plus the way to wipe everything built for it. */
export interface JobChunkKeys {
  readonly keys: ChunkKeys;
  /** Destroys the ChunkKeys and any key material made for the job (idempotent). */
  readonly destroy: () => void;
}

function badKeySet(): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, "key set policy must be 'shared' or 'isolated'");
}

/** Packs the key bytes of `set` for a worker (throws CRYPTO_KEY_DESTROYED if any key was destroyed). */
export function packJobKeys(set: ChunkKeySet): JobKeys {
  const sources =
    set.policy === 'shared' ? [set.master, set.dedupKey] : set.policy === 'isolated' ? [set.master, set.tdk, set.tik] : undefined;
  if (sources === undefined) throw badKeySet();
  // A fresh ArrayBuffer holding only these bytes: transferring it moves exactly them, and the worker zeroes it.
  const secret = new Uint8Array(new ArrayBuffer(sources.length * KEY_BYTES));
  try {
    sources.forEach((key, i) => secret.set(key.expose(), i * KEY_BYTES));
  } catch (error) {
    zeroize(secret);
    throw error;
  }
  return set.policy === 'shared'
    ? { [SECRET_BRAND]: true, policy: 'shared', sysEpoch: set.sysEpoch, tenant: '', tenEpoch: 0, secret }
    : { [SECRET_BRAND]: true, policy: 'isolated', sysEpoch: set.sysEpoch, tenant: set.tenant, tenEpoch: set.tenEpoch, secret };
}

/** Worker side: rebuilds the ChunkKeys from packed bytes and zero-fills the packed copy. */
export function unpackJobKeys(job: JobKeys): JobChunkKeys {
  const expected = job.policy === 'shared' ? 2 : job.policy === 'isolated' ? 3 : undefined;
  const materials: KeyMaterial[] = [];
  try {
    if (expected === undefined) throw badKeySet();
    if (!(job.secret instanceof Uint8Array) || job.secret.byteLength !== expected * KEY_BYTES) {
      throw new TesseraError(ErrorCodes.CRYPTO_BAD_KEY, 'key set has the wrong number of key bytes');
    }
    for (let i = 0; i < expected; i++) materials.push(KeyMaterial.fromBytes(job.secret.subarray(i * KEY_BYTES, (i + 1) * KEY_BYTES)));
  } catch (error) {
    for (const material of materials) material.destroy();
    throw error;
  } finally {
    if (job.secret instanceof Uint8Array) zeroize(job.secret);
  }
  const destroyMaterials = (): void => {
    for (const material of materials) material.destroy();
  };
  const [master, second, third] = materials as [KeyMaterial, KeyMaterial, KeyMaterial | undefined];
  try {
    const keys =
      job.policy === 'shared' || third === undefined
        ? ChunkKeys.shared({ sysEpoch: job.sysEpoch, master, dedupKey: second })
        : ChunkKeys.isolated({ sysEpoch: job.sysEpoch, master, tenant: job.tenant, tenEpoch: job.tenEpoch, tdk: second, tik: third });
    return {
      keys,
      destroy: () => {
        keys.destroy();
        destroyMaterials();
      },
    };
  } catch (error) {
    destroyMaterials();
    throw error;
  }
}

/** Inline mode: ChunkKeys straight from the caller's key material (which the caller keeps owning). */
export function chunkKeysFor(set: ChunkKeySet): JobChunkKeys {
  let keys: ChunkKeys;
  if (set.policy === 'shared') keys = ChunkKeys.shared({ sysEpoch: set.sysEpoch, master: set.master, dedupKey: set.dedupKey });
  else if (set.policy === 'isolated') {
    keys = ChunkKeys.isolated({ sysEpoch: set.sysEpoch, master: set.master, tenant: set.tenant, tenEpoch: set.tenEpoch, tdk: set.tdk, tik: set.tik });
  } else throw badKeySet();
  return { keys, destroy: () => keys.destroy() };
}

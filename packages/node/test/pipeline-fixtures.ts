/** Key sets, plaintexts and assertions shared by the pipeline tests. */
import { randomBytes } from 'node:crypto';
import { TesseraError } from '@tessera/common';
import type { ErrorCode } from '@tessera/common';
import { ChunkKeys, KeyMaterial } from '@tessera/crypto';
import { expect } from 'vitest';
import type { ChunkKeySet } from '../src/data/pipeline/index.js';

export interface Keys {
  readonly master: KeyMaterial;
  readonly dedupKey: KeyMaterial;
  readonly tdk: KeyMaterial;
  readonly tik: KeyMaterial;
}

export function generateKeys(): Keys {
  return { master: KeyMaterial.generate(), dedupKey: KeyMaterial.generate(), tdk: KeyMaterial.generate(), tik: KeyMaterial.generate() };
}

export function sharedSet(keys: Keys, sysEpoch = 1): ChunkKeySet {
  return { policy: 'shared', sysEpoch, master: keys.master, dedupKey: keys.dedupKey };
}

export function isolatedSet(keys: Keys, tenant = 'acme', tenEpoch = 3, sysEpoch = 1): ChunkKeySet {
  return { policy: 'isolated', sysEpoch, master: keys.master, tenant, tenEpoch, tdk: keys.tdk, tik: keys.tik };
}

/** The reference ChunkKeys for a set, built directly with @tessera/crypto. */
export function referenceChunkKeys(set: ChunkKeySet): ChunkKeys {
  return set.policy === 'shared'
    ? ChunkKeys.shared({ sysEpoch: set.sysEpoch, master: set.master, dedupKey: set.dedupKey })
    : ChunkKeys.isolated({ sysEpoch: set.sysEpoch, master: set.master, tenant: set.tenant, tenEpoch: set.tenEpoch, tdk: set.tdk, tik: set.tik });
}

export function plaintextOf(size: number): Buffer {
  return randomBytes(size);
}

/** Every hex rendering of the key bytes, to check none leaks into an error. */
export function keyHexes(keys: Keys): string[] {
  return [keys.master, keys.dedupKey, keys.tdk, keys.tik].map((key) => key.expose().toString('hex'));
}

/** Awaits `promise`, expecting a TesseraError with `code` (and no secret in its message). */
export async function expectTesseraError(promise: Promise<unknown>, code: ErrorCode, secrets: readonly string[] = []): Promise<TesseraError> {
  let outcome: unknown;
  try {
    outcome = await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(TesseraError);
    const typed = error as TesseraError;
    expect(typed.code).toBe(code);
    for (const secret of secrets) expect(typed.message).not.toContain(secret);
    return typed;
  }
  throw new Error(`expected ${code}, got a result of ${typeof outcome}`);
}

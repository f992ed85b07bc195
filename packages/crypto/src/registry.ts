/**
 * The registry of envelope algorithm ids (crypto-agility). An envelope names
 * its AEAD by a u16 id that is also bound into the chunk DEK derivation, so a
 * new algorithm can be introduced for new writes while old envelopes keep
 * opening with the algorithm they name.
 *
 * Ids are permanent: an id is never re-assigned, and registering an id twice
 * is refused (a second registration could silently change how existing data
 * is read).
 */
import { ErrorCodes } from '@tessera/common';
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, AES_256_GCM } from './aead.js';
import type { AeadAlgorithm } from './aead.js';
import { cryptoError, invalidArgument } from './fail.js';
import { KEY_BYTES } from './keys.js';

/** Algorithm ids assigned so far. 0 is never valid. */
export const AeadIds = {
  AES_256_GCM: 1,
  /** Reserved for ChaCha20-Poly1305; not registered by default. */
  CHACHA20_POLY1305: 2,
} as const;

const registry = new Map<number, AeadAlgorithm>([[AeadIds.AES_256_GCM, AES_256_GCM]]);

/** Adds an algorithm under a new id. Envelope v1 requires a 32-byte key, 12-byte nonce and 16-byte tag. */
export function registerAead(id: number, impl: AeadAlgorithm): void {
  if (!Number.isInteger(id) || id < 1 || id > 0xffff) throw invalidArgument('algorithm id must be an integer in 1..65535');
  if (registry.has(id)) throw invalidArgument('algorithm id is already registered');
  if (impl.keyLength !== KEY_BYTES || impl.nonceLength !== AEAD_NONCE_BYTES || impl.tagLength !== AEAD_TAG_BYTES) {
    throw invalidArgument('envelope v1 algorithms use a 32-byte key, 12-byte nonce and 16-byte tag');
  }
  registry.set(id, impl);
}

/** The algorithm registered under `id`; CRYPTO_UNKNOWN_ALGORITHM otherwise. */
export function getAead(id: number): AeadAlgorithm {
  const impl = registry.get(id);
  if (impl === undefined) throw cryptoError(ErrorCodes.CRYPTO_UNKNOWN_ALGORITHM, 'unknown algorithm id');
  return impl;
}

export function isAeadRegistered(id: number): boolean {
  return registry.has(id);
}

/**
 * HMAC-SHA256 through node:crypto, and its constant-time verification.
 */
import { createHmac } from 'node:crypto';
import { asBuffer } from './bytes.js';
import { constantTimeEqual } from './compare.js';
import { invalidArgument } from './fail.js';
import { KeyMaterial } from './keys.js';

export const HMAC_SHA256_BYTES = 32;
/** Shortest tag `verifyHmac` accepts (128 bits, as in the Wycheproof truncated-tag groups). */
export const HMAC_MIN_TAG_BYTES = 16;

function rawKey(key: KeyMaterial | Uint8Array): Buffer {
  return asBuffer(key instanceof KeyMaterial ? key.expose() : key);
}

/** HMAC-SHA256(key, message). Raw keys may have any length (HMAC hashes long keys). */
export function hmacSha256(key: KeyMaterial | Uint8Array, message: Uint8Array): Buffer {
  return createHmac('sha256', rawKey(key)).update(asBuffer(message)).digest();
}

/**
 * Verifies `tag` against HMAC-SHA256(key, message) truncated to `tagLength`
 * bytes (default: the full 32), in constant time. A tag of any other length
 * does not verify.
 */
export function verifyHmac(key: KeyMaterial | Uint8Array, message: Uint8Array, tag: Uint8Array, tagLength: number = HMAC_SHA256_BYTES): boolean {
  if (!Number.isInteger(tagLength) || tagLength < HMAC_MIN_TAG_BYTES || tagLength > HMAC_SHA256_BYTES) {
    throw invalidArgument(`tagLength must be ${HMAC_MIN_TAG_BYTES}..${HMAC_SHA256_BYTES} bytes`);
  }
  if (tag.byteLength !== tagLength) return false;
  const expected = hmacSha256(key, message).subarray(0, tagLength);
  return constantTimeEqual(expected, tag);
}

/**
 * HKDF-SHA256 (RFC 5869) built on node:crypto HMAC, with extract and expand
 * exposed separately (RFC 5869 test cases check the PRK too). Chunk keys
 * extract once per key set and expand once per chunk: see PrkExpander.
 */
import { createHmac } from 'node:crypto';
import { asBuffer, zeroize } from './bytes.js';
import { invalidArgument } from './fail.js';

const HASH_BYTES = 32;
/** RFC 5869: L <= 255 * HashLen. */
export const HKDF_MAX_OUTPUT_BYTES = 255 * HASH_BYTES;

const ZERO_SALT = Buffer.alloc(HASH_BYTES);

/** PRK = HMAC-SHA256(salt, ikm); an empty salt means HashLen zero bytes (RFC 5869 section 2.2). */
export function hkdfExtract(salt: Uint8Array, ikm: Uint8Array): Buffer {
  const key = salt.byteLength === 0 ? ZERO_SALT : asBuffer(salt);
  return createHmac('sha256', key).update(asBuffer(ikm)).digest();
}

/** OKM = T(1) ‖ T(2) ‖ … truncated to `length` bytes, T(i) = HMAC(PRK, T(i-1) ‖ info ‖ i). */
export function hkdfExpand(prk: Uint8Array, info: Uint8Array, length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > HKDF_MAX_OUTPUT_BYTES) {
    throw invalidArgument(`HKDF output length must be 0..${HKDF_MAX_OUTPUT_BYTES} bytes`);
  }
  const key = asBuffer(prk);
  const infoBuf = asBuffer(info);
  const okm = Buffer.alloc(length);
  const counter = Buffer.alloc(1);
  let previous: Buffer | undefined;
  for (let offset = 0, i = 1; offset < length; offset += HASH_BYTES, i++) {
    counter[0] = i;
    const mac = createHmac('sha256', key);
    if (previous !== undefined) mac.update(previous);
    const block = mac.update(infoBuf).update(counter).digest();
    zeroize(previous);
    block.copy(okm, offset, 0, Math.min(HASH_BYTES, length - offset));
    previous = block;
  }
  zeroize(previous);
  return okm;
}

/** HKDF-SHA256(ikm, salt, info, length) = Expand(Extract(salt, ikm), info, length). */
export function hkdfSha256(ikm: Uint8Array, salt: Uint8Array, info: Uint8Array, length: number): Buffer {
  if (!Number.isInteger(length) || length < 0 || length > HKDF_MAX_OUTPUT_BYTES) {
    throw invalidArgument(`HKDF output length must be 0..${HKDF_MAX_OUTPUT_BYTES} bytes`);
  }
  const prk = hkdfExtract(salt, ikm);
  try {
    return hkdfExpand(prk, info, length);
  } finally {
    zeroize(prk);
  }
}

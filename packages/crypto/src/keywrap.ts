/**
 * AES key wrap primitives from @noble/ciphers: KWP (RFC 5649, used for every
 * wrapped key in Tessera) and KW (RFC 3394, kept only as a vector-checked
 * primitive). Lengths are checked here before the primitive runs: an empty or
 * misaligned input must fail, not produce an empty key (node:crypto's
 * `id-aesNNN-wrap` unwraps an empty ciphertext to an empty key without error).
 *
 * Every failure is CRYPTO_WRAP_FAILED or CRYPTO_UNWRAP_FAILED with a fixed
 * message; the library's own error stays in `cause` for local diagnosis.
 */
import { aeskw, aeskwp } from '@noble/ciphers/aes.js';
import { ErrorCodes } from '@tessera/common';
import type { TesseraError } from '@tessera/common';
import { zeroize } from './bytes.js';
import { cryptoError } from './fail.js';

const SEMIBLOCK = 8;
/** Keys and wrapped-key contexts are small; refusing large inputs bounds work on hostile blobs. */
export const KEYWRAP_MAX_INPUT_BYTES = 4096;

function wrapFailed(cause?: unknown): TesseraError {
  return cryptoError(ErrorCodes.CRYPTO_WRAP_FAILED, 'key wrap failed', cause);
}

function unwrapFailed(cause?: unknown): TesseraError {
  return cryptoError(ErrorCodes.CRYPTO_UNWRAP_FAILED, 'key unwrap failed', cause);
}

function checkKek(kek: Uint8Array, onError: () => TesseraError): void {
  if (kek.byteLength !== 16 && kek.byteLength !== 24 && kek.byteLength !== 32) throw onError();
}

/** Copies the library's output into a Buffer of its own and wipes the original. */
function adopt(bytes: Uint8Array): Buffer {
  const out = Buffer.from(bytes);
  zeroize(bytes);
  return out;
}

/** AES-KWP wrap: any 1..4096-byte input under a 16/24/32-byte KEK. */
export function aesKwpWrap(kek: Uint8Array, plaintext: Uint8Array): Buffer {
  checkKek(kek, wrapFailed);
  if (plaintext.byteLength < 1 || plaintext.byteLength > KEYWRAP_MAX_INPUT_BYTES) throw wrapFailed();
  try {
    return Buffer.from(aeskwp(kek).encrypt(plaintext));
  } catch (cause) {
    throw wrapFailed(cause);
  }
}

/** AES-KWP unwrap: the ciphertext is at least two semiblocks and a whole number of them. */
export function aesKwpUnwrap(kek: Uint8Array, wrapped: Uint8Array): Buffer {
  checkKek(kek, unwrapFailed);
  const n = wrapped.byteLength;
  if (n < 2 * SEMIBLOCK || n % SEMIBLOCK !== 0 || n > KEYWRAP_MAX_INPUT_BYTES + 2 * SEMIBLOCK) throw unwrapFailed();
  let out: Uint8Array;
  try {
    out = aeskwp(kek).decrypt(wrapped);
  } catch (cause) {
    throw unwrapFailed(cause);
  }
  return adopt(out);
}

/** AES-KW wrap: the input is at least two semiblocks and a whole number of them (RFC 3394). */
export function aesKwWrap(kek: Uint8Array, plaintext: Uint8Array): Buffer {
  checkKek(kek, wrapFailed);
  const n = plaintext.byteLength;
  if (n < 2 * SEMIBLOCK || n % SEMIBLOCK !== 0 || n > KEYWRAP_MAX_INPUT_BYTES) throw wrapFailed();
  try {
    return Buffer.from(aeskw(kek).encrypt(plaintext));
  } catch (cause) {
    throw wrapFailed(cause);
  }
}

/** AES-KW unwrap: the ciphertext is at least three semiblocks and a whole number of them. */
export function aesKwUnwrap(kek: Uint8Array, wrapped: Uint8Array): Buffer {
  checkKek(kek, unwrapFailed);
  const n = wrapped.byteLength;
  if (n < 3 * SEMIBLOCK || n % SEMIBLOCK !== 0 || n > KEYWRAP_MAX_INPUT_BYTES + SEMIBLOCK) throw unwrapFailed();
  let out: Uint8Array;
  try {
    out = aeskw(kek).decrypt(wrapped);
  } catch (cause) {
    throw unwrapFailed(cause);
  }
  return adopt(out);
}

/**
 * Context-bound key wrapping (DESIGN section 5): a wrapped key covers
 * (purpose ‖ tenant ‖ epoch ‖ kekVersion ‖ key) under AES-KWP, and unwrapping
 * names the context it expects and checks every field. A TIK blob therefore
 * cannot be presented as a TDK, an epoch-3 key as epoch 4, or one tenant's key
 * as another's: each fails closed with CRYPTO_UNWRAP_FAILED, as does a wrong
 * KEK or any damaged blob.
 *
 * Wrapped plaintext (canonical, big-endian):
 *
 *   u8  format            = 1
 *   u8  purpose length    ‖ purpose (ASCII)
 *   u8  tenant length     ‖ tenant  (ASCII; empty for system keys)
 *   u64 epoch
 *   u32 kekVersion
 *   32  key
 *
 * KWP has no associated data, so the context travels inside the wrapped
 * plaintext. Because KWP is a keyed permutation over the whole input, a wrong
 * KEK or a modified blob scrambles all of it, and the context fields add their
 * own redundancy on top of KWP's 32-bit integrity check.
 */
import { BinaryReader, BinaryWriter, ErrorCodes, isTesseraError, isValidTenantId } from '@tessera/common';
import type { TesseraError } from '@tessera/common';
import { zeroize } from './bytes.js';
import { cryptoError } from './fail.js';
import { KEY_BYTES, KeyMaterial } from './keys.js';
import { aesKwpUnwrap, aesKwpWrap } from './keywrap.js';

export const WRAP_FORMAT_VERSION = 1;

/** What a wrapped key is for. System keys name no tenant; tenant keys must. */
export const WrapPurposes = {
  SYSTEM_MASTER: 'system-master',
  DEDUP: 'dedup',
  TDK: 'tdk',
  TIK: 'tik',
} as const;

export type WrapPurpose = (typeof WrapPurposes)[keyof typeof WrapPurposes];

const TENANT_PURPOSES: ReadonlySet<string> = new Set([WrapPurposes.TDK, WrapPurposes.TIK]);
const ALL_PURPOSES: ReadonlySet<string> = new Set(Object.values(WrapPurposes));
const MAX_KEK_VERSION = 0xffff_ffff;

export interface WrapContext {
  readonly purpose: WrapPurpose;
  /** The tenant for 'tdk' and 'tik'; absent (or empty) for 'system-master' and 'dedup'. */
  readonly tenant?: string;
  /** System or tenant epoch of the key (0 for keys that are never rotated, such as the dedup key). */
  readonly epoch: number;
  /** Version of the KEK (or root key) that wraps it. */
  readonly kekVersion: number;
}

function contextError(code: typeof ErrorCodes.CRYPTO_WRAP_FAILED | typeof ErrorCodes.CRYPTO_UNWRAP_FAILED, message: string): TesseraError {
  return cryptoError(code, message);
}

/** Encodes the context fields; no secret passes through BinaryWriter (its scratch buffer is never wiped). */
function encodeContext(context: WrapContext, code: typeof ErrorCodes.CRYPTO_WRAP_FAILED | typeof ErrorCodes.CRYPTO_UNWRAP_FAILED): Buffer {
  if (!ALL_PURPOSES.has(context.purpose)) throw contextError(code, 'unknown key purpose');
  const tenant = context.tenant ?? '';
  if (TENANT_PURPOSES.has(context.purpose)) {
    if (!isValidTenantId(tenant)) throw contextError(code, 'tenant keys need a valid tenant id');
  } else if (tenant !== '') {
    throw contextError(code, 'system keys name no tenant');
  }
  if (!Number.isSafeInteger(context.epoch) || context.epoch < 0) throw contextError(code, 'epoch must be a non-negative safe integer');
  if (!Number.isInteger(context.kekVersion) || context.kekVersion < 0 || context.kekVersion > MAX_KEK_VERSION) {
    throw contextError(code, 'kekVersion must be a u32');
  }
  return new BinaryWriter(64)
    .u8(WRAP_FORMAT_VERSION)
    .string(context.purpose, 1)
    .string(tenant, 1)
    .u64(context.epoch)
    .u32(context.kekVersion)
    .finish();
}

/** Wraps `key` under `kek`, bound to `context`. */
export function wrapKey(kek: KeyMaterial, key: KeyMaterial, context: WrapContext): Buffer {
  const prefix = encodeContext(context, ErrorCodes.CRYPTO_WRAP_FAILED);
  const plaintext = Buffer.alloc(prefix.length + KEY_BYTES);
  try {
    prefix.copy(plaintext, 0);
    plaintext.set(key.expose(), prefix.length);
    return aesKwpWrap(kek.expose(), plaintext);
  } finally {
    zeroize(plaintext);
  }
}

/**
 * Unwraps a blob made by `wrapKey` and returns the key only if every context
 * field equals `expected`. Any failure is CRYPTO_UNWRAP_FAILED with one fixed
 * message, so a caller learns nothing about which check failed.
 */
export function unwrapKey(kek: KeyMaterial, wrapped: Uint8Array, expected: WrapContext): KeyMaterial {
  const expectedPrefix = encodeContext(expected, ErrorCodes.CRYPTO_UNWRAP_FAILED);
  const plaintext = aesKwpUnwrap(kek.expose(), wrapped);
  try {
    if (plaintext.length !== expectedPrefix.length + KEY_BYTES) throw mismatch();
    // Re-parse rather than only comparing bytes, so that the format itself is checked field by field.
    const reader = new BinaryReader(plaintext);
    const format = reader.u8();
    const purpose = reader.string(1);
    const tenant = reader.string(1);
    const epoch = reader.u64();
    const kekVersion = reader.u32();
    const key = reader.fixed(KEY_BYTES);
    reader.end();
    if (
      format !== WRAP_FORMAT_VERSION ||
      purpose !== expected.purpose ||
      tenant !== (expected.tenant ?? '') ||
      epoch !== BigInt(expected.epoch) ||
      kekVersion !== expected.kekVersion ||
      !plaintext.subarray(0, expectedPrefix.length).equals(expectedPrefix)
    ) {
      throw mismatch();
    }
    return KeyMaterial.fromBytes(key);
  } catch (cause) {
    throw isTesseraError(cause, ErrorCodes.CRYPTO_UNWRAP_FAILED) ? cause : mismatch(cause);
  } finally {
    zeroize(plaintext);
  }
}

function mismatch(cause?: unknown): TesseraError {
  return cryptoError(ErrorCodes.CRYPTO_UNWRAP_FAILED, 'key unwrap failed', cause);
}

/**
 * A request's prefix (and the requesting admin's free-text reason, which
 * may name objects too) sealed under a key derived from the tenant's TDK
 * (DESIGN section 7: "grant prefixes are stored encrypted"), so the
 * cleartext never enters Raft, LevelDB or snapshots (K1, K3):
 *
 *   key    = HKDF-SHA256(ikm = TDK[tenEpoch], salt = HKDF_SALT,
 *                        info = "tessera/v1/grant-prefix" ‖ u8 len ‖ tenant ‖ requestId[16])
 *   sealed = version u8 (1) | tenEpoch u64 | nonce 12 B | AES-256-GCM(plaintext) with its 16-byte tag
 *   AAD    = "tessera/v1/grant-prefix" ‖ version ‖ tenEpoch ‖ u8 len ‖ tenant ‖ requestId ‖ mode u8 ‖ durationMs u64
 *   plaintext = u16 len ‖ prefix (UTF-8) ‖ u16 len ‖ reason (UTF-8)
 *
 * One key per request (the request id is random) and a random nonce; the
 * AAD binds the sealed scope to its tenant, request, mode and duration, so
 * it cannot be moved to another request. A crypto-shred of the tenant makes
 * every prefix unreadable with the rest of its metadata.
 */
import { randomBytes } from 'node:crypto';
import { BinaryReader, BinaryWriter, ErrorCodes, TesseraError } from '@tessera/common';
import { AEAD_NONCE_BYTES, AEAD_TAG_BYTES, HKDF_SALT, KeyMaterial, aes256GcmOpen, aes256GcmSeal, hkdfSha256, zeroize } from '@tessera/crypto';
import { writeEnum } from '../metadata/fields.js';
import { ACCESS_LIMITS, ACCESS_MODES, type AccessMode } from './types.js';

export const GRANT_PREFIX_LABEL = 'tessera/v1/grant-prefix';
const LABEL = Buffer.from(GRANT_PREFIX_LABEL, 'ascii');
const VERSION = 1;

/** What the sealed scope is bound to. */
export interface ScopeBinding {
  readonly tenant: string;
  readonly requestId: Buffer;
  readonly mode: AccessMode;
  readonly durationMs: number;
}

export interface GrantScope {
  /** Only names starting with this; '' is the whole tenant. */
  readonly prefix: string;
  readonly reason: string;
}

function deriveKey(tdk: KeyMaterial, tenant: string, requestId: Uint8Array): KeyMaterial {
  const info = new BinaryWriter(96).raw(LABEL).string(tenant, 1).fixed(requestId, ACCESS_LIMITS.idBytes).finish();
  const okm = hkdfSha256(tdk.expose(), HKDF_SALT, info, 32);
  try {
    return KeyMaterial.fromBytes(okm);
  } finally {
    zeroize(okm);
  }
}

function aad(binding: ScopeBinding, tenEpoch: number): Buffer {
  const w = new BinaryWriter(128).raw(LABEL).u8(VERSION).u64(tenEpoch).string(binding.tenant, 1).fixed(binding.requestId, ACCESS_LIMITS.idBytes);
  return writeEnum(w, ACCESS_MODES, binding.mode).u64(binding.durationMs).finish();
}

function utf8Within(text: string, max: number, what: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.toString('utf8') !== text) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `${what} must be valid UTF-8`);
  if (bytes.byteLength > max) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `${what} is at most ${max} bytes`);
  return bytes;
}

/** Seals the scope under TDK[tenEpoch]; INVALID_ARGUMENT for a prefix or reason over 1 KiB or not UTF-8. */
export function sealScope(binding: ScopeBinding, scope: GrantScope, tdk: KeyMaterial, tenEpoch: number): Buffer {
  const plaintext = new BinaryWriter(256)
    .bytes(utf8Within(scope.prefix, ACCESS_LIMITS.prefixBytes, 'the prefix'), 2)
    .bytes(utf8Within(scope.reason, ACCESS_LIMITS.reasonBytes, 'the reason'), 2)
    .finish();
  const key = deriveKey(tdk, binding.tenant, binding.requestId);
  const nonce = randomBytes(AEAD_NONCE_BYTES);
  try {
    const sealed = aes256GcmSeal(key, nonce, plaintext, aad(binding, tenEpoch));
    return new BinaryWriter(32 + sealed.byteLength).u8(VERSION).u64(tenEpoch).fixed(nonce, AEAD_NONCE_BYTES).raw(sealed).finish();
  } finally {
    key.destroy();
    zeroize(plaintext);
  }
}

/** The tenant epoch whose TDK opens a sealed scope. CRYPTO_BAD_ENVELOPE for a malformed one. */
export function sealedScopeEpoch(sealed: Uint8Array): number {
  try {
    const r = new BinaryReader(sealed);
    if (r.u8() !== VERSION) throw new TesseraError(ErrorCodes.CRYPTO_UNKNOWN_VERSION, 'unknown sealed prefix version');
    return r.u64Number();
  } catch (err) {
    if (err instanceof TesseraError && err.code === ErrorCodes.CRYPTO_UNKNOWN_VERSION) throw err;
    throw new TesseraError(ErrorCodes.CRYPTO_BAD_ENVELOPE, 'malformed sealed prefix');
  }
}

/** Opens a sealed scope with TDK[sealedScopeEpoch(sealed)]; CRYPTO_AUTH_FAILED for a wrong key, binding or any changed byte. */
export function openScope(binding: ScopeBinding, sealed: Uint8Array, tdk: KeyMaterial): GrantScope {
  const tenEpoch = sealedScopeEpoch(sealed);
  const body = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength).subarray(1 + 8);
  if (body.byteLength < AEAD_NONCE_BYTES + AEAD_TAG_BYTES) throw new TesseraError(ErrorCodes.CRYPTO_BAD_ENVELOPE, 'malformed sealed prefix');
  const key = deriveKey(tdk, binding.tenant, binding.requestId);
  let plaintext: Buffer;
  try {
    plaintext = aes256GcmOpen(key, body.subarray(0, AEAD_NONCE_BYTES), body.subarray(AEAD_NONCE_BYTES), aad(binding, tenEpoch));
  } finally {
    key.destroy();
  }
  try {
    const r = new BinaryReader(plaintext);
    const prefix = r.bytes(2, ACCESS_LIMITS.prefixBytes).toString('utf8');
    const reason = r.bytes(2, ACCESS_LIMITS.reasonBytes).toString('utf8');
    r.end();
    return { prefix, reason };
  } catch {
    throw new TesseraError(ErrorCodes.CRYPTO_BAD_ENVELOPE, 'malformed sealed prefix');
  } finally {
    zeroize(plaintext);
  }
}

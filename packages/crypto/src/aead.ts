/**
 * AEAD through node:crypto, with its traps wrapped (DESIGN section 5):
 *
 * - `authTagLength: 16` is always passed, and a tag of any other length is
 *   refused before the decipher sees it (node would otherwise accept a short,
 *   truncated tag);
 * - the nonce is exactly 12 bytes; anything else is CRYPTO_BAD_NONCE;
 * - no plaintext leaves `open` before `final()` has verified the tag: the
 *   output of `update()` is held back, and zero-filled if the tag is wrong.
 *
 * Two layers: `AeadAlgorithm` objects (32-byte keys only, used by envelopes and
 * the public `aes256Gcm*` functions), and `aesGcmEncryptRaw`/`aesGcmDecryptRaw`,
 * which also take 16- and 24-byte keys so the Wycheproof vectors for every AES
 * key size can check the same code path.
 */
import { createCipheriv, createDecipheriv } from 'node:crypto';
import type { CipherGCMTypes, CipherChaCha20Poly1305Types } from 'node:crypto';
import { asBuffer, zeroize } from './bytes.js';
import { authFailed, badKey, badNonce, invalidArgument } from './fail.js';
import { KEY_BYTES, keyBytes } from './keys.js';
import type { KeyMaterial } from './keys.js';

export const AEAD_NONCE_BYTES = 12;
export const AEAD_TAG_BYTES = 16;

/**
 * An authenticated cipher usable in an envelope. Envelope v1 fixes the shape:
 * 32-byte key, 12-byte nonce, 16-byte tag.
 */
export interface AeadAlgorithm {
  readonly name: string;
  readonly keyLength: typeof KEY_BYTES;
  readonly nonceLength: typeof AEAD_NONCE_BYTES;
  readonly tagLength: typeof AEAD_TAG_BYTES;
  /**
   * Encrypts `plaintext` and writes ciphertext then tag into `out` starting at
   * `offset` (`plaintext.length + tagLength` bytes), so an envelope is built in
   * one buffer without a second copy of the ciphertext.
   */
  sealInto(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out: Buffer, offset: number): void;
  /**
   * Encrypts `plaintext` and returns ciphertext and tag as the cipher produced
   * them, without copying them anywhere: the zero-copy form for callers that
   * write an envelope as a list of parts (`sealChunkParts`).
   */
  seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): { readonly ciphertext: Buffer; readonly tag: Buffer };
  /** Returns the plaintext only once the tag has verified; throws CRYPTO_AUTH_FAILED otherwise. */
  open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Buffer;
}

type NodeAeadCipher = CipherGCMTypes | CipherChaCha20Poly1305Types;

/**
 * node:crypto cannot encrypt into a caller's buffer: `update()` always returns
 * a new one, which then has to be copied into the envelope. Feeding the cipher
 * 256 KiB at a time keeps those intermediate buffers small enough for the
 * allocator to recycle while they are still in cache; one `update()` over a
 * whole multi-megabyte chunk would fault in a second chunk-sized buffer only
 * to copy it once (measured here: 25-60 % slower at 1-4 MiB than slicing).
 */
const SEAL_SLICE_BYTES = 256 * 1024;

function checkNonce(nonce: Uint8Array): void {
  if (nonce.byteLength !== AEAD_NONCE_BYTES) throw badNonce(`nonce must be ${AEAD_NONCE_BYTES} bytes`);
}

function checkTag(tag: Uint8Array): void {
  // A short tag is a forgery opportunity, not a format variant: reject it as a failed authentication.
  if (tag.byteLength !== AEAD_TAG_BYTES) throw authFailed();
}

function sealIntoWith(cipherName: NodeAeadCipher, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out: Buffer, offset: number): void {
  checkNonce(nonce);
  if (out.length - offset < plaintext.byteLength + AEAD_TAG_BYTES) throw invalidArgument('output buffer too small');
  const cipher = createCipheriv(cipherName as CipherGCMTypes, asBuffer(key), asBuffer(nonce), { authTagLength: AEAD_TAG_BYTES });
  cipher.setAAD(asBuffer(aad));
  const input = asBuffer(plaintext);
  let at = offset;
  for (let start = 0; start < input.length; start += SEAL_SLICE_BYTES) {
    const piece = cipher.update(input.subarray(start, Math.min(input.length, start + SEAL_SLICE_BYTES)));
    piece.copy(out, at);
    at += piece.length;
  }
  const rest = cipher.final(); // empty for stream modes; copied for completeness
  rest.copy(out, at);
  at += rest.length;
  cipher.getAuthTag().copy(out, at);
}

function sealWith(cipherName: NodeAeadCipher, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): { ciphertext: Buffer; tag: Buffer } {
  checkNonce(nonce);
  const cipher = createCipheriv(cipherName as CipherGCMTypes, asBuffer(key), asBuffer(nonce), { authTagLength: AEAD_TAG_BYTES });
  cipher.setAAD(asBuffer(aad));
  const body = cipher.update(asBuffer(plaintext));
  const rest = cipher.final(); // empty for GCM and ChaCha20-Poly1305 (stream modes)
  return { ciphertext: rest.length === 0 ? body : Buffer.concat([body, rest]), tag: cipher.getAuthTag() };
}

function openWith(cipherName: NodeAeadCipher, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Buffer {
  checkNonce(nonce);
  checkTag(tag);
  const decipher = createDecipheriv(cipherName as CipherGCMTypes, asBuffer(key), asBuffer(nonce), { authTagLength: AEAD_TAG_BYTES });
  decipher.setAAD(asBuffer(aad));
  decipher.setAuthTag(asBuffer(tag));
  const plaintext = decipher.update(asBuffer(ciphertext));
  try {
    decipher.final();
  } catch (cause) {
    zeroize(plaintext); // unauthenticated bytes never leave this function
    throw authFailed(cause);
  }
  return plaintext;
}

function nodeAead(name: string, cipherName: NodeAeadCipher): AeadAlgorithm {
  return Object.freeze({
    name,
    keyLength: KEY_BYTES,
    nonceLength: AEAD_NONCE_BYTES,
    tagLength: AEAD_TAG_BYTES,
    sealInto(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array, out: Buffer, offset: number): void {
      sealIntoWith(cipherName, checkAeadKey(key), nonce, aad, plaintext, out, offset);
    },
    seal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): { ciphertext: Buffer; tag: Buffer } {
      return sealWith(cipherName, checkAeadKey(key), nonce, aad, plaintext);
    },
    open(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array): Buffer {
      return openWith(cipherName, checkAeadKey(key), nonce, aad, ciphertext, tag);
    },
  });
}

function checkAeadKey(key: Uint8Array): Uint8Array {
  if (key.byteLength !== KEY_BYTES) throw badKey(`key must be ${KEY_BYTES} bytes`);
  return key;
}

/** AES-256-GCM: the algorithm of every Tessera envelope (K6). */
export const AES_256_GCM: AeadAlgorithm = nodeAead('AES-256-GCM', 'aes-256-gcm');

/**
 * ChaCha20-Poly1305 (RFC 8439) through node:crypto. Not registered by default;
 * it exists to prove that envelopes are crypto-agile (`registerAead`).
 */
export const CHACHA20_POLY1305: AeadAlgorithm = nodeAead('ChaCha20-Poly1305', 'chacha20-poly1305');

/** AES-256-GCM seal: returns ciphertext ‖ 16-byte tag. Keys must be 32 bytes. */
export function aes256GcmSeal(key: KeyMaterial | Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array = EMPTY): Buffer {
  const out = Buffer.allocUnsafe(plaintext.byteLength + AEAD_TAG_BYTES);
  AES_256_GCM.sealInto(keyBytes(key), nonce, aad, plaintext, out, 0);
  return out;
}

/** AES-256-GCM open of ciphertext ‖ tag; throws CRYPTO_AUTH_FAILED without releasing any plaintext. */
export function aes256GcmOpen(key: KeyMaterial | Uint8Array, nonce: Uint8Array, sealed: Uint8Array, aad: Uint8Array = EMPTY): Buffer {
  const k = keyBytes(key);
  checkNonce(nonce);
  if (sealed.byteLength < AEAD_TAG_BYTES) throw authFailed();
  const split = sealed.byteLength - AEAD_TAG_BYTES;
  return AES_256_GCM.open(k, nonce, aad, sealed.subarray(0, split), sealed.subarray(split));
}

const EMPTY = new Uint8Array(0);

const RAW_GCM_CIPHERS: Readonly<Record<number, CipherGCMTypes>> = { 16: 'aes-128-gcm', 24: 'aes-192-gcm', 32: 'aes-256-gcm' };

function rawGcmCipher(key: Uint8Array): CipherGCMTypes {
  const name = RAW_GCM_CIPHERS[key.byteLength];
  if (name === undefined) throw badKey('AES key must be 16, 24 or 32 bytes');
  return name;
}

/**
 * Raw AES-GCM encryption (16/24/32-byte keys, 12-byte nonce, 16-byte tag).
 * For test vectors and tools; Tessera data uses envelopes.
 */
export function aesGcmEncryptRaw(key: Uint8Array, nonce: Uint8Array, plaintext: Uint8Array, aad: Uint8Array = EMPTY): { ciphertext: Buffer; tag: Buffer } {
  const cipherName = rawGcmCipher(key);
  const out = Buffer.allocUnsafe(plaintext.byteLength + AEAD_TAG_BYTES);
  sealIntoWith(cipherName, key, nonce, aad, plaintext, out, 0);
  return { ciphertext: out.subarray(0, plaintext.byteLength), tag: out.subarray(plaintext.byteLength) };
}

/** Raw AES-GCM decryption; the plaintext is returned only after the tag verified. */
export function aesGcmDecryptRaw(key: Uint8Array, nonce: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array = EMPTY): Buffer {
  return openWith(rawGcmCipher(key), key, nonce, aad, ciphertext, tag);
}

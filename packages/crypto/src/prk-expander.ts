/**
 * The per-chunk half of the chunk DEK derivation, made cheap.
 *
 * DEK = HKDF-Expand(PRK, info, 32) = HMAC-SHA256(PRK, info ‖ 0x01), and for
 * chunk DEKs info = prefix ‖ chunkId where the prefix is fixed for a key set
 * and algorithm. HMAC is computed here per RFC 2104 from two one-shot SHA-256
 * calls (`crypto.hash`) over buffers prepared once:
 *
 *   inner = SHA-256((PRK ⊕ ipad) ‖ prefix ‖ chunkId ‖ 0x01)
 *   DEK   = SHA-256((PRK ⊕ opad) ‖ inner)
 *
 * which costs about half of a `createHmac` object per chunk (it runs for every
 * sealed and opened chunk). The result is the same bytes as the HMAC-based
 * HKDF elsewhere in this package; the committed derivation vectors and an
 * independent @noble/hashes HKDF check that.
 *
 * The prepared buffers hold PRK ⊕ pad, which is as secret as the PRK: they are
 * allocated with Buffer.alloc and zero-filled by destroy().
 */
import { hash } from 'node:crypto';
import { CHUNK_ID_BYTES } from '@tessera/common';
import { zeroize } from './bytes.js';
import { invalidArgument } from './fail.js';

const BLOCK = 64;
const DIGEST = 32;

export class PrkExpander {
  readonly #ipadKey: Buffer;
  /** (PRK ⊕ opad) ‖ 32 bytes for the inner digest. */
  readonly #outer: Buffer;
  /** Per info prefix: (PRK ⊕ ipad) ‖ prefix ‖ chunkId slot ‖ 0x01. */
  readonly #inners = new Map<Buffer, Buffer>();

  /** `prk` is copied; the caller keeps ownership of its own copy. */
  constructor(prk: Uint8Array) {
    if (prk.byteLength > BLOCK) throw invalidArgument('PRK longer than a SHA-256 block');
    this.#ipadKey = Buffer.alloc(BLOCK, 0x36);
    this.#outer = Buffer.alloc(BLOCK + DIGEST);
    this.#outer.fill(0x5c, 0, BLOCK);
    for (let i = 0; i < prk.byteLength; i++) {
      this.#ipadKey[i]! ^= prk[i]!;
      this.#outer[i]! ^= prk[i]!;
    }
  }

  /** HMAC-SHA256(PRK, prefix ‖ chunkId ‖ 0x01): a 32-byte buffer the caller must zero. */
  expand(prefix: Buffer, chunkId: Uint8Array): Buffer {
    let inner = this.#inners.get(prefix);
    if (inner === undefined) {
      inner = Buffer.alloc(BLOCK + prefix.length + CHUNK_ID_BYTES + 1);
      this.#ipadKey.copy(inner, 0);
      prefix.copy(inner, BLOCK);
      inner[inner.length - 1] = 1;
      this.#inners.set(prefix, inner);
    }
    inner.set(chunkId, BLOCK + prefix.length);
    const innerDigest = hash('sha256', inner, 'buffer');
    innerDigest.copy(this.#outer, BLOCK);
    zeroize(innerDigest);
    const dek = hash('sha256', this.#outer, 'buffer');
    this.#outer.fill(0, BLOCK);
    return dek;
  }

  destroy(): void {
    zeroize(this.#ipadKey);
    zeroize(this.#outer);
    for (const inner of this.#inners.values()) zeroize(inner);
    this.#inners.clear();
  }
}

/**
 * KeyMaterial: the only way a 32-byte secret key travels through Tessera.
 *
 * - The bytes live in a Buffer from `Buffer.alloc` (its own ArrayBuffer, never
 *   a slice of Node's shared allocation pool), so zero-filling it wipes the
 *   only copy this object holds and touches no one else's data.
 * - The object carries SECRET_BRAND, so the shared logger redacts it wherever
 *   it appears; `toString`, `toJSON` and `util.inspect` show no bytes either.
 * - `destroy()` zero-fills the bytes, runs the registered destroy hooks (keys
 *   derived from this one go with it: DESIGN section 5), and every later use
 *   throws CRYPTO_KEY_DESTROYED, so a stale reference fails closed.
 */
import { randomFillSync } from 'node:crypto';
import { inspect } from 'node:util';
import { ErrorCodes, SECRET_BRAND } from '@tessera/common';
import type { SecretBranded } from '@tessera/common';
import { cryptoError } from './fail.js';

/** Every key in the public API is exactly this long. */
export const KEY_BYTES = 32;

const REDACTED_VIEW = 'KeyMaterial([redacted])';

export class KeyMaterial implements SecretBranded {
  readonly [SECRET_BRAND] = true as const;
  #bytes: Buffer | undefined;
  readonly #onDestroy = new Set<() => void>();

  private constructor(bytes: Buffer) {
    this.#bytes = bytes;
  }

  /** A fresh random key (destroyable keys must be random: K4). */
  static generate(): KeyMaterial {
    const bytes = Buffer.alloc(KEY_BYTES);
    randomFillSync(bytes);
    return new KeyMaterial(bytes);
  }

  /**
   * Copies `source` into key material. The caller still owns `source` and
   * should zero it (`zeroize`) once it is no longer needed.
   */
  static fromBytes(source: Uint8Array): KeyMaterial {
    if (source.byteLength !== KEY_BYTES) {
      throw cryptoError(ErrorCodes.CRYPTO_BAD_KEY, `key must be ${KEY_BYTES} bytes`);
    }
    const bytes = Buffer.alloc(KEY_BYTES);
    bytes.set(source);
    return new KeyMaterial(bytes);
  }

  /**
   * The live key bytes, for handing to a primitive. Never keep, copy, log or
   * return them: they are zeroed when the key is destroyed.
   */
  expose(): Buffer {
    const bytes = this.#bytes;
    if (bytes === undefined) throw cryptoError(ErrorCodes.CRYPTO_KEY_DESTROYED, 'key has been destroyed');
    return bytes;
  }

  get destroyed(): boolean {
    return this.#bytes === undefined;
  }

  /** Throws CRYPTO_KEY_DESTROYED when the key has been destroyed. */
  assertAlive(): void {
    this.expose();
  }

  /**
   * Runs `hook` once when this key is destroyed (used to destroy keys derived
   * from it). Returns a function that unregisters the hook.
   */
  onDestroy(hook: () => void): () => void {
    this.assertAlive();
    this.#onDestroy.add(hook);
    return () => {
      this.#onDestroy.delete(hook);
    };
  }

  /** Zero-fills the bytes and destroys everything derived from them. Idempotent. */
  destroy(): void {
    const bytes = this.#bytes;
    if (bytes === undefined) return;
    bytes.fill(0);
    this.#bytes = undefined;
    const hooks = [...this.#onDestroy];
    this.#onDestroy.clear();
    for (const hook of hooks) hook();
  }

  toString(): string {
    return REDACTED_VIEW;
  }

  toJSON(): string {
    return REDACTED_VIEW;
  }

  [inspect.custom](): string {
    return REDACTED_VIEW;
  }

  get [Symbol.toStringTag](): string {
    return 'KeyMaterial';
  }
}

/** Accepts KeyMaterial or raw bytes of exactly KEY_BYTES; returns the bytes to use. */
export function keyBytes(key: KeyMaterial | Uint8Array): Uint8Array {
  if (key instanceof KeyMaterial) return key.expose();
  if (key.byteLength !== KEY_BYTES) {
    throw cryptoError(ErrorCodes.CRYPTO_BAD_KEY, `key must be ${KEY_BYTES} bytes`);
  }
  return key;
}

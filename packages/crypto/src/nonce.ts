/**
 * Random 96-bit nonces for envelopes (K6), drawn from a pool refilled by
 * node:crypto's CSPRNG. Asking the CSPRNG for 12 bytes costs about as much as
 * hashing the 64-byte DEK info; one refill serves 341 chunks. Each nonce is
 * copied out and its pool bytes are zeroed, so a nonce is never handed out
 * twice. (Each worker thread has its own module instance, hence its own pool.)
 */
import { randomFillSync } from 'node:crypto';
import { AEAD_NONCE_BYTES } from './aead.js';

const POOL_NONCES = 341; // 4 092 bytes
const pool = Buffer.alloc(POOL_NONCES * AEAD_NONCE_BYTES);
let next = pool.length; // empty: the first call fills it

/** Writes a fresh random nonce at `offset` of `out`. */
export function writeRandomNonce(out: Buffer, offset: number): void {
  if (next + AEAD_NONCE_BYTES > pool.length) {
    randomFillSync(pool);
    next = 0;
  }
  pool.copy(out, offset, next, next + AEAD_NONCE_BYTES);
  pool.fill(0, next, next + AEAD_NONCE_BYTES);
  next += AEAD_NONCE_BYTES;
}

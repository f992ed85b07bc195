/**
 * Constant-time comparison for secrets and authentication tags.
 *
 * `timingSafeEqual` throws on unequal lengths, and the length of a tag or MAC
 * is public anyway, so a length mismatch returns false at once without calling
 * it; only equal-length inputs reach the constant-time compare.
 */
import { timingSafeEqual } from 'node:crypto';
import { asBuffer } from './bytes.js';

export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  return timingSafeEqual(asBuffer(a), asBuffer(b));
}

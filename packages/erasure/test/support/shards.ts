/** Helpers shared by the erasure tests. */
import { expect } from 'vitest';
import { isTesseraError, type ErrorCode } from '@tessera/common';

/** Every subset of {0..n-1} with at most `max` elements, smallest first. */
export function subsetsUpTo(n: number, max: number): number[][] {
  const out: number[][] = [[]];
  const extend = (start: number, current: number[]): void => {
    for (let i = start; i < n; i++) {
      const next = [...current, i];
      out.push(next);
      if (next.length < max) extend(i + 1, next);
    }
  };
  if (max > 0) extend(0, []);
  return out;
}

/** The shards with the given indices replaced by null. */
export function withHoles(shards: readonly Uint8Array[], missing: readonly number[]): (Uint8Array | null)[] {
  return shards.map((s, i) => (missing.includes(i) ? null : s));
}

export function expectTesseraError(fn: () => unknown, code: ErrorCode): void {
  let thrown: unknown;
  try {
    fn();
  } catch (e) {
    thrown = e;
  }
  expect(thrown, `expected a TesseraError ${code}`).toBeDefined();
  expect(isTesseraError(thrown) ? thrown.code : thrown).toBe(code);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

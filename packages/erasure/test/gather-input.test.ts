import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decode, encode, encodeInto, stripeBytes } from '../src/index.js';

/** Splits bytes at the given cut points (sorted, deduplicated, in range). */
function splitAt(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const parts: Uint8Array[] = [];
  let prev = 0;
  for (const p of points) {
    parts.push(bytes.subarray(prev, p));
    prev = p;
  }
  parts.push(bytes.subarray(prev));
  return parts;
}

describe('encodeInto with gathered parts', () => {
  it('encodes a list of parts exactly as their concatenation', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 5000 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        fc.integer({ min: 1, max: 8 }),
        fc.integer({ min: 0, max: 3 }),
        (data, cuts, k, m) => {
          const parts = splitAt(data, cuts);
          const fromParts = encodeInto(parts, k, m, new Uint8Array(stripeBytes(data.length, k, m)));
          const whole = encode(data, k, m);
          expect(fromParts.originalLength).toBe(data.length);
          expect(fromParts.shardSize).toBe(whole.shardSize);
          for (let i = 0; i < k + m; i++) expect(Buffer.from(fromParts.shards[i]!).equals(Buffer.from(whole.shards[i]!))).toBe(true);
          expect(Buffer.from(decode(fromParts.shards, k, m, data.length)).equals(Buffer.from(data))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('handles empty parts anywhere in the list', () => {
    const data = Uint8Array.from({ length: 100 }, (_, i) => i);
    const parts = [new Uint8Array(0), data.subarray(0, 10), new Uint8Array(0), data.subarray(10), new Uint8Array(0)];
    const a = encodeInto(parts, 4, 2, new Uint8Array(stripeBytes(100, 4, 2)));
    const b = encode(data, 4, 2);
    expect(a.shards.map((s) => Buffer.from(s).toString('hex'))).toEqual(b.shards.map((s) => Buffer.from(s).toString('hex')));
  });
});

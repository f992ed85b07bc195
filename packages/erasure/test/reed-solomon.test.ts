import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, isTesseraError } from '@tessera/common';
import {
  ReedSolomon,
  decode,
  decodeShardRecord,
  encode,
  encodeInto,
  encodeShardRecord,
  stripeBytes,
  reconstruct,
  verify,
  type MaybeShard,
} from '../src/index.js';
import { bytesEqual, expectTesseraError, subsetsUpTo, withHoles } from './support/shards.js';

const profileArb = fc.record({ k: fc.integer({ min: 1, max: 10 }), m: fc.integer({ min: 0, max: 4 }) });
/** Lengths biased to the edges: 0, 1, exact multiples of k and odd sizes. */
const dataArb = fc.oneof(
  fc.constant(new Uint8Array(0)),
  fc.uint8Array({ minLength: 1, maxLength: 1 }),
  fc.uint8Array({ maxLength: 200 }),
);

/** Every loss pattern of up to m shards when there are few, else a spread sample of them. */
function lossPatterns(k: number, m: number): number[][] {
  const all = subsetsUpTo(k + m, m);
  if (all.length <= 64) return all;
  const step = all.length / 64;
  return Array.from({ length: 64 }, (_, i) => all[Math.floor(i * step)]!).concat([all[all.length - 1]!]);
}

describe.each(['wasm-simd', 'typescript'] as const)('Reed-Solomon (%s kernel)', (kernel) => {
  const rs = new ReedSolomon({ kernel });

  it('decodes the original bytes and rebuilds every shard for every loss of up to m shards', () => {
    fc.assert(
      fc.property(profileArb, dataArb, ({ k, m }, data) => {
        const stripe = rs.encode(data, k, m);
        expect(stripe.shardSize).toBe(Math.max(1, Math.ceil(data.length / k)));
        expect(stripe.shards).toHaveLength(k + m);
        for (const lost of lossPatterns(k, m)) {
          const holes = withHoles(stripe.shards, lost);
          expect(bytesEqual(rs.decode(holes, k, m, data.length), data)).toBe(true);
          const rebuilt = rs.reconstruct(holes, k, m);
          rebuilt.forEach((s, i) => expect(bytesEqual(s, stripe.shards[i]!)).toBe(true));
        }
      }),
      { numRuns: kernel === 'typescript' ? 40 : 80 },
    );
  });

  it('keeps data shards systematic: they are the zero-padded input', () => {
    fc.assert(
      fc.property(profileArb, dataArb, ({ k, m }, data) => {
        const stripe = rs.encode(data, k, m);
        const joined = Buffer.concat(stripe.shards.slice(0, k));
        expect(bytesEqual(joined.subarray(0, data.length), data)).toBe(true);
        expect(joined.subarray(data.length).every((b) => b === 0)).toBe(true);
      }),
      { numRuns: 50 },
    );
  });

  it('verify() accepts fresh stripes and detects any corrupted parity or data byte', () => {
    fc.assert(
      fc.property(
        fc.record({ k: fc.integer({ min: 1, max: 10 }), m: fc.integer({ min: 1, max: 4 }) }),
        fc.uint8Array({ minLength: 1, maxLength: 200 }),
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        ({ k, m }, data, shardPick, bytePick, flip) => {
          const stripe = rs.encode(data, k, m);
          expect(rs.verify(stripe.shards, k, m)).toBe(true);
          const shards = stripe.shards.map((s) => Uint8Array.from(s));
          const victim = shards[shardPick % (k + m)]!;
          victim[bytePick % victim.length]! ^= flip;
          expect(rs.verify(shards, k, m)).toBe(false);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('Reed-Solomon API contract', () => {
  const rs = new ReedSolomon();

  it('rejects impossible profiles with ERASURE_BAD_PARAMS', () => {
    for (const [k, m] of [
      [0, 2],
      [4, -1],
      [200, 56],
      [1.5, 1],
      [Number.NaN, 1],
    ] as const) {
      expectTesseraError(() => rs.encode(new Uint8Array(4), k, m), ErrorCodes.ERASURE_BAD_PARAMS);
    }
    expect(rs.encode(new Uint8Array(4), 255, 0).shards).toHaveLength(255);
    expect(rs.encode(new Uint8Array(4), 1, 254).shards).toHaveLength(255);
  });

  it('reports too few shards, uneven sizes and wrong slot counts with their codes', () => {
    const { shards } = rs.encode(new Uint8Array(40).fill(7), 4, 2);
    expectTesseraError(() => rs.reconstruct(withHoles(shards, [0, 1, 5]), 4, 2), ErrorCodes.ERASURE_TOO_FEW_SHARDS);
    expectTesseraError(() => rs.decode(withHoles(shards, [0, 1, 5]), 4, 2, 40), ErrorCodes.ERASURE_TOO_FEW_SHARDS);
    const uneven: MaybeShard[] = [...shards];
    uneven[2] = new Uint8Array(shards[0]!.length + 1);
    expectTesseraError(() => rs.reconstruct(uneven, 4, 2), ErrorCodes.ERASURE_SHARD_SIZE_MISMATCH);
    expectTesseraError(() => rs.verify(uneven as Uint8Array[], 4, 2), ErrorCodes.ERASURE_SHARD_SIZE_MISMATCH);
    expectTesseraError(() => rs.reconstruct(shards.slice(0, 5), 4, 2), ErrorCodes.ERASURE_BAD_PARAMS);
    expectTesseraError(() => rs.decode(shards, 4, 2, 41), ErrorCodes.ERASURE_SHARD_SIZE_MISMATCH);
    expectTesseraError(() => rs.verify(withHoles(shards, [5]) as Uint8Array[], 4, 2), ErrorCodes.ERASURE_TOO_FEW_SHARDS);
  });

  it('encode() views the unpadded data shards and owns the padded and parity ones', () => {
    const data = new Uint8Array(10).map((_, i) => i + 1);
    const { shards, shardSize } = rs.encode(data, 4, 2); // shard size 3: shards 0..2 fit, shard 3 is padded
    expect(shardSize).toBe(3);
    for (const i of [0, 1, 2]) expect(shards[i]!.buffer).toBe(data.buffer);
    for (const i of [3, 4, 5]) expect(shards[i]!.buffer).not.toBe(data.buffer);
    expect(Array.from(shards[3]!)).toEqual([10, 0, 0]);
  });

  it('encodeInto() writes the same stripe into caller memory, leaving the rest untouched', () => {
    fc.assert(
      fc.property(profileArb, dataArb, fc.nat({ max: 16 }), ({ k, m }, data, spare) => {
        const expected = rs.encode(data, k, m);
        const target = new Uint8Array(stripeBytes(data.length, k, m) + spare).fill(0xee);
        const stripe = encodeInto(data, k, m, target);
        expect(stripe.originalLength).toBe(data.length);
        stripe.shards.forEach((s, i) => {
          expect(s.buffer).toBe(target.buffer);
          expect(bytesEqual(s, expected.shards[i]!)).toBe(true);
        });
        expect(target.subarray(target.length - spare).every((b) => b === 0xee)).toBe(true);
      }),
      { numRuns: 60 },
    );
    expectTesseraError(() => encodeInto(new Uint8Array(8), 4, 2, new Uint8Array(11)), ErrorCodes.ERASURE_SHARD_SIZE_MISMATCH);
  });

  it('returns present shards as given and only allocates the missing ones', () => {
    const { shards } = rs.encode(new Uint8Array(33).fill(1), 4, 2);
    const rebuilt = rs.reconstruct(withHoles(shards, [1, 4]), 4, 2);
    for (const i of [0, 2, 3, 5]) expect(rebuilt[i]).toBe(shards[i]);
    expect(bytesEqual(rebuilt[1]!, shards[1]!)).toBe(true);
    expect(bytesEqual(rebuilt[4]!, shards[4]!)).toBe(true);
  });

  it('keeps the decode-matrix cache within its bound and still decodes correctly', () => {
    const small = new ReedSolomon({ matrixCacheEntries: 4 });
    const data = new Uint8Array(80).map((_, i) => i);
    const stripe = small.encode(data, 5, 3);
    for (const lost of subsetsUpTo(8, 3)) {
      expect(bytesEqual(small.decode(withHoles(stripe.shards, lost), 5, 3, data.length), data)).toBe(true);
      expect(small.cachedDecodePlans).toBeLessThanOrEqual(4);
    }
    expect(small.cachedDecodePlans).toBe(4);
  });

  it('a corrupted shard is caught by its record CRC and the stripe decodes from the others', () => {
    fc.assert(
      fc.property(profileArb.filter(({ m }) => m > 0), fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), fc.nat(), (p, data, shardPick, bytePick) => {
        const { k, m } = p;
        const stripe = encode(data, k, m);
        const records = stripe.shards.map((payload, shardIndex) => encodeShardRecord({ k, m, shardIndex, payload }));
        const bad = shardPick % (k + m);
        const record = records[bad]!;
        record[12 + (bytePick % (record.length - 12))]! ^= 0x01; // a payload or CRC byte
        const read: MaybeShard[] = records.map((r) => {
          try {
            return decodeShardRecord(r).payload;
          } catch (e) {
            expect(isTesseraError(e, ErrorCodes.CHECKSUM_MISMATCH)).toBe(true);
            return null;
          }
        });
        expect(read[bad]).toBeNull();
        expect(read.filter((s) => s === null)).toHaveLength(1);
        expect(bytesEqual(decode(read, k, m, data.length), data)).toBe(true);
        expect(verify(reconstruct(read, k, m), k, m)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { planRange, type ChunkSlice } from '../src/objects/range.js';

/** Brute force: label every byte with (chunk, offset in chunk), take the range, group by chunk. */
function model(sizes: readonly number[], offset: number, length: number): { slices: ChunkSlice[]; start: number; end: number } {
  const bytes: Array<[number, number]> = [];
  sizes.forEach((size, index) => {
    for (let i = 0; i < size; i++) bytes.push([index, i]);
  });
  const end = length === 0 ? bytes.length : Math.min(bytes.length, offset + length);
  const slices: ChunkSlice[] = [];
  for (const [index, at] of bytes.slice(offset, end)) {
    const last = slices[slices.length - 1];
    if (last !== undefined && last.index === index) slices[slices.length - 1] = { ...last, to: at + 1 };
    else slices.push({ index, from: at, to: at + 1 });
  }
  return { slices, start: offset, end };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (!(err instanceof TesseraError)) throw err;
    return err.code;
  }
}

describe('planRange', () => {
  it('agrees with a byte-by-byte model for every range within the object', () => {
    const input = fc
      .array(fc.integer({ min: 0, max: 40 }), { maxLength: 12 })
      .chain((sizes) => {
        const total = sizes.reduce((a, b) => a + b, 0);
        return fc.tuple(fc.constant(sizes), fc.integer({ min: 0, max: total }), fc.integer({ min: 0, max: total + 10 }));
      });
    fc.assert(
      fc.property(input, ([sizes, offset, length]) => {
        expect(planRange(sizes, offset, length)).toEqual(model(sizes, offset, length));
      }),
      { numRuns: 1000 },
    );
  });

  it('lists only the chunks the range covers', () => {
    const mib = 1024 * 1024;
    const sizes = [4 * mib, 4 * mib, 4 * mib, 1000];
    expect(planRange(sizes, 5 * mib, mib)).toEqual({ slices: [{ index: 1, from: mib, to: 2 * mib }], start: 5 * mib, end: 6 * mib });
    expect(planRange(sizes, 4 * mib - 1, 2)).toEqual({ slices: [{ index: 0, from: 4 * mib - 1, to: 4 * mib }, { index: 1, from: 0, to: 1 }], start: 4 * mib - 1, end: 4 * mib + 1 });
    expect(planRange(sizes, 12 * mib, 0).slices).toEqual([{ index: 3, from: 0, to: 1000 }]);
    expect(planRange(sizes, 0, 0).slices).toHaveLength(4);
  });

  it('reads nothing at the end of the object and refuses offsets beyond it', () => {
    expect(planRange([10, 5], 15, 0)).toEqual({ slices: [], start: 15, end: 15 });
    expect(planRange([10, 5], 15, 100)).toEqual({ slices: [], start: 15, end: 15 });
    expect(planRange([], 0, 0)).toEqual({ slices: [], start: 0, end: 0 });
    expect(codeOf(() => planRange([10, 5], 16, 0))).toBe(ErrorCodes.INVALID_ARGUMENT);
    expect(codeOf(() => planRange([], 1, 1))).toBe(ErrorCodes.INVALID_ARGUMENT);
  });

  it('refuses negative, fractional or unsafe numbers', () => {
    for (const [sizes, offset, length] of [
      [[10], -1, 0],
      [[10], 0, -1],
      [[10], 0.5, 0],
      [[10], 0, 1.5],
      [[10], Number.NaN, 0],
      [[-1], 0, 0],
      [[2.5], 0, 0],
      [[Number.MAX_SAFE_INTEGER, 1], 0, 0],
    ] as Array<[number[], number, number]>) {
      expect(codeOf(() => planRange(sizes, offset, length))).toBe(ErrorCodes.INVALID_ARGUMENT);
    }
  });
});

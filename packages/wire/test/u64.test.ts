import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes, isTesseraError } from '@tessera/common';
import { u64, u64Number, u64String } from '../src/index.js';

const U64_MAX = (1n << 64n) - 1n;

describe('u64 helpers', () => {
  it('round-trip every u64', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: U64_MAX }), (n) => {
        expect(u64(u64String(n))).toBe(n);
      }),
      { numRuns: 500 },
    );
  });

  it('reject non-canonical or out-of-range strings with WIRE_BAD_U64', () => {
    for (const bad of ['', '-1', '01', '1.5', ' 1', '18446744073709551616', '1e3', '0x10']) {
      expect(() => u64(bad)).toThrow(expect.objectContaining({ code: ErrorCodes.WIRE_BAD_U64 }));
    }
  });

  it('throw only TesseraErrors on arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (s) => {
        try {
          const n = u64(s);
          expect(u64String(n)).toBe(s);
        } catch (err) {
          expect(isTesseraError(err, ErrorCodes.WIRE_BAD_U64)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('u64Number refuses values above 2^53 and u64String refuses negatives', () => {
    expect(u64Number('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => u64Number('9007199254740992')).toThrow(expect.objectContaining({ code: ErrorCodes.WIRE_BAD_U64 }));
    expect(() => u64String(-1)).toThrow(expect.objectContaining({ code: ErrorCodes.WIRE_BAD_U64 }));
    expect(() => u64String(1.5)).toThrow(expect.objectContaining({ code: ErrorCodes.WIRE_BAD_U64 }));
    expect(() => u64String(U64_MAX + 1n)).toThrow(expect.objectContaining({ code: ErrorCodes.WIRE_BAD_U64 }));
  });
});

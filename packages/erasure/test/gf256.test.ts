import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { CodingMatrices } from '../src/coding-matrices.js';
import { GF_POLYNOMIAL, MUL_TABLE, gfInv, gfMul, gfPow, nibbleTable } from '../src/gf256.js';
import { identityMatrix, invert, multiply, selectRows, vandermonde, zeroMatrix } from '../src/matrix.js';
import { expectTesseraError, subsetsUpTo } from './support/shards.js';

/** Carry-less shift-and-add multiplication reduced by x^8+x^4+x^3+x^2+1: no tables involved. */
function slowMul(a: number, b: number): number {
  let product = 0;
  for (let bit = 0; bit < 8; bit++) if (b & (1 << bit)) product ^= a << bit;
  for (let bit = 14; bit >= 8; bit--) if (product & (1 << bit)) product ^= 0x11d << (bit - 8);
  return product;
}

describe('GF(2^8) arithmetic', () => {
  it('uses the polynomial 0x11D', () => {
    expect(GF_POLYNOMIAL).toBe(0x11d);
    expect(gfPow(2, 8)).toBe(0x1d); // x^8 ≡ x^4 + x^3 + x^2 + 1
  });

  it('multiplies like carry-less multiplication modulo the polynomial, for all 65536 pairs', () => {
    let mismatches = 0;
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) {
        const expected = slowMul(a, b);
        if (gfMul(a, b) !== expected || MUL_TABLE[a * 256 + b] !== expected) mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });

  it('inverts every non-zero element and refuses zero', () => {
    for (let a = 1; a < 256; a++) expect(gfMul(a, gfInv(a))).toBe(1);
    expect(() => gfInv(0)).toThrow(RangeError);
  });

  it('raises to powers with 0^0 = 1 (the Vandermonde convention)', () => {
    expect(gfPow(0, 0)).toBe(1);
    expect(gfPow(0, 3)).toBe(0);
    for (let a = 0; a < 256; a++) expect(gfPow(a, 3)).toBe(slowMul(slowMul(a, a), a));
  });

  it('builds split-nibble tables with c·x = lo[x & 15] ^ hi[x >> 4]', () => {
    let mismatches = 0;
    for (let c = 0; c < 256; c++) {
      const t = nibbleTable(c);
      for (let x = 0; x < 256; x++) if ((t[x & 15]! ^ t[16 + (x >> 4)]!) !== slowMul(c, x)) mismatches++;
    }
    expect(mismatches).toBe(0);
  });
});

describe('matrices over GF(2^8)', () => {
  it('inverts: A · inverse(A) = I for Vandermonde-derived square matrices', () => {
    const matrices = new CodingMatrices();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 6 }), fc.nat(), (k, m, seed) => {
        const e = matrices.encodingMatrix(k, m);
        // k distinct rows chosen by the seed
        const rows = Array.from({ length: k + m }, (_, i) => i)
          .sort((a, b) => ((a * 7919 + seed) % 101) - ((b * 7919 + seed) % 101))
          .slice(0, k);
        const a = selectRows(e, rows);
        expect(multiply(a, invert(a)).data).toEqual(identityMatrix(k).data);
      }),
      { numRuns: 60 },
    );
  });

  it('reports a singular matrix as INTERNAL', () => {
    expectTesseraError(() => invert(zeroMatrix(3, 3)), ErrorCodes.INTERNAL);
  });

  it('makes the encoding matrix systematic, with every k of k+m rows independent', () => {
    const matrices = new CodingMatrices();
    for (const [k, m] of [
      [4, 2],
      [8, 3],
      [5, 5],
    ] as const) {
      const e = matrices.encodingMatrix(k, m);
      // the full product V · inverse(V_top), which the implementation shortcuts
      const v = vandermonde(k + m, k);
      expect(e.data).toEqual(multiply(v, invert(selectRows(v, [...Array(k).keys()]))).data);
      expect(selectRows(e, [...Array(k).keys()]).data).toEqual(identityMatrix(k).data);
      for (const lost of subsetsUpTo(k + m, m).filter((s) => s.length === m)) {
        const kept = [...Array(k + m).keys()].filter((i) => !lost.includes(i));
        expect(() => invert(selectRows(e, kept))).not.toThrow();
      }
    }
  });
});

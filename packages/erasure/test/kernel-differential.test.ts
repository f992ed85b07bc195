/**
 * The WebAssembly SIMD kernel against the TypeScript reference kernel on
 * random coefficient matrices, shard counts (covering the 4-row groups and the
 * 3/2/1-row tails) and lengths that are not multiples of 16 or 32.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Gf256Wasm, WasmKernel } from '../src/kernel-wasm.js';
import { typescriptKernel } from '../src/kernel-typescript.js';
import { bytesEqual } from './support/shards.js';

const sharedWasm = new Gf256Wasm();

interface Case {
  readonly coefficients: Uint8Array;
  readonly inputs: Uint8Array[];
  readonly nOut: number;
  readonly len: number;
}

const caseArb = (maxLen: number): fc.Arbitrary<Case> =>
  fc
    .record({ nIn: fc.integer({ min: 1, max: 12 }), nOut: fc.integer({ min: 0, max: 9 }), len: fc.nat({ max: maxLen }), slack: fc.nat({ max: 40 }) })
    .chain(({ nIn, nOut, len, slack }) =>
      fc.record({
        coefficients: fc.uint8Array({ minLength: nIn * nOut, maxLength: nIn * nOut }),
        // inputs may be longer than len: only the first len bytes count
        inputs: fc.array(fc.uint8Array({ minLength: len + slack, maxLength: len + slack }), { minLength: nIn, maxLength: nIn }),
        nOut: fc.constant(nOut),
        len: fc.constant(len),
      }),
    );

function runBoth(kernel: WasmKernel, c: Case): void {
  // outputs pre-filled with a marker: bytes past len must survive
  const make = (): Uint8Array[] => Array.from({ length: c.nOut }, () => new Uint8Array(c.len + 3).fill(0xa5));
  const expected = make();
  const actual = make();
  typescriptKernel.mulRows(c.coefficients, c.inputs, expected, c.len);
  kernel.mulRows(c.coefficients, c.inputs, actual, c.len);
  actual.forEach((out, r) => expect(bytesEqual(out, expected[r]!)).toBe(true));
  actual.forEach((out) => expect(Array.from(out.subarray(c.len))).toEqual([0xa5, 0xa5, 0xa5]));
}

describe('wasm-simd kernel vs TypeScript reference', () => {
  it('agrees on random matrices and lengths (one segment)', () => {
    const kernel = new WasmKernel(sharedWasm);
    fc.assert(fc.property(caseArb(300), (c) => runBoth(kernel, c)), { numRuns: 300 });
  });

  it('agrees when a call spans many small segments', () => {
    const kernel = new WasmKernel(sharedWasm, 64);
    fc.assert(fc.property(caseArb(700), (c) => runBoth(kernel, c)), { numRuns: 150 });
  });

  it('agrees on a 200 003-byte shard with the default segment size', () => {
    const len = 200_003;
    const inputs = Array.from({ length: 5 }, (_, i) => new Uint8Array(len).map((_, j) => (j * 31 + i * 97 + (j >> 9)) & 255));
    const coefficients = new Uint8Array(5 * 7).map((_, i) => (i * 73 + 1) & 255);
    runBoth(new WasmKernel(sharedWasm), { coefficients, inputs, nOut: 7, len });
  });

  it('keeps working after the module memory grows (views are refreshed)', () => {
    const kernel = new WasmKernel(new Gf256Wasm(), 1 << 20);
    const small = { coefficients: Uint8Array.of(3, 5), inputs: [Uint8Array.of(1, 2, 3)], nOut: 2, len: 3 };
    runBoth(kernel, small);
    const big = new Uint8Array(3 << 20).map((_, i) => i & 255);
    runBoth(kernel, { coefficients: Uint8Array.of(7, 9, 11, 13), inputs: [big, big.slice().reverse()], nOut: 2, len: big.length });
    runBoth(kernel, small);
  });
});

/**
 * The reference kernel: plain TypeScript, one 256-byte product row per
 * coefficient. Slow (a table lookup per byte) but obviously correct; it is the
 * fallback where WebAssembly SIMD is unavailable and the oracle the SIMD
 * kernel is differentially tested against.
 */
import { MUL_TABLE } from './gf256.js';
import type { GfKernel } from './kernel.js';

function mulRow(coef: number, src: Uint8Array, dst: Uint8Array, len: number, accumulate: boolean): void {
  if (coef === 0) {
    if (!accumulate) dst.fill(0, 0, len);
    return;
  }
  if (coef === 1) {
    if (!accumulate) dst.set(src.subarray(0, len));
    else for (let i = 0; i < len; i++) dst[i]! ^= src[i]!;
    return;
  }
  const row = MUL_TABLE.subarray(coef << 8, (coef + 1) << 8);
  if (!accumulate) for (let i = 0; i < len; i++) dst[i] = row[src[i]!]!;
  else for (let i = 0; i < len; i++) dst[i]! ^= row[src[i]!]!;
}

export const typescriptKernel: GfKernel = {
  name: 'typescript',
  mulRows(coefficients, inputs, outputs, len) {
    const n = inputs.length;
    outputs.forEach((out, r) => {
      inputs.forEach((src, c) => mulRow(coefficients[r * n + c]!, src, out, len, c > 0));
    });
  },
};

import { describe, expect, it } from 'vitest';
import { ErrorCodes } from '@tessera/common';
import { ReedSolomon, erasureKernel } from '../src/index.js';
import type { GfKernel } from '../src/kernel.js';
import { typescriptKernel } from '../src/kernel-typescript.js';
import { wasmBytes, wasmSimdSupported } from '../src/kernel-wasm.js';
import { selectKernel } from '../src/kernels.js';
import { expectTesseraError } from './support/shards.js';

const fakeWasm: GfKernel = { name: 'wasm-simd', mulRows: () => undefined };

describe('kernel selection', () => {
  it('falls back to TypeScript when SIMD is unavailable, without loading wasm', () => {
    let loaded = false;
    const kernel = selectKernel('auto', false, () => {
      loaded = true;
      return fakeWasm;
    });
    expect(kernel).toBe(typescriptKernel);
    expect(loaded).toBe(false);
  });

  it('uses wasm when SIMD is available, TypeScript when asked, and refuses a forced wasm without SIMD', () => {
    expect(selectKernel('auto', true, () => fakeWasm)).toBe(fakeWasm);
    expect(selectKernel('typescript', true, () => fakeWasm)).toBe(typescriptKernel);
    expectTesseraError(() => selectKernel('wasm-simd', false, () => fakeWasm), ErrorCodes.INVALID_ARGUMENT);
  });

  it('detects SIMD support by validating the module itself', () => {
    expect(wasmSimdSupported()).toBe(true); // Node 20 ships WebAssembly SIMD
    const broken = wasmBytes();
    broken[broken.length - 1]! ^= 0xff; // corrupt the last byte of the code section
    expect(wasmSimdSupported(broken)).toBe(false);
  });

  it('reports the active kernel', () => {
    expect(erasureKernel()).toBe('wasm-simd');
    expect(new ReedSolomon({ kernel: 'typescript' }).kernelName).toBe('typescript');
  });
});

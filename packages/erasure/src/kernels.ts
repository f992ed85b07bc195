/** Choosing the GF(2^8) kernel: WebAssembly SIMD when the runtime has it, else TypeScript. */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { GfKernel, KernelName } from './kernel.js';
import { typescriptKernel } from './kernel-typescript.js';
import { WasmKernel, wasmSimdSupported } from './kernel-wasm.js';

export type KernelChoice = KernelName | 'auto';

/** Pure selection rule, separate from the runtime probe so the fallback is testable. */
export function selectKernel(choice: KernelChoice, simdSupported: boolean, loadWasm: () => GfKernel): GfKernel {
  if (choice === 'typescript') return typescriptKernel;
  if (simdSupported) return loadWasm();
  if (choice === 'wasm-simd') {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'WebAssembly SIMD is not available in this runtime');
  }
  return typescriptKernel;
}

let sharedWasmKernel: WasmKernel | undefined;
let simdProbe: boolean | undefined;

/** The kernel for a choice; the wasm module is compiled once, on first use. */
export function getKernel(choice: KernelChoice = 'auto'): GfKernel {
  simdProbe ??= wasmSimdSupported();
  return selectKernel(choice, simdProbe, () => (sharedWasmKernel ??= new WasmKernel()));
}

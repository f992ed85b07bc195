/** The one operation Reed-Solomon needs from a GF(2^8) implementation. */

export type KernelName = 'wasm-simd' | 'typescript';

export interface GfKernel {
  readonly name: KernelName;
  /**
   * For every output row r and byte i < len:
   *   outputs[r][i] = XOR over c of coefficients[r * inputs.length + c] · inputs[c][i].
   * There is at least one input; every input and output holds at least `len`
   * bytes; outputs are overwritten (bytes at and after `len` untouched);
   * inputs must not alias outputs.
   */
  mulRows(coefficients: Uint8Array, inputs: readonly Uint8Array[], outputs: readonly Uint8Array[], len: number): void;
}

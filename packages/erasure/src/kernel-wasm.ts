/**
 * The fast kernel: hand-written WebAssembly SIMD (wasm/gf256.wat) doing the
 * split-nibble i8x16.swizzle multiply, 16 bytes per instruction.
 *
 * WebAssembly can only touch its own memory, so shards are copied in and
 * results copied out, one segment at a time: a segment of every shard is small
 * enough (SEGMENT_BYTES each) that the copy-in is still in L2 when the kernel
 * reads it, and the module's memory stays bounded whatever the stripe size.
 * Every output byte depends only on the input bytes at the same offset, so the
 * rounding of a segment up to the kernel's 32-byte step needs no zeroing: the
 * extra bytes are computed from stale input and never copied out.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { nibbleTable } from './gf256.js';
import { GF256_WASM_BASE64 } from './gf256-wasm.generated.js';
import type { GfKernel } from './kernel.js';
import { isWasmMemory, webAssembly, type WasmMemory } from './wasm-runtime.js';

type MulRows = (nIn: number, nOut: number, inPtrs: number, outPtrs: number, tables: number, len: number) => void;

const PAGE_BYTES = 65_536;
const ALIGN = 64;
/**
 * Bytes of each shard per kernel call. Measured on 1 and 4 MiB stripes: 16 to
 * 64 KiB are within noise for 4+2, 32 KiB is a little ahead for 8+3, and from
 * 128 KiB the copy-in starts falling out of L2 (-5 to -10 %).
 */
export const DEFAULT_SEGMENT_BYTES = 32 * 1024;

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** Nibble tables of all 256 coefficients, 32 bytes each, computed once. */
const NIBBLE_TABLES: Uint8Array = (() => {
  const all = new Uint8Array(256 * 32);
  for (let c = 0; c < 256; c++) nibbleTable(c, all, c * 32);
  return all;
})();

export function wasmBytes(): Uint8Array {
  return Buffer.from(GF256_WASM_BASE64, 'base64');
}

/** Whether this runtime can compile the module (it fails without SIMD support). */
export function wasmSimdSupported(bytes: Uint8Array = wasmBytes()): boolean {
  return webAssembly()?.validate(bytes) === true;
}

/** A module instance with its memory; exposed for the benchmark of the kernel alone. */
export class Gf256Wasm {
  private readonly memory: WasmMemory;
  private readonly mulRowsExport: MulRows;

  constructor(bytes: Uint8Array = wasmBytes()) {
    const api = webAssembly();
    if (api === undefined) throw new TesseraError(ErrorCodes.INTERNAL, 'WebAssembly is not available');
    // Synchronous compile: the module is under 2 KiB.
    const { exports } = new api.Instance(new api.Module(bytes));
    const memory = exports['memory'];
    const mulRows = exports['mul_rows'];
    if (!isWasmMemory(memory) || typeof mulRows !== 'function') {
      throw new TesseraError(ErrorCodes.INTERNAL, 'unexpected wasm exports');
    }
    this.memory = memory;
    this.mulRowsExport = mulRows as MulRows;
  }

  /** Grows memory to at least `bytes`; returns a fresh view (growing detaches old ones). */
  reserve(bytes: number): Uint8Array {
    const memory = this.memory;
    const missing = bytes - memory.buffer.byteLength;
    if (missing > 0) {
      try {
        memory.grow(Math.ceil(missing / PAGE_BYTES));
      } catch (cause) {
        throw new TesseraError(ErrorCodes.INTERNAL, 'erasure kernel memory exhausted', { cause });
      }
    }
    return new Uint8Array(memory.buffer);
  }

  /** Runs the kernel on buffers already laid out in memory (see the .wat header). */
  mulRows(nIn: number, nOut: number, inPtrs: number, outPtrs: number, tables: number, len: number): void {
    this.mulRowsExport(nIn, nOut, inPtrs, outPtrs, tables, len);
  }
}

/** Writes the 32-byte tables of an nOut × nIn coefficient matrix at `at`. */
export function writeNibbleTables(memory: Uint8Array, at: number, coefficients: Uint8Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const c = coefficients[i]!;
    memory.set(NIBBLE_TABLES.subarray(c * 32, c * 32 + 32), at + i * 32);
  }
}

export class WasmKernel implements GfKernel {
  readonly name = 'wasm-simd' as const;

  constructor(
    private readonly wasm: Gf256Wasm = new Gf256Wasm(),
    private readonly segmentBytes: number = DEFAULT_SEGMENT_BYTES,
  ) {
    if (segmentBytes % ALIGN !== 0 || segmentBytes <= 0) throw new RangeError('segment must be a positive multiple of 64');
  }

  mulRows(coefficients: Uint8Array, inputs: readonly Uint8Array[], outputs: readonly Uint8Array[], len: number): void {
    const nIn = inputs.length;
    const nOut = outputs.length;
    if (nOut === 0 || len === 0) return;
    const segment = Math.min(this.segmentBytes, alignUp(len, ALIGN));
    const inPtrs = 0;
    const outPtrs = inPtrs + nIn * 4;
    const tables = alignUp(outPtrs + nOut * 4, ALIGN);
    const slots = alignUp(tables + nIn * nOut * 32, ALIGN);
    const slot = (i: number): number => slots + i * segment;
    const memory = this.wasm.reserve(slot(nIn + nOut));
    const pointers = new DataView(memory.buffer);
    for (let i = 0; i < nIn + nOut; i++) pointers.setUint32(inPtrs + i * 4, slot(i), true);
    writeNibbleTables(memory, tables, coefficients, nIn * nOut);
    for (let off = 0; off < len; off += segment) {
      const n = Math.min(segment, len - off);
      inputs.forEach((input, c) => memory.set(input.subarray(off, off + n), slot(c)));
      this.wasm.mulRows(nIn, nOut, inPtrs, outPtrs, tables, n);
      outputs.forEach((output, r) => output.set(memory.subarray(slot(nIn + r), slot(nIn + r) + n), off));
    }
  }
}

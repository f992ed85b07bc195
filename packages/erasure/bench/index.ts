/**
 * Erasure-coding and CRC32C benchmarks. Each figure is printed beside its
 * ceiling measured in the same run: memcpy of the same bytes, and the SIMD
 * kernel alone on buffers already inside wasm memory (no copies).
 * Throughput counts input bytes (the chunk), per DESIGN section 9.
 */
import { benchSync, type BenchResult } from '@tessera/common/bench';
import { CodingMatrices } from '../src/coding-matrices.js';
import { crc32c, crc32cImplementation, crc32cReference } from '../src/crc32c.js';
import { Gf256Wasm, writeNibbleTables } from '../src/kernel-wasm.js';
import { ReedSolomon, stripeBytes } from '../src/reed-solomon.js';

const SIZES = [64 * 1024, 1024 * 1024] as const;
const PROFILES = [
  [4, 2],
  [8, 3],
] as const;

function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** The kernel on shards laid out in wasm memory once: the ceiling of any copying API. */
function kernelInWasmMemory(size: number, k: number, m: number): () => void {
  const wasm = new Gf256Wasm();
  const shardSize = Math.ceil(size / k / 64) * 64;
  const tables = 4096;
  const slots = tables + k * m * 32 + 64;
  const memory = wasm.reserve(slots + (k + m) * shardSize);
  const pointers = new DataView(memory.buffer);
  for (let i = 0; i < k + m; i++) pointers.setUint32(i * 4, slots + i * shardSize, true);
  writeNibbleTables(memory, tables, new CodingMatrices().parityCoefficients(k, m), k * m);
  memory.set(pseudoRandomBytes(k * shardSize, 7), slots);
  return () => wasm.mulRows(k, m, 0, k * 4, tables, shardSize);
}

export async function runBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const simd = new ReedSolomon({ kernel: 'wasm-simd' });
  const reference = new ReedSolomon({ kernel: 'typescript' });

  for (const size of SIZES) {
    const data = pseudoRandomBytes(size, size);
    const copyTarget = new Uint8Array(size);
    results.push(benchSync('memcpy (ceiling)', size, () => copyTarget.set(data), { note: 'Uint8Array.set' }));

    results.push(benchSync(`crc32c ${crc32cImplementation()} (active)`, size, () => crc32c(data)));
    results.push(benchSync('crc32c crc-32 (reference)', size, () => crc32cReference(data)));

    for (const [k, m] of PROFILES) {
      const profile = `${k}+${m}`;
      results.push(
        benchSync(`rs kernel ${profile} wasm-simd (ceiling)`, size, kernelInWasmMemory(size, k, m), {
          note: 'shards already in wasm memory, no copies',
        }),
      );
      results.push(benchSync(`rs encode ${profile} wasm-simd`, size, () => simd.encode(data, k, m), { note: 'allocates parity' }));
      const target = new Uint8Array(stripeBytes(size, k, m));
      results.push(
        benchSync(`rs encodeInto ${profile} wasm-simd`, size, () => simd.encodeInto(data, k, m, target), { note: 'reused buffer' }),
      );
      results.push(benchSync(`rs encode ${profile} typescript`, size, () => reference.encode(data, k, m), { note: 'reference' }));

      // Two data shards lost: the common worst case for reads.
      const { shards } = simd.encode(data, k, m);
      const holes = shards.map((s, i) => (i < 2 ? null : s));
      results.push(benchSync(`rs reconstruct ${profile} wasm-simd`, size, () => simd.reconstruct(holes, k, m), { note: '2 data shards lost' }));
      results.push(
        benchSync(`rs reconstruct ${profile} typescript`, size, () => reference.reconstruct(holes, k, m), { note: '2 data shards lost' }),
      );
    }
  }
  return results;
}

/**
 * The independent oracle: the Rust `reed-solomon-erasure` crate compiled to
 * wasm (@digitaldefiance/reed-solomon-erasure.wasm), documented as compatible
 * with Backblaze JavaReedSolomon and klauspost/reedsolomon. Its ESM build
 * looks for the .wasm next to `__dirname`, which ESM does not define, so the
 * binary is loaded explicitly through the package's "./wasm" export.
 *
 * The wrapper's heap handling is broken after the first `reconstruct` on an
 * instance (a second call with every shard present returns "too few shards
 * present", later calls hit "memory access out of bounds"), so every call
 * gets a fresh instance (0.3 ms each).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ReedSolomonErasure } from '@digitaldefiance/reed-solomon-erasure.wasm';

let oracleBytes: Buffer | undefined;

/** A fresh oracle instance; use one per call. */
export function freshOracle(): ReedSolomonErasure {
  const require = createRequire(import.meta.url);
  oracleBytes ??= readFileSync(require.resolve('@digitaldefiance/reed-solomon-erasure.wasm/wasm'));
  return ReedSolomonErasure.fromBytes(oracleBytes);
}

/** All shards in one buffer, the layout the oracle works on. */
export function concatShards(shards: readonly Uint8Array[]): Uint8Array {
  const size = shards[0]?.length ?? 0;
  const out = new Uint8Array(size * shards.length);
  shards.forEach((s, i) => out.set(s, i * size));
  return out;
}

export function splitShards(buf: Uint8Array, count: number): Uint8Array[] {
  const size = buf.length / count;
  return Array.from({ length: count }, (_, i) => buf.slice(i * size, (i + 1) * size));
}

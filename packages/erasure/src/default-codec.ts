/**
 * Module-level encode/reconstruct/decode/verify on one shared codec with the
 * best kernel available ('auto'), created on first use.
 */
import type { KernelName } from './kernel.js';
import { ReedSolomon, type MaybeShard, type Stripe, type StripeInput } from './reed-solomon.js';

let shared: ReedSolomon | undefined;

function codec(): ReedSolomon {
  return (shared ??= new ReedSolomon());
}

/** Splits `data` into k zero-padded data shards plus m parity shards (unpadded data shards are views of `data`). */
export function encode(data: Uint8Array, k: number, m: number): Stripe {
  return codec().encode(data, k, m);
}

/** `encode` into caller-owned memory of at least `stripeBytes(data.length, k, m)` bytes. */
export function encodeInto(data: StripeInput, k: number, m: number, target: Uint8Array): Stripe {
  return codec().encodeInto(data, k, m, target);
}

/** All k+m shards, the missing (null) ones rebuilt from any k present. */
export function reconstruct(shards: readonly MaybeShard[], k: number, m: number): Uint8Array[] {
  return codec().reconstruct(shards, k, m);
}

/** The original bytes from any k of the k+m shards. */
export function decode(shards: readonly MaybeShard[], k: number, m: number, originalLength: number): Uint8Array {
  return codec().decode(shards, k, m, originalLength);
}

/** Whether the parity shards match the data shards. */
export function verify(shards: readonly Uint8Array[], k: number, m: number): boolean {
  return codec().verify(shards, k, m);
}

/** The kernel the module-level functions use. */
export function erasureKernel(): KernelName {
  return codec().kernelName;
}

/**
 * Systematic Reed-Solomon erasure coding: k data shards + m parity shards, any
 * k of which rebuild the rest. Parity is bit-identical to Backblaze
 * JavaReedSolomon / klauspost/reedsolomon (see coding-matrices.ts).
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { CodingMatrices, DEFAULT_MATRIX_CACHE_ENTRIES, type RebuildScope } from './coding-matrices.js';
import type { GfKernel, KernelName } from './kernel.js';
import { getKernel, type KernelChoice } from './kernels.js';
import { checkParams } from './params.js';

/** The output of `encode`: everything needed to store and later decode a stripe. */
export interface Stripe {
  readonly k: number;
  readonly m: number;
  /** Bytes per shard: max(1, ceil(originalLength / k)). */
  readonly shardSize: number;
  /** Length of the encoded data; the last data shard is zero-padded beyond it. */
  readonly originalLength: number;
  /** k data shards then m parity shards, each `shardSize` bytes. */
  readonly shards: readonly Uint8Array[];
}

/** A shard slot: the shard's bytes, or null (or undefined) when it is lost. */
export type MaybeShard = Uint8Array | null | undefined;

export interface ReedSolomonOptions {
  /** 'auto' (default) picks WebAssembly SIMD when available, else TypeScript. */
  readonly kernel?: KernelChoice;
  /** Bound on cached encoding and decode matrices (each). */
  readonly matrixCacheEntries?: number;
}

/**
 * Input to `encodeInto`: one byte string, or several whose concatenation is
 * the payload (an envelope's header, ciphertext and tag, gathered without
 * first being joined into one buffer).
 */
export type StripeInput = Uint8Array | readonly Uint8Array[];

function inputLength(data: StripeInput): number {
  if (data instanceof Uint8Array) return data.length;
  let total = 0;
  for (const part of data) total += part.length;
  return total;
}

/** Copies bytes [from, to) of the concatenated parts into `dest` at 0. */
function gather(parts: readonly Uint8Array[], from: number, to: number, dest: Uint8Array): void {
  let base = 0;
  let at = 0;
  for (const part of parts) {
    const end = base + part.length;
    if (end > from && base < to) {
      const lo = Math.max(from, base) - base;
      const hi = Math.min(to, end) - base;
      dest.set(part.subarray(lo, hi), at);
      at += hi - lo;
    }
    base = end;
    if (base >= to) break;
  }
}

/** Shard size for a payload: at least one byte, so no shard is ever empty. */
export function shardSizeFor(length: number, k: number): number {
  return Math.max(1, Math.ceil(length / k));
}

/** Bytes of a whole stripe (k + m shards) for a payload, the size `encodeInto` needs. */
export function stripeBytes(length: number, k: number, m: number): number {
  checkParams(k, m);
  return shardSizeFor(length, k) * (k + m);
}

export class ReedSolomon {
  readonly kernel: GfKernel;
  private readonly matrices: CodingMatrices;

  constructor(options: ReedSolomonOptions = {}) {
    this.kernel = getKernel(options.kernel ?? 'auto');
    this.matrices = new CodingMatrices(options.matrixCacheEntries ?? DEFAULT_MATRIX_CACHE_ENTRIES);
  }

  get kernelName(): KernelName {
    return this.kernel.name;
  }

  /** Number of decode plans currently cached (bounded by matrixCacheEntries). */
  get cachedDecodePlans(): number {
    return this.matrices.cachedPlans;
  }

  /**
   * Splits `data` into k zero-padded data shards and computes m parity shards.
   *
   * Like klauspost's Split, data shards that need no padding are views of
   * `data`, not copies: only the padded tail shards and the parity are
   * allocated. Do not modify `data` while the stripe is in use (use
   * `encodeInto` for a stripe that owns its bytes).
   */
  encode(data: Uint8Array, k: number, m: number): Stripe {
    checkParams(k, m);
    const shardSize = shardSizeFor(data.length, k);
    const viewed = Math.min(k, Math.floor(data.length / shardSize));
    // allocUnsafeSlow: no zeroing (every byte is written below) and, unlike
    // allocUnsafe, never a slice of Node's shared pool.
    const owned = Buffer.allocUnsafeSlow((k + m - viewed) * shardSize);
    const shards = Array.from({ length: k + m }, (_, i) =>
      i < viewed ? data.subarray(i * shardSize, (i + 1) * shardSize) : owned.subarray((i - viewed) * shardSize, (i - viewed + 1) * shardSize),
    );
    return this.fillStripe(data, data.length, k, m, shardSize, shards, viewed);
  }

  /**
   * Like `encode`, but every shard is a view of `target` (its first
   * `stripeBytes(data.length, k, m)` bytes): no allocation, so a caller can
   * reuse one buffer per write. `data` may be a list of parts, gathered in
   * order (no joined copy is made first).
   */
  encodeInto(data: StripeInput, k: number, m: number, target: Uint8Array): Stripe {
    checkParams(k, m);
    const length = inputLength(data);
    const shardSize = shardSizeFor(length, k);
    if (target.length < shardSize * (k + m)) {
      throw new TesseraError(ErrorCodes.ERASURE_SHARD_SIZE_MISMATCH, 'target is smaller than the stripe');
    }
    const shards = Array.from({ length: k + m }, (_, i) => target.subarray(i * shardSize, (i + 1) * shardSize));
    return this.fillStripe(data, length, k, m, shardSize, shards, 0);
  }

  /** Copies data into shards[viewed..k) with zero padding, then computes parity. */
  private fillStripe(data: StripeInput, length: number, k: number, m: number, shardSize: number, shards: Uint8Array[], viewed: number): Stripe {
    for (let i = viewed; i < k; i++) {
      const from = Math.min(length, i * shardSize);
      const to = Math.min(length, (i + 1) * shardSize);
      if (data instanceof Uint8Array) shards[i]!.set(data.subarray(from, to));
      else gather(data, from, to, shards[i]!);
      shards[i]!.fill(0, to - from);
    }
    this.kernel.mulRows(this.matrices.parityCoefficients(k, m), shards.slice(0, k), shards.slice(k), shardSize);
    return { k, m, shardSize, originalLength: length, shards };
  }

  /**
   * Rebuilds every missing shard, data and parity. Returns all k+m shards:
   * present ones as given (not copied), missing ones freshly computed.
   */
  reconstruct(shards: readonly MaybeShard[], k: number, m: number): Uint8Array[] {
    return this.rebuild(shards, k, m, 'all').shards.map((s) => s!);
  }

  /** Rebuilds what is needed and returns the original bytes. */
  decode(shards: readonly MaybeShard[], k: number, m: number, originalLength: number): Uint8Array {
    const { shards: all, shardSize } = this.rebuild(shards, k, m, 'data');
    if (!Number.isSafeInteger(originalLength) || originalLength < 0 || originalLength > shardSize * k) {
      throw new TesseraError(ErrorCodes.ERASURE_SHARD_SIZE_MISMATCH, 'original length does not fit the shards');
    }
    const out = Buffer.allocUnsafeSlow(originalLength);
    for (let i = 0, at = 0; at < originalLength; i++, at += shardSize) {
      out.set(all[i]!.subarray(0, Math.min(shardSize, originalLength - at)), at);
    }
    return out;
  }

  /** Whether the parity shards are exactly those the data shards produce. */
  verify(shards: readonly Uint8Array[], k: number, m: number): boolean {
    const shardSize = checkShards(shards, k, m);
    if (shards.some((s) => s === null || s === undefined)) {
      throw new TesseraError(ErrorCodes.ERASURE_TOO_FEW_SHARDS, 'verify needs every shard');
    }
    if (m === 0) return true;
    const expected = Array.from({ length: m }, () => Buffer.allocUnsafeSlow(shardSize));
    this.kernel.mulRows(this.matrices.parityCoefficients(k, m), shards.slice(0, k), expected, shardSize);
    return expected.every((parity, i) => parity.equals(shards[k + i]!));
  }

  private rebuild(shards: readonly MaybeShard[], k: number, m: number, scope: RebuildScope): Rebuilt {
    const shardSize = checkShards(shards, k, m);
    const present = shards.map((s) => s !== null && s !== undefined);
    const plan = this.matrices.decodePlan(k, m, present, scope);
    const result: (Uint8Array | undefined)[] = shards.map((s) => s ?? undefined);
    if (plan.outputs.length === 0) return { shards: result, shardSize };
    const outputs = plan.outputs.map(() => Buffer.allocUnsafeSlow(shardSize));
    this.kernel.mulRows(plan.coefficients, plan.inputs.map((i) => shards[i]!), outputs, shardSize);
    plan.outputs.forEach((index, j) => (result[index] = outputs[j]));
    return { shards: result, shardSize };
  }
}

interface Rebuilt {
  /** All k+m slots; with scope 'data', missing parity slots stay undefined. */
  readonly shards: (Uint8Array | undefined)[];
  readonly shardSize: number;
}

/** Checks the profile, the slot count, the present count and equal sizes; returns the shard size. */
function checkShards(shards: readonly MaybeShard[], k: number, m: number): number {
  checkParams(k, m);
  if (shards.length !== k + m) {
    throw new TesseraError(ErrorCodes.ERASURE_BAD_PARAMS, 'expected one slot per shard (k + m)');
  }
  let size = -1;
  let present = 0;
  for (const shard of shards) {
    if (shard === null || shard === undefined) continue;
    if (!(shard instanceof Uint8Array)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'shards must be Uint8Array');
    if (size === -1) size = shard.length;
    else if (shard.length !== size) throw new TesseraError(ErrorCodes.ERASURE_SHARD_SIZE_MISMATCH, 'shards differ in size');
    present++;
  }
  if (present < k) throw new TesseraError(ErrorCodes.ERASURE_TOO_FEW_SHARDS, `need at least ${k} shards, have ${present}`);
  return size;
}

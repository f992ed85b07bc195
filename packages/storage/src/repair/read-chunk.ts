/**
 * Reading a chunk from its committed placement (DESIGN section 6): data
 * shards first, parity only for what failed, decode when needed. Failed
 * shards are reported so the caller queues a repair; a damaged shard is never
 * used (the ShardIo contract: reads return CRC-verified bytes or throw).
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { decode } from '@tessera/erasure';
import type { Slot } from '../placement/topology.js';
import { keyOf, type CommittedChunk, type ShardIo } from './types.js';

export interface ShardFailure {
  readonly shardIndex: number;
  readonly slot: Slot;
  readonly error: unknown;
}

export interface ChunkRead {
  readonly data: Uint8Array;
  /** Shards that could not be read: candidates for repair. */
  readonly failed: readonly ShardFailure[];
  /** Whether parity had to be decoded. */
  readonly degraded: boolean;
}

export async function readChunk(chunk: CommittedChunk, io: ShardIo): Promise<ChunkRead> {
  const n = chunk.k + chunk.m;
  if (chunk.placement.length !== n) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'placement does not match the profile');
  const shards: Array<Uint8Array | null> = new Array<Uint8Array | null>(n).fill(null);
  const failed: ShardFailure[] = [];
  const readOne = async (i: number): Promise<void> => {
    const slot = chunk.placement[i]!;
    try {
      shards[i] = await io.readShard(slot, keyOf(chunk, i));
    } catch (error) {
      failed.push({ shardIndex: i, slot, error });
    }
  };
  await Promise.all(Array.from({ length: chunk.k }, (_, i) => readOne(i)));
  let good = chunk.k - failed.length;
  // Parity, as many as the failures need, then more if parity fails too.
  let next = chunk.k;
  while (good < chunk.k && next < n) {
    const want = Math.min(chunk.k - good, n - next);
    const batch = Array.from({ length: want }, (_, j) => next + j);
    next += want;
    await Promise.all(batch.map((i) => readOne(i)));
    good = shards.filter((s) => s !== null).length;
  }
  if (good < chunk.k) {
    throw new TesseraError(ErrorCodes.CHUNK_UNRECOVERABLE, `only ${good} of ${chunk.k} needed shards could be read`);
  }
  const degraded = shards.slice(0, chunk.k).some((s) => s === null);
  return { data: decode(shards, chunk.k, chunk.m, chunk.size), failed: failed.sort((a, b) => a.shardIndex - b.shardIndex), degraded };
}

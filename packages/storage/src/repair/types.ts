/** Shapes shared by the read, repair and evacuation primitives. */
import type { ShardKey } from '../format/shard-key.js';
import type { Slot, Topology } from '../placement/topology.js';

/** The committed chunk record as far as shards are concerned (the metadata group holds the rest). */
export interface CommittedChunk {
  readonly chunkId: Uint8Array;
  readonly writeId: Uint8Array;
  readonly k: number;
  readonly m: number;
  /** Length of the sealed chunk the stripe encodes (what decode returns). */
  readonly size: number;
  readonly sysEpoch: number;
  readonly gatewayTime: number;
  /** placement[i] holds shard i. */
  readonly placement: readonly Slot[];
}

export interface ShardWriteRequest extends ShardKey {
  readonly payload: Uint8Array;
  readonly sysEpoch: number;
  readonly gatewayTime: number;
  readonly purpose: 'repair';
}

/**
 * Cluster-wide shard I/O, supplied by the node (local devices directly,
 * remote ones over the peer port). Reads return CRC-verified bytes or throw;
 * writes resolve once the shard is durable on that slot.
 */
export interface ShardIo {
  readShard(slot: Slot, key: ShardKey): Promise<Uint8Array>;
  writeShard(slot: Slot, write: ShardWriteRequest): Promise<void>;
}

export interface ShardMove {
  readonly shardIndex: number;
  /** Where the shard was (undefined never happens for a committed placement, kept for clarity). */
  readonly from: Slot;
  readonly to: Slot;
  /** Rebuilt from other shards (true) or copied from the old slot (false). */
  readonly rebuilt: boolean;
}

export interface RepairContext {
  readonly io: ShardIo;
  readonly topology: Topology;
  readonly pool: string;
}

export function keyOf(chunk: CommittedChunk, shardIndex: number): ShardKey {
  return { chunkId: chunk.chunkId, writeId: chunk.writeId, shardIndex };
}

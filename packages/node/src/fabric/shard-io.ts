/**
 * Cluster-wide shard I/O for the read, repair and evacuation primitives of
 * @tessera/storage, and for a gateway's first writes: a slot on this node
 * goes straight to the local store, a slot on another node over Fabric.
 *
 * A remote repair write is sent as an ordinary write: PutShard carries no
 * purpose, so the recipient does not let it into the device's maintenance
 * reserve (a local repair write does use it).
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { ShardIo, ShardKey, ShardStore, ShardWriteRequest, Slot } from '@tessera/storage';
import type { FabricClients, ShardPresence } from './peer-client.js';
import { localShardLength } from './local-shard.js';

export interface ClusterShardIoOptions {
  readonly localNodeId: string;
  readonly store: ShardStore;
  readonly clients: FabricClients;
  /** Peer address of a node (the committed topology, or a configured override); undefined when unknown. */
  readonly addressOf: (nodeId: string) => string | undefined;
}

/** A first write of a shard (a gateway storing a fresh stripe). */
export interface NewShardWrite extends ShardKey {
  /** Not copied: must stay unchanged until the write settles. */
  readonly payload: Uint8Array;
  readonly sysEpoch: number;
  readonly gatewayTime: number;
}

export class ClusterShardIo implements ShardIo {
  constructor(private readonly opts: ClusterShardIoOptions) {}

  async readShard(slot: Slot, key: ShardKey): Promise<Uint8Array> {
    if (slot.nodeId === this.opts.localNodeId) return (await this.opts.store.readShard(slot.deviceId, key)).payload;
    return this.opts.clients.getShard(this.address(slot), key, slot.deviceId);
  }

  /** Whether the slot's device holds the shard record (index only; the local store answers directly). */
  async hasShard(slot: Slot, key: ShardKey): Promise<ShardPresence> {
    if (slot.nodeId === this.opts.localNodeId) {
      const length = await localShardLength(this.opts.store, slot.deviceId, key);
      return length === undefined ? { present: false, length: 0 } : { present: true, length };
    }
    return this.opts.clients.hasShard(this.address(slot), key, slot.deviceId);
  }

  /** Repair and evacuation writes. */
  writeShard(slot: Slot, write: ShardWriteRequest): Promise<void> {
    return this.put(slot, write, 'repair');
  }

  /** A gateway's first write of a shard; resolves once it is durable on the slot. */
  writeNew(slot: Slot, write: NewShardWrite): Promise<void> {
    return this.put(slot, write, 'new');
  }

  private async put(slot: Slot, write: NewShardWrite, purpose: 'new' | 'repair'): Promise<void> {
    const { chunkId, writeId, shardIndex, payload, sysEpoch, gatewayTime } = write;
    if (slot.nodeId === this.opts.localNodeId) {
      await this.opts.store.putShard(slot.deviceId, { chunkId, writeId, shardIndex, payload, sysEpoch, gatewayTime, purpose });
      return;
    }
    await this.opts.clients.putShard(this.address(slot), { deviceId: slot.deviceId, chunkId, writeId, shardIndex, payload, sysEpoch, gatewayTime });
  }

  private address(slot: Slot): string {
    const address = this.opts.addressOf(slot.nodeId);
    if (address === undefined || address === '') {
      throw new TesseraError(ErrorCodes.TRANSPORT_PEER_UNREACHABLE, `no known address for node ${slot.nodeId}`, { retriable: true });
    }
    return address;
  }
}

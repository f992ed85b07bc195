/**
 * An in-process "cluster" for the maintenance tests: real ShardStores (one
 * per node, devices in temp folders), shard I/O routed to them by node id (a
 * node can be cut off), and a real metadata machine whose proposer applies
 * every command at once, as the leader would.
 */
import { ErrorCodes, Logger, TesseraError } from '@tessera/common';
import { tempDirs } from '@tessera/common/testing';
import { encode } from '@tessera/erasure';
import { ShardStore, type ShardKey, type ShardWriteRequest, type Slot } from '@tessera/storage';
import type { ShardPresence } from '../../src/fabric/peer-client.js';
import type { NewShardWrite } from '../../src/fabric/shard-io.js';
import type { MetadataCommand } from '../../src/metadata/commands.js';
import type { MetadataResult } from '../../src/metadata/machine.js';
import type { ChunkRecord } from '../../src/metadata/types.js';
import type { MaintenanceIo } from '../../src/maintenance/maintenance.js';
import { Harness } from './metadata-fixtures.js';

const MiB = 1024 * 1024;

export const quietLogger = (): Logger => new Logger({ level: 'error', sink: { write: () => undefined } });

export class MaintenanceCluster implements MaintenanceIo {
  readonly stores = new Map<string, ShardStore>();
  /** Nodes whose shard calls fail as unreachable. */
  readonly cut = new Set<string>();
  readonly proposals: MetadataCommand[] = [];
  clock = Date.now;

  private constructor(
    readonly harness: Harness,
    readonly dirs: ReturnType<typeof tempDirs>,
  ) {}

  static async start(nodes: readonly string[], devices: readonly string[]): Promise<MaintenanceCluster> {
    const dirs = tempDirs('tessera-maintenance-');
    const cluster = new MaintenanceCluster(await Harness.inMemory(), dirs);
    const now = Date.now();
    for (const nodeId of nodes) {
      const configs = [];
      for (const deviceId of devices) configs.push({ deviceId, path: await dirs.make(`${nodeId}-${deviceId}`), capacityBytes: 256 * MiB });
      cluster.stores.set(nodeId, await ShardStore.open({ nodeId, devices: configs, maxExtentBytes: 16 * MiB, crashSim: false, healthCheckIntervalMs: 0 }));
      await cluster.harness.one({ op: 'registerNode', timeMs: now, node: { nodeId, address: `127.0.0.1:1${nodes.indexOf(nodeId)}` } });
      for (const deviceId of devices) {
        await cluster.harness.one({ op: 'addDevice', timeMs: now, device: { nodeId, deviceId, pool: 'default', capacityBytes: 256 * MiB, state: 'healthy' } });
      }
    }
    return cluster;
  }

  get machine() {
    return this.harness.machine;
  }

  readonly proposer = {
    propose: async (cmd: MetadataCommand): Promise<MetadataResult> => {
      this.proposals.push(cmd);
      return this.harness.one(cmd);
    },
    isLeader: (): boolean => true,
  };

  readonly readBarrier = async (): Promise<void> => undefined;

  private store(slot: Slot): ShardStore {
    if (this.cut.has(slot.nodeId)) throw new TesseraError(ErrorCodes.TRANSPORT_PEER_UNREACHABLE, 'cut off', { retriable: true });
    const store = this.stores.get(slot.nodeId);
    if (store === undefined) throw new TesseraError(ErrorCodes.TRANSPORT_PEER_UNREACHABLE, 'no such node', { retriable: true });
    return store;
  }

  async readShard(slot: Slot, key: ShardKey): Promise<Uint8Array> {
    return (await this.store(slot).readShard(slot.deviceId, key)).payload;
  }

  async writeShard(slot: Slot, write: ShardWriteRequest): Promise<void> {
    await this.store(slot).putShard(slot.deviceId, write);
  }

  async writeNew(slot: Slot, write: NewShardWrite): Promise<void> {
    await this.store(slot).putShard(slot.deviceId, { ...write, purpose: 'new' });
  }

  async hasShard(slot: Slot, key: ShardKey): Promise<ShardPresence> {
    const location = await this.store(slot).device(slot.deviceId).locate(key);
    return location === undefined ? { present: false, length: 0 } : { present: true, length: location.payloadLength };
  }

  /** Writes `shards` to `slots` (shard i on slots[i]) and commits the chunk record. */
  async commitStripe(chunkId: Buffer, writeId: Buffer, shards: readonly Uint8Array[], slots: readonly Slot[], opts: { k: number; m: number; size: number; sysEpoch?: number; tenEpoch?: number }): Promise<ChunkRecord> {
    const gatewayTime = this.clock();
    const sysEpoch = opts.sysEpoch ?? 1;
    await Promise.all(shards.map((payload, shardIndex) => this.writeNew(slots[shardIndex]!, { chunkId, writeId, shardIndex, payload, sysEpoch, gatewayTime })));
    const result = await this.proposer.propose({
      op: 'commitChunk',
      timeMs: this.clock(),
      chunk: {
        chunkId,
        size: opts.size,
        k: opts.k,
        m: opts.m,
        slots: slots.map((s, shardIndex) => ({ ...s, shardIndex })),
        writeId,
        sysEpoch,
        tenEpoch: opts.tenEpoch ?? 0,
        gatewayTimeMs: gatewayTime,
      },
    });
    if (result.kind !== 'chunk') throw new Error(`commit refused: ${JSON.stringify(result)}`);
    return this.machine.chunk(chunkId)!;
  }

  /** A stripe of random bytes (no envelope: repair never opens one), committed on `slots`. */
  async randomChunk(n: number, slots: readonly Slot[], k = 4, m = 2): Promise<{ record: ChunkRecord; data: Buffer }> {
    const data = Buffer.alloc(64 * 1024 + n, n);
    for (let i = 0; i < data.length; i += 97) data[i] = (i * 31 + n) & 0xff;
    const stripe = encode(data, k, m);
    const record = await this.commitStripe(Buffer.alloc(32, n), Buffer.alloc(16, n), stripe.shards, slots, { k, m, size: data.length });
    return { record, data };
  }

  async close(): Promise<void> {
    for (const store of this.stores.values()) await store.close();
    await this.dirs.cleanup();
  }
}

export const slot = (nodeId: string, deviceId: string): Slot => ({ nodeId, deviceId });

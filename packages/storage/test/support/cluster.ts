/**
 * An in-process "cluster" for repair tests: one ShardStore per node, a
 * ShardIo that routes slots to them (what the node does over the peer port),
 * and the topology placement sees.
 */
import type { TempDirs } from '@tessera/common/testing';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { encode } from '@tessera/erasure';
import { randomBytes } from 'node:crypto';
import { proposePlacement } from '../../src/placement/plan.js';
import type { Slot, Topology, TopologyDevice } from '../../src/placement/topology.js';
import type { CommittedChunk, ShardIo } from '../../src/repair/types.js';
import { ShardStore } from '../../src/store.js';
import type { BadRecordReport } from '../../src/device/types.js';

export interface TestCluster {
  readonly stores: ReadonlyMap<string, ShardStore>;
  readonly io: ShardIo;
  readonly down: Set<string>;
  readonly bad: BadRecordReport[];
  topology(): Topology;
  /** Encodes `data` k+m, places it, writes every shard (re-placing failed slots) and returns the committed record. */
  write(data: Uint8Array, k: number, m: number): Promise<CommittedChunk>;
  devicePath(slot: Slot): string;
  close(): Promise<void>;
}

export async function makeCluster(dirs: TempDirs, nodeCount: number, devicesPerNode: number, capacityBytes = 64 * 1024 * 1024): Promise<TestCluster> {
  const stores = new Map<string, ShardStore>();
  const paths = new Map<string, string>();
  const bad: BadRecordReport[] = [];
  for (let n = 1; n <= nodeCount; n++) {
    const nodeId = `n${n}`;
    const devices = [];
    for (let d = 1; d <= devicesPerNode; d++) {
      const path = await dirs.make(`${nodeId}-d${d}`);
      paths.set(`${nodeId}/d${d}`, path);
      devices.push({ deviceId: `d${d}`, path, capacityBytes });
    }
    stores.set(nodeId, await ShardStore.open({ nodeId, devices, maxExtentBytes: 256 * 1024, crashSim: false, mutations: new Set(), healthCheckIntervalMs: 0, onBadRecord: (r) => bad.push(r) }));
  }
  const down = new Set<string>();
  const storeOf = (slot: Slot): ShardStore => {
    const store = stores.get(slot.nodeId);
    if (store === undefined || down.has(slot.nodeId)) throw new TesseraError(ErrorCodes.TRANSPORT_PEER_UNREACHABLE, 'node down', { retriable: true });
    return store;
  };
  const io: ShardIo = {
    readShard: async (slot, key) => (await storeOf(slot).readShard(slot.deviceId, key)).payload,
    writeShard: async (slot, write) => {
      await storeOf(slot).putShard(slot.deviceId, write);
    },
  };
  const topology = (): Topology => ({
    nodes: [...stores.keys()].map((nodeId) => ({ nodeId, live: !down.has(nodeId) })),
    devices: [...stores.entries()].flatMap(([nodeId, store]) =>
      store.info().map(
        (d): TopologyDevice => ({
          nodeId,
          deviceId: d.deviceId,
          pool: 'default',
          state: d.state,
          capacityBytes: 'capacityBytes' in d ? d.capacityBytes : capacityBytes,
          usedBytes: 'usedBytes' in d ? d.usedBytes : 0,
        }),
      ),
    ),
  });
  return {
    stores,
    io,
    down,
    bad,
    topology,
    async write(data, k, m) {
      const chunkId = randomBytes(32);
      const writeId = randomBytes(16);
      const plan = proposePlacement({ topology: topology(), pool: 'default', chunkId, k, m });
      const stripe = encode(data, k, m);
      for (let i = 0; i < k + m; i++) {
        for (;;) {
          const slot = plan.slots[i]!;
          try {
            await io.writeShard(slot, { chunkId, writeId, shardIndex: i, payload: stripe.shards[i]!, sysEpoch: 1, gatewayTime: 1000, purpose: 'repair' });
            break;
          } catch {
            plan.replace(i);
          }
        }
      }
      return { chunkId, writeId, k, m, size: data.length, sysEpoch: 1, gatewayTime: 1000, placement: [...plan.slots] };
    },
    devicePath: (slot) => paths.get(`${slot.nodeId}/${slot.deviceId}`)!,
    async close() {
      await Promise.all([...stores.values()].map((s) => s.close()));
    },
  };
}

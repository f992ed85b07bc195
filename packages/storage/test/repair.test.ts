import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes } from '@tessera/common';
import { extentFileName } from '../src/format/extent-header.js';
import { RECORD_HEADER_BYTES } from '../src/format/record.js';
import { afterEach, describe, expect, it } from 'vitest';
import { sameSlot, type Slot } from '../src/placement/topology.js';
import { evacuateDevice } from '../src/repair/evacuate.js';
import { readChunk } from '../src/repair/read-chunk.js';
import { repairChunk } from '../src/repair/repair.js';
import type { CommittedChunk, ShardIo } from '../src/repair/types.js';
import { makeCluster, type TestCluster } from './support/cluster.js';
import { testDirs } from './support/devices.js';
import { keyFromSeed, payloadFor } from './support/shards.js';

const dirs = testDirs('repair');
let cluster: TestCluster | undefined;
afterEach(async () => {
  await cluster?.close();
  cluster = undefined;
  await dirs.cleanup();
});

const data = (seed: number, length = 50_000): Buffer => payloadFor(keyFromSeed(seed), length);

async function expectIntact(c: TestCluster, chunk: CommittedChunk, bytes: Buffer): Promise<void> {
  const read = await readChunk(chunk, c.io);
  expect(read.failed).toEqual([]);
  expect(Buffer.from(read.data).equals(bytes)).toBe(true);
}

describe('repair', () => {
  it('rebuilds missing and corrupt shards onto new slots and reports the moves', async () => {
    cluster = await makeCluster(dirs, 3, 3);
    const bytes = data(1);
    const chunk = await cluster.write(bytes, 4, 2);
    // Shard 0 deleted, another shard on another node unreadable (damaged).
    const s0 = chunk.placement[0]!;
    const other = chunk.placement.findIndex((s) => s.nodeId !== s0.nodeId);
    await cluster.stores.get(s0.nodeId)!.deleteShard(s0.deviceId, { chunkId: chunk.chunkId, writeId: chunk.writeId, shardIndex: 0 });
    const io: ShardIo = {
      readShard: (slot, key) => (key.shardIndex === other ? Promise.reject(new Error('checksum')) : cluster!.io.readShard(slot, key)),
      writeShard: (slot, write) => cluster!.io.writeShard(slot, write),
    };
    const result = await repairChunk(chunk, { io, topology: cluster.topology(), pool: 'default' });
    expect(result.moved.map((m) => [m.shardIndex, m.rebuilt])).toEqual([
      [0, true],
      [other, true],
    ]);
    expect(result.underProtected).toBe(false);
    for (const m of result.moved) expect(chunk.placement.some((s) => sameSlot(s, m.to))).toBe(false);
    await expectIntact(cluster, { ...chunk, placement: result.placement }, bytes);
  });

  it('takes the next slot when writing a repaired shard fails', async () => {
    cluster = await makeCluster(dirs, 3, 3);
    const bytes = data(2);
    const chunk = await cluster.write(bytes, 4, 2);
    const failedOnce: Slot[] = [];
    const io: ShardIo = {
      readShard: (slot, key) => (key.shardIndex === 2 ? Promise.reject(new Error('gone')) : cluster!.io.readShard(slot, key)),
      writeShard: (slot, write) => {
        if (failedOnce.length === 0) {
          failedOnce.push(slot);
          return Promise.reject(new Error('peer unreachable'));
        }
        return cluster!.io.writeShard(slot, write);
      },
    };
    const result = await repairChunk(chunk, { io, topology: cluster.topology(), pool: 'default' });
    expect(result.moved).toHaveLength(1);
    expect(sameSlot(result.moved[0]!.to, failedOnce[0]!)).toBe(false);
    await expectIntact(cluster, { ...chunk, placement: result.placement }, bytes);
  });

  it('refuses with CHUNK_UNRECOVERABLE below k good shards and INSUFFICIENT_DEVICES without room', async () => {
    cluster = await makeCluster(dirs, 3, 2);
    const chunk = await cluster.write(data(3), 4, 2);
    const dead: ShardIo = { readShard: () => Promise.reject(new Error('gone')), writeShard: cluster.io.writeShard };
    await expect(repairChunk(chunk, { io: dead, topology: cluster.topology(), pool: 'default' })).rejects.toMatchObject({ code: ErrorCodes.CHUNK_UNRECOVERABLE });
    await expect(readChunk(chunk, dead)).rejects.toMatchObject({ code: ErrorCodes.CHUNK_UNRECOVERABLE });
    // Six devices, six shards: nowhere to put a rebuilt one.
    const oneBad: ShardIo = { readShard: (s, k) => (k.shardIndex === 1 ? Promise.reject(new Error('x')) : cluster!.io.readShard(s, k)), writeShard: cluster.io.writeShard };
    await expect(repairChunk(chunk, { io: oneBad, topology: cluster.topology(), pool: 'default' })).rejects.toMatchObject({
      code: ErrorCodes.INSUFFICIENT_DEVICES,
      retriable: true,
    });
  });
});

describe('evacuation', () => {
  it('moves every shard off a device, copying good ones and rebuilding a damaged one', async () => {
    cluster = await makeCluster(dirs, 3, 3);
    const chunks: Array<{ chunk: CommittedChunk; bytes: Buffer }> = [];
    for (let i = 0; i < 12; i++) {
      const bytes = data(100 + i, 20_000 + i);
      chunks.push({ chunk: await cluster.write(bytes, 4, 2), bytes });
    }
    const slot: Slot = { nodeId: 'n1', deviceId: 'd1' };
    const store = cluster.stores.get('n1')!;
    store.setDeviceState('d1', 'evacuating', 'operator drain');
    const onDevice = await store.listShards('d1', { limit: 1000 });
    expect(onDevice.length).toBeGreaterThan(0);
    // An orphan (no committed record) stays: GC owns it.
    await cluster.stores.get('n1')!.device('d1').setState('healthy', 'write orphan');
    await store.putShard('d1', { ...keyFromSeed(999), payload: Buffer.alloc(10), sysEpoch: 1, gatewayTime: 1 });
    store.setDeviceState('d1', 'evacuating', 'operator drain');
    // One shard on the device is damaged: it must be rebuilt from the others, not copied.
    const damaged = (await store.device('d1').locate(onDevice[0]!.key))!;
    const file = join(cluster.devicePath(slot), 'extents', extentFileName(damaged.extentId));
    const handle = await fs.open(file, 'r+');
    await handle.write(Buffer.from('oops'), 0, 4, damaged.offset + RECORD_HEADER_BYTES + 5);
    await handle.close();

    const records = new Map(chunks.map(({ chunk }) => [Buffer.from(chunk.chunkId).toString('hex'), chunk]));
    const committed = new Map<string, CommittedChunk>();
    const report = await evacuateDevice({
      io: cluster.io,
      topology: cluster.topology(),
      pool: 'default',
      slot,
      shards: (async function* () {
        for (const s of await store.listShards('d1', { limit: 1000 })) yield s.key;
      })(),
      lookup: async (key) => records.get(Buffer.from(key.chunkId).toString('hex')),
      onMoved: (chunk, result) => void committed.set(Buffer.from(chunk.chunkId).toString('hex'), { ...chunk, placement: result.placement }),
    });
    expect(report).toMatchObject({ examined: onDevice.length + 1, moved: onDevice.length, rebuilt: 1, skipped: 1, failed: 0 });
    for (const { chunk, bytes } of chunks) {
      const now = committed.get(Buffer.from(chunk.chunkId).toString('hex')) ?? chunk;
      expect(now.placement.some((s) => sameSlot(s, slot))).toBe(false);
      await expectIntact(cluster, now, bytes);
    }
  });
});

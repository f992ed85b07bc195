import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes } from '@tessera/common';
import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../src/device/device.js';
import type { BadRecordReport } from '../src/device/types.js';
import { extentFileName } from '../src/format/extent-header.js';
import { RECORD_HEADER_BYTES } from '../src/format/record.js';
import type { ShardKey } from '../src/format/shard-key.js';
import { readChunk } from '../src/repair/read-chunk.js';
import { repairChunk } from '../src/repair/repair.js';
import { makeCluster } from './support/cluster.js';
import { openTestDevice, testDirs } from './support/devices.js';
import { keyFromSeed, payloadFor } from './support/shards.js';

const dirs = testDirs('faults');
afterEach(() => dirs.cleanup());

const write = (key: ShardKey, length: number, purpose: 'new' | 'repair' = 'new') => ({ ...key, payload: payloadFor(key, length), sysEpoch: 1, gatewayTime: 9, purpose });

async function extentPath(path: string, device: Device, key: ShardKey): Promise<{ file: string; offset: number }> {
  const loc = (await device.locate(key))!;
  return { file: join(path, 'extents', extentFileName(loc.extentId)), offset: loc.offset };
}

async function flipByte(file: string, at: number): Promise<void> {
  const handle = await fs.open(file, 'r+');
  const b = Buffer.alloc(1);
  await handle.read(b, 0, 1, at);
  b[0] = b[0]! ^ 0x5a;
  await handle.write(b, 0, 1, at);
  await handle.close();
}

describe('damaged bytes', () => {
  it('a flipped byte: the read reports corruption (never the bytes) and scrub finds it', async () => {
    const path = await dirs.make();
    const bad: BadRecordReport[] = [];
    const device = await openTestDevice({ path, onBadRecord: (r) => bad.push(r) });
    const keys = Array.from({ length: 6 }, (_, i) => keyFromSeed(i));
    for (const key of keys) await device.put(write(key, 4000));
    const { file, offset } = await extentPath(path, device, keys[2]!);
    await flipByte(file, offset + RECORD_HEADER_BYTES + 1234);

    await expect(device.read(keys[2]!)).rejects.toMatchObject({ code: ErrorCodes.CHECKSUM_MISMATCH });
    expect(device.info().counters.checksumErrors).toBe(1);
    expect(bad).toHaveLength(1);
    expect(bad[0]).toMatchObject({ deviceId: 'd1', live: true, problem: 'checksum', detectedBy: 'read', key: { shardIndex: 0 } });
    for (const key of keys.filter((_, i) => i !== 2)) expect((await device.read(key)).payload.equals(payloadFor(key, 4000))).toBe(true);

    const found: BadRecordReport[] = [];
    const run = await device.scrub({ bytesPerSecond: 0, onBadRecord: (r) => found.push(r) });
    expect(run).toMatchObject({ errorsFound: 1, recordsChecked: 5, passCompleted: true });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ live: true, detectedBy: 'scrub', offset });
    expect(Buffer.from(found[0]!.key!.chunkId).equals(Buffer.from(keys[2]!.chunkId))).toBe(true);
    await device.close();
  });

  it('a flipped header byte is found by scrub through the index', async () => {
    const path = await dirs.make();
    const device = await openTestDevice({ path });
    const keys = Array.from({ length: 4 }, (_, i) => keyFromSeed(i));
    for (const key of keys) await device.put(write(key, 1000));
    const { file, offset } = await extentPath(path, device, keys[1]!);
    await flipByte(file, offset + 20); // inside the chunk id
    const found: BadRecordReport[] = [];
    const run = await device.scrub({ bytesPerSecond: 0, onBadRecord: (r) => found.push(r) });
    expect(run.errorsFound).toBe(1);
    expect(found[0]).toMatchObject({ live: true, offset });
    expect(Buffer.from(found[0]!.key!.writeId).equals(Buffer.from(keys[1]!.writeId))).toBe(true);
    await expect(device.read(keys[1]!)).rejects.toMatchObject({ code: ErrorCodes.CHECKSUM_MISMATCH });
    await device.close();
  });

  it('a truncated extent file: lost shards are reported and forgotten, the rest stays readable', async () => {
    const path = await dirs.make();
    const device = await openTestDevice({ path, maxExtentBytes: 1024 * 1024 });
    const keys = Array.from({ length: 10 }, (_, i) => keyFromSeed(i));
    for (const key of keys) await device.put(write(key, 5000));
    const { file, offset } = await extentPath(path, device, keys[6]!);
    // While running: the read finds the bytes gone.
    await fs.truncate(file, offset + 3000);
    await expect(device.read(keys[8]!)).rejects.toMatchObject({ code: ErrorCodes.CHECKSUM_MISMATCH });
    await device.close();

    const bad: BadRecordReport[] = [];
    const again = await openTestDevice({ path, maxExtentBytes: 1024 * 1024, onBadRecord: (r) => bad.push(r) });
    expect(again.report.recovery.lostRecords).toBe(4);
    expect(bad.filter((b) => b.problem === 'lost').map((b) => b.key!.chunkId)).toHaveLength(4);
    for (const key of keys.slice(0, 6)) expect((await again.read(key)).payload.equals(payloadFor(key, 5000))).toBe(true);
    for (const key of keys.slice(6)) await expect(again.read(key)).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
    await again.put(write(keyFromSeed(99), 100));
    expect((await again.read(keyFromSeed(99))).payload.length).toBe(100);
    await again.close();
  });
});

describe('a device folder removed while running', () => {
  it('fails the device; its shards are read through parity and repaired elsewhere', async () => {
    const cluster = await makeCluster(dirs, 3, 3);
    try {
      const data = payloadFor(keyFromSeed(1), 100_000);
      const chunk = await cluster.write(data, 4, 2);
      const victim = chunk.placement[1]!; // a data shard
      await fs.rm(cluster.devicePath(victim), { recursive: true, force: true });

      const states = await cluster.stores.get(victim.nodeId)!.checkHealth();
      expect(states[victim.deviceId]).toBe('failed');
      await expect(cluster.stores.get(victim.nodeId)!.putShard(victim.deviceId, write(keyFromSeed(5), 10))).rejects.toMatchObject({
        code: ErrorCodes.DEVICE_UNAVAILABLE,
      });

      const read = await readChunk(chunk, cluster.io);
      expect(Buffer.from(read.data).equals(data)).toBe(true);
      expect(read.degraded).toBe(true);
      expect(read.failed.map((f) => f.shardIndex)).toEqual([1]);

      const repaired = await repairChunk(chunk, { io: cluster.io, topology: cluster.topology(), pool: 'default' });
      expect(repaired.moved).toHaveLength(1);
      expect(repaired.moved[0]).toMatchObject({ shardIndex: 1, from: victim, rebuilt: true });
      expect(repaired.placement.some((s) => s.nodeId === victim.nodeId && s.deviceId === victim.deviceId)).toBe(false);
      const after = await readChunk({ ...chunk, placement: repaired.placement }, cluster.io);
      expect(after).toMatchObject({ degraded: false, failed: [] });
      expect(Buffer.from(after.data).equals(data)).toBe(true);
    } finally {
      await cluster.close();
    }
  });
});

describe('filling a device past each threshold', () => {
  it('refuses new data at 97 % and keeps deletes, compaction and repair working at every level', async () => {
    const path = await dirs.make();
    const capacity = 600 * 1024;
    const device = await openTestDevice({ path, capacityBytes: capacity, maxExtentBytes: 24 * 1024 });
    const keys: ShardKey[] = [];
    const seen: string[] = [];
    let refusedNewData = 0;
    let n = 0;
    for (const level of ['warning', 'critical', 'read-only', 'full'] as const) {
      while (device.info().level !== level) {
        const key = keyFromSeed(n++);
        // New data until the device refuses it (97 %); past that only repair may write.
        const stored = await device.put(write(key, 6000)).then(
          () => true,
          (err: { code?: string }) => {
            expect(err.code).toBe(ErrorCodes.DEVICE_FULL);
            expect(device.usedBytes() + 6080).toBeGreaterThan(capacity * 0.97);
            refusedNewData++;
            return false;
          },
        );
        if (!stored) await device.put(write(key, 2000, 'repair'));
        keys.push(key);
      }
      seen.push(device.info().level);
      // Deletes and compaction still work at this level.
      expect(await device.delete(keys.shift()!)).toBe(true);
      await expect(device.compact({ minDeadRatio: 0.9 })).resolves.toBeDefined();
    }
    expect(seen).toEqual(['warning', 'critical', 'read-only', 'full']);
    expect(refusedNewData).toBeGreaterThan(0);
    // Deleting half and compacting brings the device back under the thresholds.
    for (const key of keys.splice(0, Math.ceil(keys.length / 2))) expect(await device.delete(key)).toBe(true);
    const compacted = await device.compact({ minDeadRatio: 0.3 });
    expect(compacted.bytesReclaimed).toBeGreaterThan(0);
    expect(['ok', 'warning']).toContain(device.info().level);
    await device.put(write(keyFromSeed(10_000), 6000));
    for (const key of keys) expect(await device.has(key)).toBe(true);
    await device.close();
  });
});

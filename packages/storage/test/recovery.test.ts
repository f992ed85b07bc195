import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes } from '@tessera/common';
import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../src/device/device.js';
import { encodeRecord } from '../src/format/record.js';
import type { ShardKey } from '../src/format/shard-key.js';
import { openTestDevice, testDirs, type TestDeviceOptions } from './support/devices.js';
import { keyFromSeed, payloadFor } from './support/shards.js';

const dirs = testDirs('recovery');
afterEach(() => dirs.cleanup());

const write = (key: ShardKey, length: number) => ({ ...key, payload: payloadFor(key, length), sysEpoch: 1, gatewayTime: 1000 + key.shardIndex });

async function expectShards(device: Device, live: ReadonlyArray<[ShardKey, number]>, gone: readonly ShardKey[]): Promise<void> {
  for (const [key, length] of live) expect((await device.read(key)).payload.equals(payloadFor(key, length))).toBe(true);
  for (const key of gone) await expect(device.read(key)).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
}

async function extentFiles(path: string): Promise<string[]> {
  return (await fs.readdir(join(path, 'extents'))).sort();
}

describe('index rebuild and forward scan', () => {
  it('rebuilds the whole index from the extent files after the index is deleted', async () => {
    const path = await dirs.make();
    const opts: TestDeviceOptions = { path, maxExtentBytes: 32 * 1024 };
    const device = await openTestDevice(opts);
    const live: Array<[ShardKey, number]> = [];
    const gone: ShardKey[] = [];
    for (let i = 0; i < 30; i++) {
      const key = keyFromSeed(i, i % 5);
      await device.put(write(key, 1000 + i * 37));
      live.push([key, 1000 + i * 37]);
    }
    for (const i of [3, 9, 17, 29]) {
      await device.delete(live[i]![0]);
      gone.push(live[i]![0]);
    }
    // A re-put of a deleted key after its tombstone must stay live.
    await device.put(write(live[3]![0], 222));
    const expectLive = live.filter(([k]) => !gone.includes(k) || k === live[3]![0]).map(([k, n]): [ShardKey, number] => [k, k === live[3]![0] ? 222 : n]);
    const expectGone = gone.filter((k) => k !== live[3]![0]);
    await device.flush();
    const before = device.info();
    await device.close();

    await fs.rm(join(path, 'index'), { recursive: true, force: true });
    const rebuilt = await openTestDevice(opts);
    expect(rebuilt.report.indexRebuilt).toBe(true);
    expect(rebuilt.report.recovery.recordsIndexed).toBe(31);
    expect(rebuilt.report.recovery.tombstonesApplied).toBe(4);
    await expectShards(rebuilt, expectLive, expectGone);
    expect(rebuilt.info().liveBytes).toBe(before.liveBytes);
    expect((await rebuilt.list({ limit: 100 })).length).toBe(expectLive.length);
    await rebuilt.close();
  });

  it('finds synced records whose index update a crash lost', async () => {
    const path = await dirs.make();
    const opts: TestDeviceOptions = { path, crashSim: true, indexSyncEvery: 1_000_000 };
    const device = await openTestDevice(opts);
    const keys = Array.from({ length: 12 }, (_, i) => keyFromSeed(i));
    for (const key of keys) await device.put(write(key, 3000));
    await device.delete(keys[5]!);
    await device.crash();

    const again = await openTestDevice(opts);
    expect(again.report.indexRebuilt).toBe(false);
    expect(again.report.recovery.recordsIndexed).toBe(12);
    expect(again.report.recovery.tombstonesApplied).toBe(1);
    await expectShards(
      again,
      keys.filter((_, i) => i !== 5).map((k): [ShardKey, number] => [k, 3000]),
      [keys[5]!],
    );
    await again.close();
  });

  it('cuts off a torn last record and keeps appending after it', async () => {
    const path = await dirs.make();
    const device = await openTestDevice({ path });
    const keys = [keyFromSeed(1), keyFromSeed(2)];
    for (const key of keys) await device.put(write(key, 5000));
    await device.close();
    const [name] = await extentFiles(path);
    const file = join(path, 'extents', name!);
    const size = (await fs.stat(file)).size;
    const torn = encodeRecord({ kind: 'shard', ...keyFromSeed(3), sysEpoch: 1, gatewayTime: 1 }, payloadFor(keyFromSeed(3), 5000)).subarray(0, 2000);
    await fs.appendFile(file, torn);

    const again = await openTestDevice({ path });
    expect(again.report.recovery.tornBytesDiscarded).toBe(2000);
    expect((await fs.stat(file)).size).toBe(size);
    await expect(again.read(keyFromSeed(3))).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
    await again.put(write(keyFromSeed(4), 100));
    await again.close();
    const third = await openTestDevice({ path });
    expect(third.report.recovery.tornBytesDiscarded).toBe(0);
    await expectShards(third, [[keys[0]!, 5000], [keys[1]!, 5000], [keyFromSeed(4), 100]], []);
    await third.close();
  });

  it('removes extents whose creation never became durable', async () => {
    const path = await dirs.make();
    const device = await openTestDevice({ path, crashSim: true });
    await device.put(write(keyFromSeed(1), 10_000));
    await device.crash();
    // What a power loss right after creating the next extents can leave: an
    // empty file, and one whose header block is only partly on disk.
    await fs.writeFile(join(path, 'extents', '00000002.ext'), Buffer.alloc(0));
    await fs.writeFile(join(path, 'extents', '00000003.ext'), Buffer.alloc(1000));
    const again = await openTestDevice({ path, crashSim: true });
    expect(again.report.recovery.extentFilesRemoved).toBe(2);
    expect(await extentFiles(path)).toEqual(['00000001.ext']);
    await expectShards(again, [[keyFromSeed(1), 10_000]], []);
    await again.put(write(keyFromSeed(2), 10));
    await again.close();
  });
});

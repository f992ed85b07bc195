import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes } from '@tessera/common';
import { afterEach, describe, expect, it } from 'vitest';
import type { Device } from '../src/device/device.js';
import type { CompactionPoint } from '../src/device/types.js';
import type { ShardKey } from '../src/format/shard-key.js';
import { openTestDevice, testDirs, type TestDeviceOptions } from './support/devices.js';
import { keyFromSeed, payloadFor } from './support/shards.js';

const dirs = testDirs('compaction');
afterEach(() => dirs.cleanup());

const SIZE = 3000;
const write = (key: ShardKey) => ({ ...key, payload: payloadFor(key, SIZE), sysEpoch: 1, gatewayTime: 5 });

async function check(device: Device, live: readonly ShardKey[], gone: readonly ShardKey[]): Promise<void> {
  for (const key of live) expect((await device.read(key)).payload.equals(payloadFor(key, SIZE))).toBe(true);
  for (const key of gone) await expect(device.read(key)).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
}

/** 24 shards over ~12 small extents; every shard but each fourth is deleted. */
async function populate(device: Device): Promise<{ live: ShardKey[]; gone: ShardKey[] }> {
  const keys = Array.from({ length: 24 }, (_, i) => keyFromSeed(i, i % 4));
  for (const key of keys) await device.put(write(key));
  const live = keys.filter((_, i) => i % 4 === 0);
  const gone = keys.filter((_, i) => i % 4 !== 0);
  for (const key of gone) await device.delete(key);
  return { live, gone };
}

describe('device compaction', () => {
  it('reclaims mostly-dead extents and keeps every live shard', async () => {
    const path = await dirs.make();
    const opts: TestDeviceOptions = { path, maxExtentBytes: 10_000 };
    const device = await openTestDevice(opts);
    const { live, gone } = await populate(device);
    await device.flush();
    const before = device.info();
    const report = await device.compact({ minDeadRatio: 0.5 });
    expect(report.extentsCompacted.length).toBeGreaterThan(5);
    expect(report.recordsCopied).toBeLessThanOrEqual(live.length);
    const after = device.info();
    expect(after.usedBytes).toBeLessThan(before.usedBytes);
    expect(after.liveBytes).toBe(before.liveBytes);
    await check(device, live, gone);
    await device.close();
    // And from the extent files alone.
    await fs.rm(join(path, 'index'), { recursive: true });
    const rebuilt = await openTestDevice(opts);
    await check(rebuilt, live, gone);
    await rebuilt.close();
  });

  for (const point of ['scanned', 'copied', 'retired', 'unlinked'] as const satisfies readonly CompactionPoint[]) {
    it(`is safe against power loss after the "${point}" step`, async () => {
      const path = await dirs.make();
      let device: Device | undefined;
      const opts: TestDeviceOptions = {
        path,
        maxExtentBytes: 10_000,
        crashSim: true,
        indexSyncEvery: 1_000_000,
        testHooks: {
          compaction: async (at) => {
            if (at !== point) return;
            await device!.crash();
            throw new Error('power lost');
          },
        },
      };
      device = await openTestDevice(opts);
      const { live, gone } = await populate(device);
      await expect(device.compact()).rejects.toThrow();

      const again = await openTestDevice({ ...opts, testHooks: {} });
      await check(again, live, gone);
      const report = await again.compact();
      await check(again, live, gone);
      expect(again.info().liveBytes).toBe(live.length * (SIZE + 80));
      await again.close();
      expect(report.extentsSkipped).toEqual([]);
      await fs.rm(join(path, 'index'), { recursive: true });
      const rebuilt = await openTestDevice({ ...opts, testHooks: {} });
      await check(rebuilt, live, gone);
      await rebuilt.close();
    });
  }

  it('keeps a tombstone while an older extent still holds the dead shard', async () => {
    const path = await dirs.make();
    const opts: TestDeviceOptions = { path, maxExtentBytes: 10_000 };
    const device = await openTestDevice(opts);
    const victim = keyFromSeed(100);
    const filler = Array.from({ length: 8 }, (_, i) => keyFromSeed(200 + i));
    await device.put(write(victim));
    for (const key of filler.slice(0, 4)) await device.put(write(key));
    const oldExtent = (await device.locate(victim))!.extentId;
    await device.delete(victim);
    for (const key of filler.slice(4)) await device.put(write(key));
    for (const key of filler.slice(0, 4)) await device.delete(key);
    // Compact every extent except the one holding the dead put: the tombstone must survive.
    const others = [...new Set(await Promise.all(filler.slice(4).map(async (k) => (await device.locate(k))!.extentId)))];
    const sealed = Array.from({ length: device.info().extents + 2 }, (_, i) => i + 1).filter((id) => id !== oldExtent && !others.includes(id));
    const first = await device.compact({ extentIds: sealed });
    expect(first.tombstonesKept).toBeGreaterThanOrEqual(1);
    await device.close();
    await fs.rm(join(path, 'index'), { recursive: true });
    const rebuilt = await openTestDevice(opts);
    await check(rebuilt, filler.slice(4), [victim, ...filler.slice(0, 4)]);
    // Once the dead put is gone too, the tombstone is dropped.
    await rebuilt.compact({ minDeadRatio: 0 });
    const last = await rebuilt.compact({ minDeadRatio: 0 });
    expect(last.tombstonesKept).toBe(0);
    await check(rebuilt, filler.slice(4), [victim, ...filler.slice(0, 4)]);
    await rebuilt.close();
  });
});

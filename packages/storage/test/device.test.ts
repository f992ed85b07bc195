import { ErrorCodes } from '@tessera/common';
import { afterEach, describe, expect, it } from 'vitest';
import { MiB, openTestDevice, testDirs } from './support/devices.js';
import { keyFromSeed, payloadFor, randomKey } from './support/shards.js';

const dirs = testDirs('device');
afterEach(() => dirs.cleanup());

const put = (key = randomKey(), length = 1000, extra: { purpose?: 'new' | 'repair' } = {}) => ({
  ...key,
  payload: payloadFor(key, length),
  sysEpoch: 3,
  gatewayTime: 1_700_000_000_123,
  ...extra,
});

describe('device writes and reads', () => {
  it('stores, reads, lists and deletes shards', async () => {
    const device = await openTestDevice({ path: await dirs.make() });
    const key = randomKey(2);
    await device.put(put(key, 5000));
    const got = await device.read(key);
    expect(got.payload.equals(payloadFor(key, 5000))).toBe(true);
    expect(got.sysEpoch).toBe(3);
    expect(got.gatewayTime).toBe(1_700_000_000_123);
    expect(await device.has(key)).toBe(true);
    expect((await device.list()).map((l) => l.key.shardIndex)).toEqual([2]);
    expect(await device.delete(key)).toBe(true);
    await expect(device.read(key)).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
    expect(await device.delete(key)).toBe(false);
    await device.close();
  });

  it('shares one fdatasync among concurrent writers (group commit)', async () => {
    const device = await openTestDevice({ path: await dirs.make(), maxExtentBytes: 64 * MiB });
    const keys = Array.from({ length: 64 }, (_, i) => keyFromSeed(i));
    await Promise.all(keys.map((k) => device.put(put(k, 4096))));
    const { counters } = device.info();
    expect(counters.records).toBe(64);
    expect(counters.syncs).toBeLessThan(64);
    for (const k of keys) expect((await device.read(k)).payload.equals(payloadFor(k, 4096))).toBe(true);
    await device.close();
  });

  it('never mixes two writes of one chunk with different writeIds', async () => {
    const device = await openTestDevice({ path: await dirs.make() });
    const a = keyFromSeed(7, 1, 1);
    const b = keyFromSeed(7, 1, 2);
    expect(Buffer.compare(a.chunkId, b.chunkId)).toBe(0);
    await device.put(put(a, 3000));
    await device.put(put(b, 2000));
    expect((await device.read(a)).payload.equals(payloadFor(a, 3000))).toBe(true);
    expect((await device.read(b)).payload.equals(payloadFor(b, 2000))).toBe(true);
    await device.delete(a);
    await expect(device.read(a)).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
    expect((await device.read(b)).payload.equals(payloadFor(b, 2000))).toBe(true);
    await device.close();
  });

  it('keeps everything across a clean reopen and rolls extents at their size bound', async () => {
    const path = await dirs.make();
    const device = await openTestDevice({ path, maxExtentBytes: 64 * 1024 });
    const keys = Array.from({ length: 40 }, (_, i) => keyFromSeed(i, i % 6));
    for (const k of keys) await device.put(put(k, 10_000));
    expect(device.info().extents).toBeGreaterThan(5);
    await device.close();
    const again = await openTestDevice({ path, maxExtentBytes: 64 * 1024 });
    expect(again.report.indexRebuilt).toBe(false);
    expect(again.report.recovery.recordsIndexed).toBe(0);
    for (const k of keys) expect((await again.read(k)).payload.equals(payloadFor(k, 10_000))).toBe(true);
    await again.close();
  });
});

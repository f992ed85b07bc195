import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes } from '@tessera/common';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeviceStateChange } from '../src/device/types.js';
import { ShardStore } from '../src/store.js';
import { MiB, testDirs } from './support/devices.js';
import { keyFromSeed, payloadFor } from './support/shards.js';

const dirs = testDirs('store');
afterEach(() => dirs.cleanup());

describe("a node's shard store", () => {
  it('routes shards to devices, finds them, and detaches only removed devices', async () => {
    const [a, b] = [await dirs.make(), await dirs.make()];
    const changes: DeviceStateChange[] = [];
    const store = await ShardStore.open({
      nodeId: 'n1',
      devices: [
        { deviceId: 'a', path: a, capacityBytes: 64 * MiB },
        { deviceId: 'b', path: b, capacityBytes: 64 * MiB },
      ],
      healthCheckIntervalMs: 0,
      crashSim: false,
      onStateChange: (c) => changes.push(c),
    });
    const key = keyFromSeed(1);
    await store.putShard('b', { ...key, payload: payloadFor(key, 10), sysEpoch: 0, gatewayTime: 1 });
    expect(await store.findShard(key)).toEqual(['b']);
    expect(await store.hasShard('a', key)).toBe(false);
    await expect(store.readShard('zz', key)).rejects.toMatchObject({ code: ErrorCodes.UNKNOWN_DEVICE });
    await expect(store.detach('a')).rejects.toMatchObject({ code: ErrorCodes.DEVICE_BAD_TRANSITION });
    store.setDeviceState('a', 'evacuating', 'drain');
    store.setDeviceState('a', 'removed', 'drained');
    await store.detach('a');
    expect(store.deviceIds()).toEqual(['b']);
    expect(changes.map((c) => c.to)).toEqual(['evacuating', 'removed']);
    await store.close();
  });

  it('starts with a device that cannot be opened marked failed, and refuses foreign folders', async () => {
    const good = await dirs.make();
    const blocked = join(await dirs.make(), 'not-a-dir');
    await fs.writeFile(blocked, 'a file where a folder should be');
    const store = await ShardStore.open({
      nodeId: 'n1',
      devices: [
        { deviceId: 'good', path: good, capacityBytes: 64 * MiB },
        { deviceId: 'bad', path: blocked, capacityBytes: 64 * MiB },
      ],
      healthCheckIntervalMs: 0,
    });
    expect(await store.checkHealth()).toEqual({ good: 'healthy', bad: 'failed' });
    await expect(store.readShard('bad', keyFromSeed(1))).rejects.toMatchObject({ code: ErrorCodes.DEVICE_UNAVAILABLE });
    await store.close();

    const foreign = await dirs.make();
    await fs.writeFile(join(foreign, 'data.bin'), 'x');
    await expect(ShardStore.open({ nodeId: 'n1', devices: [{ deviceId: 'f', path: foreign, capacityBytes: MiB }], healthCheckIntervalMs: 0 })).rejects.toMatchObject({
      code: ErrorCodes.DEVICE_FOREIGN_FORMAT,
    });
  });
});

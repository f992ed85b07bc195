import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes } from '@tessera/common';
import { afterEach, describe, expect, it } from 'vitest';
import { openTestDevice, testDirs } from './support/devices.js';
import { payloadFor, randomKey } from './support/shards.js';

const dirs = testDirs('superblock');
afterEach(() => dirs.cleanup());

async function withShard(path: string) {
  const device = await openTestDevice({ path });
  const key = randomKey();
  await device.put({ ...key, payload: payloadFor(key, 100), sysEpoch: 0, gatewayTime: 1 });
  await device.close();
  return key;
}

describe('device superblocks', () => {
  it('formats an empty folder and recognises it afterwards', async () => {
    const path = await dirs.make();
    const first = await openTestDevice({ path });
    expect(first.report.formatted).toBe(true);
    const uuid = Buffer.from(first.deviceUuid);
    await first.close();
    const again = await openTestDevice({ path });
    expect(again.report.formatted).toBe(false);
    expect(Buffer.from(again.deviceUuid).equals(uuid)).toBe(true);
    await again.close();
  });

  it('refuses a folder holding something else', async () => {
    const path = await dirs.make();
    await fs.writeFile(join(path, 'somebody-elses-file'), 'data');
    await expect(openTestDevice({ path })).rejects.toMatchObject({ code: ErrorCodes.DEVICE_FOREIGN_FORMAT });
    await fs.writeFile(join(path, 'SUPERBLOCK'), 'not a superblock at all');
    await expect(openTestDevice({ path })).rejects.toMatchObject({ code: ErrorCodes.DEVICE_FOREIGN_FORMAT });
    expect(await fs.readFile(join(path, 'somebody-elses-file'), 'utf8')).toBe('data');
  });

  it("refuses another node's device and a different device id", async () => {
    const path = await dirs.make();
    await withShard(path);
    await expect(openTestDevice({ path, nodeId: 'node-b' })).rejects.toMatchObject({ code: ErrorCodes.DEVICE_WRONG_OWNER });
    await expect(openTestDevice({ path, deviceId: 'd2' })).rejects.toMatchObject({ code: ErrorCodes.DEVICE_WRONG_OWNER });
  });

  it('re-initialises a refused folder with force and reports what it replaced', async () => {
    const path = await dirs.make();
    const key = await withShard(path);
    const forced = await openTestDevice({ path, nodeId: 'node-b', force: true });
    expect(forced.report.reinitialised).toMatchObject({ code: ErrorCodes.DEVICE_WRONG_OWNER, previousNodeId: 'node-a', previousDeviceId: 'd1' });
    await expect(forced.read(key)).rejects.toMatchObject({ code: ErrorCodes.NOT_FOUND });
    await forced.close();
  });

  it('never wipes a valid device of this node, even with force', async () => {
    const path = await dirs.make();
    const key = await withShard(path);
    const device = await openTestDevice({ path, force: true, capacityBytes: 128 * 1024 * 1024 });
    expect(device.report.reinitialised).toBeUndefined();
    expect(device.report.reconfigured).toEqual(['capacityBytes']);
    expect((await device.read(key)).payload.equals(payloadFor(key, 100))).toBe(true);
    expect(device.info().capacityBytes).toBe(128 * 1024 * 1024);
    await device.close();
  });

  it('validates identities', async () => {
    const path = await dirs.make();
    await expect(openTestDevice({ path, deviceId: 'Bad/Id' })).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
    await expect(openTestDevice({ path, capacityBytes: 0 })).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT });
  });
});

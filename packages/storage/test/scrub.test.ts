import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes } from '@tessera/common';
import { afterEach, describe, expect, it } from 'vitest';
import { extentFileName } from '../src/format/extent-header.js';
import { RECORD_HEADER_BYTES } from '../src/format/record.js';
import { openTestDevice, testDirs, type TestDeviceOptions } from './support/devices.js';
import { keyFromSeed, payloadFor } from './support/shards.js';

const dirs = testDirs('scrub');
afterEach(() => dirs.cleanup());

async function populated(opts: TestDeviceOptions, count: number) {
  const device = await openTestDevice(opts);
  const keys = Array.from({ length: count }, (_, i) => keyFromSeed(i));
  for (const key of keys) await device.put({ ...key, payload: payloadFor(key, 4000), sysEpoch: 1, gatewayTime: 1 });
  return { device, keys };
}

describe('device scrub', () => {
  it('resumes an interrupted pass from its persisted cursor and keeps totals across restarts', async () => {
    const path = await dirs.make();
    const opts: TestDeviceOptions = { path, maxExtentBytes: 20_000, now: () => 1_700_000_000_000 };
    const { device } = await populated(opts, 20);
    const first = await device.scrub({ bytesPerSecond: 0, maxBytes: 30_000 });
    expect(first.passCompleted).toBe(false);
    expect(first.bytesScanned).toBeGreaterThanOrEqual(30_000);
    expect(first.progress.cursorExtent).toBeGreaterThan(0);
    await device.close();

    const again = await openTestDevice(opts);
    const second = await again.scrub({ bytesPerSecond: 0 });
    expect(second.passCompleted).toBe(true);
    expect(first.recordsChecked + second.recordsChecked).toBe(20);
    expect(second.progress).toMatchObject({ passes: 1, cursorExtent: 0, passBytes: 0, errorsFound: 0, lastPassCompletedAt: 1_700_000_000_000 });
    expect(second.progress.totalBytesScanned).toBe(first.bytesScanned + second.bytesScanned);
    const third = await again.scrub({ bytesPerSecond: 0 });
    expect(third.recordsChecked).toBe(20);
    expect(third.progress.passes).toBe(2);
    await again.close();
  });

  it('stops when aborted, with progress and error count saved', async () => {
    const path = await dirs.make();
    const opts: TestDeviceOptions = { path, maxExtentBytes: 20_000 };
    const { device, keys } = await populated(opts, 12);
    const loc = (await device.locate(keys[4]!))!;
    const file = join(path, 'extents', extentFileName(loc.extentId));
    const handle = await fs.open(file, 'r+');
    await handle.write(Buffer.from('XXXX'), 0, 4, loc.offset + RECORD_HEADER_BYTES + 10);
    await handle.close();

    const abort = new AbortController();
    const run = device.scrub({ bytesPerSecond: 4 * 1024 * 1024, signal: abort.signal, onBadRecord: () => abort.abort() });
    await expect(run).rejects.toMatchObject({ code: ErrorCodes.INVALID_ARGUMENT, retriable: true });
    await device.close();
    const again = await openTestDevice(opts);
    const rest = await again.scrub({ bytesPerSecond: 0 });
    expect(rest.passCompleted).toBe(true);
    expect(rest.recordsChecked).toBeLessThan(12);
    expect(rest.progress.errorsFound).toBe(1);
    await again.close();
  });

  it('paces itself to the configured rate', async () => {
    const path = await dirs.make();
    const { device } = await populated({ path, maxExtentBytes: 20_000 }, 25);
    let virtual = 0;
    let slept = 0;
    const pacer = {
      now: () => virtual,
      sleep: async (ms: number) => {
        slept += ms;
        virtual += ms;
      },
    };
    const run = await device.scrub({ bytesPerSecond: 200_000, pacer });
    expect(run.passCompleted).toBe(true);
    // Reading takes no virtual time, so the pacing sleeps make up all of it: bytes / rate.
    expect(slept).toBeGreaterThan((run.bytesScanned / 200_000) * 1000 - 2);
    expect(slept).toBeLessThanOrEqual((run.bytesScanned / 200_000) * 1000);
    const unpaced = await device.scrub({ bytesPerSecond: 0, pacer });
    expect(unpaced.recordsChecked).toBe(25);
    expect(slept).toBeLessThanOrEqual((run.bytesScanned / 200_000) * 1000);
    await device.close();
  });
});

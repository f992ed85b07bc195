import { constants, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AlignedArena } from '../src/io/aligned-arena.js';
import { SimulatedExtentFile } from '../src/io/crashsim-file.js';
import { probeDirectIo } from '../src/io/direct-probe.js';
import { openFsExtentFile } from '../src/io/extent-file.js';
import { parseStorageMutations } from '../src/mutate.js';
import { openTestDevice, testDirs } from './support/devices.js';
import { keyFromSeed, payloadFor } from './support/shards.js';

const dirs = testDirs('io');
afterEach(() => dirs.cleanup());

describe('crash-simulated extent files', () => {
  it('keep appended bytes in memory until a datasync completes, and lose them on crash', async () => {
    const path = join(await dirs.make(), 'e.ext');
    const file = new SimulatedExtentFile(await openFsExtentFile(path, 1, { create: true }));
    await file.append([Buffer.from('hello ')]);
    expect((await fs.stat(path)).size).toBe(0);
    await file.datasync();
    await file.append([Buffer.from('world')]);
    expect((await file.read(0, 100)).toString()).toBe('hello world');
    expect(file.durableSize).toBe(6);
    await file.crash();
    expect(await fs.readFile(path, 'utf8')).toBe('hello ');
  });

  it('treat a datasync still running when the power fails as not done', async () => {
    const path = join(await dirs.make(), 'e.ext');
    const file = new SimulatedExtentFile(await openFsExtentFile(path, 1, { create: true }));
    await file.append([Buffer.from('first')]);
    await file.datasync();
    await file.append([Buffer.from('-second')]);
    const sync = file.datasync();
    const crash = file.crash();
    await expect(sync).rejects.toMatchObject({ code: 'STORAGE_CLOSED' });
    await crash;
    expect(await fs.readFile(path, 'utf8')).toBe('first');
  });

  it('write everything on a clean close, as an exiting process would', async () => {
    const path = join(await dirs.make(), 'e.ext');
    const file = new SimulatedExtentFile(await openFsExtentFile(path, 1, { create: true }));
    await file.append([Buffer.from('a'), Buffer.from('b')]);
    await file.close();
    expect(await fs.readFile(path, 'utf8')).toBe('ab');
  });
});

describe('direct I/O', () => {
  it('aligned arena views are accepted by O_DIRECT writes, also after the arena grows', async () => {
    const dir = await dirs.make();
    const probe = await probeDirectIo(dir, 1 << 20);
    if (!probe.ok) {
      // File systems without O_DIRECT (tmpfs) say so with an errno; the device then runs buffered.
      expect(probe.reason).toMatch(/^E[A-Z]+$/);
      return;
    }
    const handle = await fs.open(join(dir, 'x'), constants.O_WRONLY | constants.O_CREAT | constants.O_DIRECT);
    try {
      const arena = new AlignedArena(1 << 20);
      const view = arena.view(8192);
      await expect(handle.write(view, 0, 4096, 0)).resolves.toMatchObject({ bytesWritten: 4096 });
      arena.view(64 << 20); // growth keeps alignment
      await expect(handle.write(arena.view(4096), 0, 4096, 4096)).resolves.toMatchObject({ bytesWritten: 4096 });
    } finally {
      await handle.close();
    }
  });

  it('stores and reads shards with O_DIRECT, 4 KiB-aligned batches, and switches mode across reopen', async () => {
    const path = await dirs.make();
    const device = await openTestDevice({ path, directIo: true, maxExtentBytes: 1 << 20 });
    if (!device.report.directIo.active) {
      expect(device.report.directIo).toMatchObject({ requested: true, active: false });
      expect(device.report.directIo.reason).toBeDefined();
      await device.close();
      return;
    }
    const keys = Array.from({ length: 20 }, (_, i) => keyFromSeed(i));
    await Promise.all(keys.map((k, i) => device.put({ ...k, payload: payloadFor(k, 100 + i * 997), sysEpoch: 1, gatewayTime: 2 })));
    const [name] = await fs.readdir(join(path, 'extents'));
    expect((await fs.stat(join(path, 'extents', name!))).size % 4096).toBe(0);
    await device.close();
    const buffered = await openTestDevice({ path, maxExtentBytes: 1 << 20 });
    await buffered.put({ ...keyFromSeed(50), payload: payloadFor(keyFromSeed(50), 10), sysEpoch: 1, gatewayTime: 2 });
    expect(buffered.info().extents).toBe(2); // the aligned extent was sealed, a buffered one started
    for (const [i, k] of keys.entries()) expect((await buffered.read(k)).payload.equals(payloadFor(k, 100 + i * 997))).toBe(true);
    await buffered.close();
  });
});

describe('TESSERA_MUTATE', () => {
  it('picks out the storage mutations and ignores names other packages own', () => {
    expect([...parseStorageMutations(undefined)]).toEqual([]);
    expect([...parseStorageMutations('')]).toEqual([]);
    expect([...parseStorageMutations('commit-old-term, ack-before-fsync')]).toEqual(['ack-before-fsync']);
    expect([...parseStorageMutations('read-without-readindex')]).toEqual([]);
    expect(() => parseStorageMutations('no-such-bug')).toThrow();
  });
});

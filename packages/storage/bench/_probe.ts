import { Device } from '../src/device/device.js';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
for (const [size, direct] of [[65536, true], [65536, false], [1 << 20, true]] as const) {
  const dir = await mkdtemp(join(tmpdir(), 'probe-'));
  const d = await Device.open({ nodeId: 'b', deviceId: 'd1', path: dir, capacityBytes: 2 ** 40, directIo: direct, crashSim: false, mutations: new Set() });
  const payload = randomBytes(size);
  const t0 = performance.now();
  let n = 0;
  await Promise.all(Array.from({ length: 8 }, async (_, w) => {
    for (let i = 0; performance.now() - t0 < 2000; i++) {
      const id = randomBytes(32);
      await d.put({ chunkId: id, writeId: id.subarray(0, 16), shardIndex: 0, payload, sysEpoch: 1, gatewayTime: 1 });
      n++;
    }
  }));
  const el = (performance.now() - t0) / 1000;
  console.log(size, direct, 'MB/s', (n * size / el / 1e6).toFixed(0), 'batches', d.info().counters.batches, 'rec/batch', (n / d.info().counters.batches).toFixed(1), 'us/batch', (el * 1e6 / d.info().counters.batches).toFixed(0));
  await d.close();
  await rm(dir, { recursive: true });
}

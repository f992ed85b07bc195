import { Device } from '../src/device/device.js';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const dir = await mkdtemp(join(tmpdir(), 'probe-'));
const d = await Device.open({ nodeId: 'b', deviceId: 'd1', path: dir, capacityBytes: 2 ** 40, directIo: true, crashSim: false, mutations: new Set() });
const payload = randomBytes(65536);
const t0 = performance.now();
let n = 0;
await Promise.all(Array.from({ length: 8 }, async () => {
  while (performance.now() - t0 < 3000) {
    const id = randomBytes(32);
    await d.put({ chunkId: id, writeId: id.subarray(0, 16), shardIndex: 0, payload, sysEpoch: 1, gatewayTime: 1 });
    n++;
  }
}));
console.log('MB/s', (n * 65536 / 3 / 1e6).toFixed(0));
await d.close();
await rm(dir, { recursive: true });

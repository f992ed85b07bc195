import { Device } from '../src/device/device.js';
import { AlignedArena } from '../src/io/aligned-arena.js';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, open } from 'node:fs/promises';
import { constants as C } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
const size = Number(process.argv[2] ?? 65536); const direct = process.argv[3] !== 'buffered';
async function raw(batch: number) {
  const dir = await mkdtemp(join(tmpdir(), 'raw-'));
  const h = await open(join(dir, 'f'), C.O_WRONLY | C.O_CREAT | (direct ? C.O_DIRECT : 0), 0o600);
  const buf = direct ? new AlignedArena(batch).view(Math.ceil(batch / 4096) * 4096) : Buffer.alloc(batch, 3);
  let pos = 0; const t0 = performance.now();
  while (performance.now() - t0 < 1500) { await h.write(buf, 0, buf.length, pos); await h.datasync(); pos += buf.length; }
  await h.close(); await rm(dir, { recursive: true });
  return pos / ((performance.now() - t0) / 1000) / 1e6;
}
async function dev() {
  const dir = await mkdtemp(join(tmpdir(), 'probe-'));
  const d = await Device.open({ nodeId: 'b', deviceId: 'd1', path: dir, capacityBytes: 2 ** 40, directIo: direct, crashSim: false, mutations: new Set() });
  const payload = randomBytes(size);
  const ids = Array.from({ length: 50000 }, () => randomBytes(32));
  let n = 0; const t0 = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (performance.now() - t0 < 1500) { const id = ids[n % ids.length]!; n++; await d.put({ chunkId: id, writeId: randomBytes(16), shardIndex: 0, payload, sysEpoch: 1, gatewayTime: 1 }); }
  }));
  const r = n * size / ((performance.now() - t0) / 1000) / 1e6;
  await d.close(); await rm(dir, { recursive: true });
  return r;
}
for (let i = 0; i < 3; i++) { const a = await raw(8 * (size + 80)); const b = await dev(); console.log(size, direct ? 'direct' : 'buffered', 'raw', a.toFixed(0), 'dev', b.toFixed(0), (b / a * 100).toFixed(0) + '%'); }

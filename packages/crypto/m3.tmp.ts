import { createCipheriv, randomBytes } from 'node:crypto';
import { ChunkKeys, KeyMaterial, computeChunkId, sealChunk, sealedLength } from './src/index.js';
const keys = ChunkKeys.shared({ sysEpoch: 1, master: KeyMaterial.generate(), dedupKey: KeyMaterial.generate() });
const rawKey = randomBytes(32), nonce = randomBytes(12), aad = randomBytes(77);
function time(fn: () => unknown, n: number): number { const s = performance.now(); for (let i = 0; i < n; i++) fn(); return (performance.now() - s) * 1000 / n; }
for (const size of [65536, 1 << 20]) {
  const pt = randomBytes(size);
  const computed = computeChunkId(keys, pt);
  const out = Buffer.alloc(sealedLength(keys, size));
  const variants: Record<string, () => unknown> = {
    raw: () => { const c = createCipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 }); c.setAAD(aad); const a = c.update(pt); c.final(); return [a, c.getAuthTag()]; },
    ours: () => sealChunk({ keys, plaintext: pt, chunkId: computed }),
    oursReuse: () => sealChunk({ keys, plaintext: pt, chunkId: computed, output: out }),
    dek: () => keys.withDek(1, computed.id, () => 0),
  };
  const n = size > 100000 ? 200 : 3000;
  const acc: Record<string, number[]> = {};
  for (let round = 0; round < 9; round++) for (const [k, fn] of Object.entries(variants)) (acc[k] ??= []).push(time(fn, n));
  for (const [k, v] of Object.entries(acc)) { v.sort((a, b) => a - b); console.log(size, k, v[4]!.toFixed(2)); }
}

import { createCipheriv, randomBytes } from 'node:crypto';
import { ChunkKeys, KeyMaterial, computeChunkId, sealChunk, encodeEnvelopeHeader } from './src/index.js';
import { randomNonce } from './src/nonce.js';
const keys = ChunkKeys.shared({ sysEpoch: 1, master: KeyMaterial.generate(), dedupKey: KeyMaterial.generate() });
const rawKey = randomBytes(32), nonce = randomBytes(12), aad = randomBytes(77);
function time(fn: () => unknown, n: number): number { const s = performance.now(); for (let i = 0; i < n; i++) fn(); return (performance.now() - s) * 1000 / n; }
function sliced(pt: Buffer, S: number) {
  const c = createCipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 }); c.setAAD(aad);
  const out = Buffer.allocUnsafe(77 + pt.length + 16); aad.copy(out, 0); let o = 77;
  for (let i = 0; i < pt.length; i += S) { const a = c.update(pt.subarray(i, Math.min(pt.length, i + S))); a.copy(out, o); o += a.length; }
  c.final(); c.getAuthTag().copy(out, o); return out;
}
for (const size of [65536, 1 << 20]) {
  const pt = randomBytes(size);
  const computed = computeChunkId(keys, pt);
  const variants: Record<string, () => unknown> = {
    raw: () => { const c = createCipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 }); c.setAAD(aad); const a = c.update(pt); c.final(); return [a, c.getAuthTag()]; },
    ours: () => sealChunk({ keys, plaintext: pt, chunkId: computed }),
    s16k: () => sliced(pt, 16384), s32k: () => sliced(pt, 32768), s64k: () => sliced(pt, 65536), s128k: () => sliced(pt, 131072), s256k: () => sliced(pt, 262144), s1m: () => sliced(pt, 1 << 20),
    dek: () => keys.withDek(1, computed.id, () => 0),
    header: () => encodeEnvelopeHeader({ alg: 1, sysEpoch: 1, tenEpoch: 0, policy: 'shared', tenant: '', chunkId: computed.id, plaintextLength: size, nonce }),
    nonce: () => randomNonce(),
    computedId: () => computed.id,
  };
  const n = size > 100000 ? 200 : 3000;
  const acc: Record<string, number[]> = {};
  for (let round = 0; round < 7; round++) for (const [k, fn] of Object.entries(variants)) (acc[k] ??= []).push(time(fn, k === 'dek' || k === 'header' || k === 'nonce' || k==='computedId' ? 20000 : n));
  for (const [k, v] of Object.entries(acc)) { v.sort((a, b) => a - b); console.log(size, k, v[3]!.toFixed(2)); }
}

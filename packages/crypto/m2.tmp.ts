import { createCipheriv, randomBytes } from 'node:crypto';
const rawKey = randomBytes(32), nonce = randomBytes(12), aad = randomBytes(77);
function time(fn: () => unknown, n: number): number { const s = performance.now(); for (let i = 0; i < n; i++) fn(); return (performance.now() - s) * 1000 / n; }
for (const size of [65536, 1 << 20]) {
  const pt = randomBytes(size);
  const reuse = Buffer.allocUnsafe(77 + size + 16);
  const ct0 = Buffer.allocUnsafe(size);
  const variants: Record<string, () => unknown> = {
    raw: () => { const c = createCipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 }); c.setAAD(aad); const a = c.update(pt); c.final(); return [a, c.getAuthTag()]; },
    rawPlusAlloc: () => { const c = createCipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 }); c.setAAD(aad); const a = c.update(pt); c.final(); return [a, c.getAuthTag(), Buffer.allocUnsafe(size + 93)]; },
    rawPlusAllocTouch: () => { const c = createCipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 }); c.setAAD(aad); const a = c.update(pt); c.final(); const b = Buffer.allocUnsafe(size + 93); b.fill(1); return [a, c.getAuthTag(), b]; },
    rawPlusCopyReuse: () => { const c = createCipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 }); c.setAAD(aad); const a = c.update(pt); c.final(); a.copy(reuse, 77); return [a, c.getAuthTag()]; },
    copyOnly: () => ct0.copy(reuse, 77),
    allocOnly: () => Buffer.allocUnsafe(size + 93),
    allocSlow: () => Buffer.allocUnsafeSlow(size + 93),
  };
  const n = size > 100000 ? 200 : 3000;
  const acc: Record<string, number[]> = {};
  for (let round = 0; round < 7; round++) for (const [k, fn] of Object.entries(variants)) (acc[k] ??= []).push(time(fn, n));
  for (const [k, v] of Object.entries(acc)) { v.sort((a, b) => a - b); console.log(size, k, v[3]!.toFixed(2)); }
}

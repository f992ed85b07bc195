/**
 * Benchmarks of @tessera/crypto, each beside its ceiling measured in the same
 * run (DESIGN section 9): envelope seal/open against raw node:crypto
 * AES-256-GCM on the same sizes, plus SHA-256, HMAC chunk ids and HKDF.
 *
 * "raw" is the minimum node:crypto work for the same AEAD call: createCipheriv
 * with a fixed key and nonce, setAAD over a header-sized AAD, update, final,
 * getAuthTag, and no output assembly. Envelope seal adds the per-chunk DEK
 * (one HKDF-Expand block), a random nonce, the header, and writing everything
 * into one contiguous envelope. Envelope open adds, beyond raw, the chunk-id
 * HMAC over the plaintext (key commitment, K6): its ceiling is raw open + HMAC.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { benchSync } from '@tessera/common/bench';
import type { BenchResult } from '@tessera/common/bench';
import { ChunkKeys, KeyMaterial, computeChunkId, hkdfSha256, openChunk, sealChunk } from '../src/index.js';

const SIZES = [64 * 1024, 1024 * 1024] as const;
const HEADER_BYTES = 77;

function label(bytes: number): string {
  return bytes >= 1 << 20 ? `${bytes >> 20} MiB` : `${bytes >> 10} KiB`;
}

function relative(ours: BenchResult, ceiling: BenchResult): string {
  return `${((ours.opsPerSec / ceiling.opsPerSec) * 100).toFixed(0)}% of ${ceiling.name}`;
}

export async function runBenchmarks(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const master = KeyMaterial.generate();
  const dedupKey = KeyMaterial.generate();
  const keys = ChunkKeys.shared({ sysEpoch: 1, master, dedupKey });
  const rawKey = randomBytes(32);
  const nonce = randomBytes(12);
  const aad = randomBytes(HEADER_BYTES);

  for (const size of SIZES) {
    const plaintext = randomBytes(size);
    const computed = computeChunkId(keys, plaintext);

    const rawSeal = benchSync(`raw aes-256-gcm seal ${label(size)}`, size, () => {
      const cipher = createCipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 });
      cipher.setAAD(aad);
      const ct = cipher.update(plaintext);
      cipher.final();
      return [ct, cipher.getAuthTag()];
    });
    const seal = benchSync(`envelope seal ${label(size)}`, size, () => sealChunk({ keys, plaintext, chunkId: computed }));
    results.push(rawSeal, { ...seal, note: relative(seal, rawSeal) });

    const raw = createCipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 });
    raw.setAAD(aad);
    const rawCt = raw.update(plaintext);
    raw.final();
    const rawTag = raw.getAuthTag();
    const rawOpen = benchSync(`raw aes-256-gcm open ${label(size)}`, size, () => {
      const decipher = createDecipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 });
      decipher.setAAD(aad);
      decipher.setAuthTag(rawTag);
      const pt = decipher.update(rawCt);
      decipher.final();
      return pt;
    });
    const rawOpenHmac = benchSync(`raw open + hmac ${label(size)}`, size, () => {
      const decipher = createDecipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 });
      decipher.setAAD(aad);
      decipher.setAuthTag(rawTag);
      const pt = decipher.update(rawCt);
      decipher.final();
      return createHmac('sha256', rawKey).update(pt).digest();
    });
    const { envelope } = sealChunk({ keys, plaintext });
    const open = benchSync(`envelope open ${label(size)}`, size, () => openChunk(envelope, keys));
    results.push(rawOpen, rawOpenHmac, { ...open, note: `${relative(open, rawOpenHmac)}; ${relative(open, rawOpen)}` });

    results.push(benchSync(`sha-256 ${label(size)}`, size, () => createHash('sha256').update(plaintext).digest()));
    results.push(benchSync(`hmac chunk id ${label(size)}`, size, () => computeChunkId(keys, plaintext)));
  }

  const ikm = randomBytes(32);
  const salt = Buffer.from('tessera/v1/hkdf-salt');
  const info = randomBytes(62);
  results.push(benchSync('hkdf-sha256 extract+expand 32 B', 0, () => hkdfSha256(ikm, salt, info, 32)));
  const chunkId = randomBytes(32);
  results.push(benchSync('chunk DEK (expand only, PRK cached)', 0, () => keys.withDek(1, chunkId, () => undefined)));
  return results;
}

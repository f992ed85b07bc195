/**
 * Benchmarks of @tessera/crypto, each beside its ceiling measured in the same
 * run (DESIGN section 9): envelope seal/open against raw node:crypto
 * AES-256-GCM on the same sizes, plus SHA-256, HMAC chunk ids and HKDF.
 *
 * "raw" is the minimum node:crypto work for the same AEAD call: createCipheriv
 * with a fixed key and nonce, setAAD over a header-sized AAD, update, final,
 * getAuthTag, and no output assembly. Envelope seal adds the per-chunk DEK
 * (one HKDF-Expand block), a random nonce, the header, and writing everything
 * into one contiguous envelope (node:crypto cannot encrypt into a caller's
 * buffer, so the ciphertext is copied once), either into a new buffer or into
 * a recycled one (`output`), which spares the page faults of fresh memory.
 * Envelope open adds,
 * beyond raw, the chunk-id HMAC over the plaintext (key commitment, K6): its
 * ceiling is raw open + HMAC.
 *
 * The machine is shared, so each group of comparable benchmarks runs in
 * interleaved rounds and each keeps its best round: background load can only
 * slow a round down, and interleaving exposes every contender to it alike.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { benchSync } from '@tessera/common/bench';
import type { BenchResult } from '@tessera/common/bench';
import { AES_256_GCM, ChunkKeys, KeyMaterial, computeChunkId, hkdfSha256, openChunk, sealChunk, sealChunkParts, sealedLength } from '../src/index.js';

const SIZES = [64 * 1024, 1024 * 1024] as const;
const HEADER_BYTES = 77;
const ROUNDS = 5;

interface Contender {
  readonly name: string;
  readonly bytes: number;
  readonly fn: () => unknown;
}

function label(bytes: number): string {
  return bytes >= 1 << 20 ? `${bytes >> 20} MiB` : `${bytes >> 10} KiB`;
}

/** Runs the contenders in interleaved rounds; returns each one's best round, in the given order. */
function interleaved(contenders: readonly Contender[]): BenchResult[] {
  const best = new Map<string, BenchResult>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of contenders) {
      const result = benchSync(c.name, c.bytes, c.fn, { runs: 3, minRunMs: 100 });
      const previous = best.get(c.name);
      if (previous === undefined || result.opsPerSec > previous.opsPerSec) best.set(c.name, result);
    }
  }
  return contenders.map((c) => best.get(c.name)!);
}

function relativeTo(ceiling: BenchResult, ours: BenchResult): string {
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
    const output = Buffer.alloc(sealedLength(keys, size));
    const [rawSeal, aeadSeal, sealParts, seal, sealRecycled] = interleaved([
      {
        name: `raw aes-256-gcm seal ${label(size)}`,
        bytes: size,
        fn: () => {
          const cipher = createCipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 });
          cipher.setAAD(aad);
          const ct = cipher.update(plaintext);
          cipher.final();
          return [ct, cipher.getAuthTag()];
        },
      },
      { name: `AEAD seal, ours (AES_256_GCM.seal) ${label(size)}`, bytes: size, fn: () => AES_256_GCM.seal(rawKey, nonce, aad, plaintext) },
      { name: `envelope seal (parts) ${label(size)}`, bytes: size, fn: () => sealChunkParts({ keys, plaintext, chunkId: computed }) },
      { name: `envelope seal, contiguous ${label(size)}`, bytes: size, fn: () => sealChunk({ keys, plaintext, chunkId: computed }) },
      { name: `envelope seal, contiguous recycled ${label(size)}`, bytes: size, fn: () => sealChunk({ keys, plaintext, chunkId: computed, output }) },
    ]) as [BenchResult, BenchResult, BenchResult, BenchResult, BenchResult];
    results.push(rawSeal, { ...aeadSeal, note: relativeTo(rawSeal, aeadSeal) }, { ...sealParts, note: relativeTo(rawSeal, sealParts) }, { ...seal, note: relativeTo(rawSeal, seal) }, { ...sealRecycled, note: relativeTo(rawSeal, sealRecycled) });

    const raw = createCipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 });
    raw.setAAD(aad);
    const rawCt = raw.update(plaintext);
    raw.final();
    const rawTag = raw.getAuthTag();
    const rawDecrypt = (): Buffer => {
      const decipher = createDecipheriv('aes-256-gcm', rawKey, nonce, { authTagLength: 16 });
      decipher.setAAD(aad);
      decipher.setAuthTag(rawTag);
      const pt = decipher.update(rawCt);
      decipher.final();
      return pt;
    };
    const { envelope } = sealChunk({ keys, plaintext });
    const [rawOpen, rawOpenHmac, open] = interleaved([
      { name: `raw aes-256-gcm open ${label(size)}`, bytes: size, fn: rawDecrypt },
      { name: `raw open + hmac ${label(size)}`, bytes: size, fn: () => createHmac('sha256', rawKey).update(rawDecrypt()).digest() },
      { name: `envelope open ${label(size)}`, bytes: size, fn: () => openChunk(envelope, keys) },
    ]) as [BenchResult, BenchResult, BenchResult];
    results.push(rawOpen, rawOpenHmac, { ...open, note: `${relativeTo(rawOpenHmac, open)}; ${relativeTo(rawOpen, open)}` });

    const [sha, chunkId] = interleaved([
      { name: `sha-256 ${label(size)}`, bytes: size, fn: () => createHash('sha256').update(plaintext).digest() },
      { name: `hmac chunk id ${label(size)}`, bytes: size, fn: () => computeChunkId(keys, plaintext) },
    ]) as [BenchResult, BenchResult];
    results.push(sha, { ...chunkId, note: relativeTo(sha, chunkId) });
  }

  const ikm = randomBytes(32);
  const salt = Buffer.from('tessera/v1/hkdf-salt');
  const info = randomBytes(62);
  const chunkId = randomBytes(32);
  results.push(
    ...interleaved([
      { name: 'hkdf-sha256 extract+expand 32 B', bytes: 0, fn: () => hkdfSha256(ikm, salt, info, 32) },
      { name: 'chunk DEK (expand only, PRK cached)', bytes: 0, fn: () => keys.withDek(1, chunkId, () => undefined) },
    ]),
  );
  keys.destroy();
  master.destroy();
  dedupKey.destroy();
  return results;
}

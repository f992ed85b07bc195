/**
 * The node's data path as one process runs it, without I/O, so it can be read
 * against the ceilings measured in the same run:
 *
 *   write: chunk id (HMAC) → seal (AES-256-GCM, per-chunk DEK) → Reed-Solomon
 *          4+2 of the envelope parts into a recycled stripe buffer → CRC32C per shard
 *   read:  CRC32C per data shard → join data shards → open (tag, then chunk id
 *          recomputed: key commitment)
 *   read, 2 data shards lost: as read, with the lost shards rebuilt from parity
 *
 * MB/s counts chunk plaintext bytes.
 */
import { randomBytes } from 'node:crypto';
import { benchSync, type BenchResult } from '@tessera/common/bench';
import { ChunkKeys, KeyMaterial, computeChunkId, openChunk, sealChunkParts } from '@tessera/crypto';
import { crc32c, decode, encodeInto, stripeBytes } from '@tessera/erasure';

const SIZES = [64 * 1024, 1024 * 1024] as const;
const K = 4;
const M = 2;

function label(size: number): string {
  return size >= 1 << 20 ? `${size >> 20} MiB` : `${size >> 10} KiB`;
}

export async function pipelineBenchmarks(): Promise<BenchResult[]> {
  const master = KeyMaterial.generate();
  const dedupKey = KeyMaterial.generate();
  const tdk = KeyMaterial.generate();
  const tik = KeyMaterial.generate();
  const keys = ChunkKeys.isolated({ sysEpoch: 1, master, tenant: 'bench', tenEpoch: 1, tdk, tik });
  const results: BenchResult[] = [];
  try {
    for (const size of SIZES) {
      const plaintext = randomBytes(size);
      // Sized for the largest envelope this chunk size produces (header ≤ 256 B + tag).
      const stripeBuffer = new Uint8Array(stripeBytes(size + 256 + 16, K, M));
      const crcs = new Uint32Array(K + M);

      const write = (): void => {
        const id = computeChunkId(keys, plaintext);
        const sealed = sealChunkParts({ keys, plaintext, chunkId: id });
        const stripe = encodeInto(sealed.parts, K, M, stripeBuffer);
        for (let i = 0; i < K + M; i++) crcs[i] = crc32c(stripe.shards[i]!);
      };
      results.push(benchSync(`write pipeline (id+seal+RS ${K}+${M}+CRC) ${label(size)}`, size, write));

      // A stored stripe to read back: owned copies of every shard and their CRCs.
      const sealed = sealChunkParts({ keys, plaintext });
      const stored = encodeInto(sealed.parts, K, M, new Uint8Array(stripeBytes(sealed.length, K, M)));
      const shards = stored.shards.map((s) => Buffer.from(s));
      const storedCrcs = shards.map((s) => crc32c(s));

      const read = (): Buffer => {
        for (let i = 0; i < K; i++) if (crc32c(shards[i]!) !== storedCrcs[i]) throw new Error('crc mismatch');
        return openChunk(decode(shards, K, M, stored.originalLength), keys);
      };
      if (!read().equals(plaintext)) throw new Error('read pipeline returned other bytes');
      results.push(benchSync(`read pipeline (CRC+join+open) ${label(size)}`, size, read));

      const degraded = (): Buffer => {
        const present = shards.map((s, i) => (i === 0 || i === 2 ? null : s));
        for (let i = 0; i < K + M; i++) {
          const s = present[i];
          if (s != null && crc32c(s) !== storedCrcs[i]) throw new Error('crc mismatch');
        }
        return openChunk(decode(present, K, M, stored.originalLength), keys);
      };
      if (!degraded().equals(plaintext)) throw new Error('degraded read returned other bytes');
      results.push(benchSync(`read, 2 data shards lost (decode) ${label(size)}`, size, degraded));
    }
  } finally {
    keys.destroy();
    for (const k of [master, dedupKey, tdk, tik]) k.destroy();
  }
  return results;
}

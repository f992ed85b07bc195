/**
 * ChunkPipeline round trips and refusals, run twice: on real worker threads
 * (workers: 2, the worker script started through tsx as vitest has no TS
 * loader of its own) and inline (workers: 0). Both must behave identically,
 * and stripes sealed by one mode must open in the other.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';
import { computeChunkId } from '@tessera/crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChunkPipeline } from '../src/data/pipeline/index.js';
import type { ChunkKeySet, SealedStripe, StripeRead } from '../src/data/pipeline/index.js';
import { expectTesseraError, generateKeys, isolatedSet, keyHexes, plaintextOf, referenceChunkKeys, sharedSet } from './pipeline-fixtures.js';

const K = 4;
const M = 2;
const SIZES = [1, 4096, 1024 * 1024 + 3, 4 * 1024 * 1024];

const keys = generateKeys();
const secrets = keyHexes(keys);
const POLICIES: ReadonlyArray<readonly [string, ChunkKeySet]> = [
  ['shared', sharedSet(keys)],
  ['isolated', isolatedSet(keys)],
];

function readOf(stripe: SealedStripe, missing: readonly number[] = []): StripeRead {
  return { k: K, m: M, envelopeLength: stripe.envelopeLength, shards: stripe.shards.map((shard, i) => (missing.includes(i) ? undefined : shard)) };
}

function pairs(count: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let a = 0; a < count; a++) for (let b = a + 1; b < count; b++) out.push([a, b]);
  return out;
}

const pipelines: Record<'workers' | 'inline', ChunkPipeline | undefined> = { workers: undefined, inline: undefined };

beforeAll(async () => {
  [pipelines.workers, pipelines.inline] = await Promise.all([ChunkPipeline.start({ workers: 2 }), ChunkPipeline.start({ workers: 0 })]);
});

afterAll(async () => {
  await Promise.all([pipelines.workers?.close(), pipelines.inline?.close()]);
});

function pipeline(mode: 'workers' | 'inline'): ChunkPipeline {
  const started = pipelines[mode];
  if (started === undefined) throw new Error('pipeline not started');
  return started;
}

describe.each(['workers', 'inline'] as const)('ChunkPipeline (%s)', (mode) => {
  describe.each(POLICIES)('%s policy', (_name, set) => {
    it.each(SIZES)('seals and opens %i bytes', async (size) => {
      const plaintext = plaintextOf(size);
      const chunkId = await pipeline(mode).identify(plaintext, set);
      const stripe = await pipeline(mode).seal(plaintext, set, chunkId, K, M);
      expect(stripe.chunkId.equals(chunkId)).toBe(true);
      expect(stripe.shards).toHaveLength(K + M);
      expect(stripe.shardLength).toBe(Math.ceil(stripe.envelopeLength / K));
      for (const shard of stripe.shards) expect(shard.length).toBe(stripe.shardLength);
      // The envelope is the plaintext, a header and a 16-byte tag.
      expect(stripe.envelopeLength).toBeGreaterThan(size + 16);
      const opened = await pipeline(mode).open(readOf(stripe), set, chunkId);
      expect(opened.equals(plaintext)).toBe(true);
    });

    it('seals without an id given: the id is computed in the seal, equals identify, and the stripe opens under it', async () => {
      const plaintext = plaintextOf(200_003);
      const stripe = await pipeline(mode).seal(plaintext, set, undefined, K, M);
      expect(stripe.chunkId.equals(await pipeline(mode).identify(plaintext, set))).toBe(true);
      expect((await pipeline(mode).open(readOf(stripe), set, stripe.chunkId)).equals(plaintext)).toBe(true);
    });

    it('identify equals @tessera/crypto computeChunkId', async () => {
      const reference = referenceChunkKeys(set);
      try {
        for (const size of [0, 1, 4096, 100_003]) {
          const plaintext = plaintextOf(size);
          const id = await pipeline(mode).identify(plaintext, set);
          expect(id.equals(computeChunkId(reference, plaintext).id)).toBe(true);
        }
      } finally {
        reference.destroy();
      }
    });

    it('opens with any single data shard or any pair of shards missing', async () => {
      const plaintext = plaintextOf(256 * 1024 + 5);
      const chunkId = await pipeline(mode).identify(plaintext, set);
      const stripe = await pipeline(mode).seal(plaintext, set, chunkId, K, M);
      const patterns: number[][] = [...Array.from({ length: K }, (_, i) => [i]), ...pairs(K + M)];
      expect(patterns).toHaveLength(4 + 15);
      const opened = await Promise.all(patterns.map((missing) => pipeline(mode).open(readOf(stripe, missing), set, chunkId)));
      for (const result of opened) expect(result.equals(plaintext)).toBe(true);
    });

    it('refuses to seal under a chunk id it did not compute', async () => {
      const plaintext = plaintextOf(1000);
      const chunkId = await pipeline(mode).identify(plaintext, set);
      const wrong = Buffer.from(chunkId);
      wrong[0]! ^= 1;
      await expectTesseraError(pipeline(mode).seal(plaintext, set, wrong, K, M), ErrorCodes.CRYPTO_CHUNK_ID_MISMATCH, secrets);
      // An id computed under another key set is refused too.
      const otherId = await pipeline(mode).identify(plaintext, set.policy === 'shared' ? isolatedSet(keys) : sharedSet(keys));
      await expectTesseraError(pipeline(mode).seal(plaintext, set, otherId, K, M), ErrorCodes.CRYPTO_CHUNK_ID_MISMATCH, secrets);
    });

    it('refuses to open under the wrong expected chunk id', async () => {
      const plaintext = plaintextOf(5000);
      const chunkId = await pipeline(mode).identify(plaintext, set);
      const stripe = await pipeline(mode).seal(plaintext, set, chunkId, K, M);
      const other = await pipeline(mode).identify(plaintextOf(5000), set);
      await expectTesseraError(pipeline(mode).open(readOf(stripe), set, other), ErrorCodes.CRYPTO_CHUNK_ID_MISMATCH, secrets);
    });

    it('never returns plaintext from a tampered shard', async () => {
      const plaintext = plaintextOf(64 * 1024 + 1);
      const chunkId = await pipeline(mode).identify(plaintext, set);
      const stripe = await pipeline(mode).seal(plaintext, set, chunkId, K, M);
      // Flip one byte of the ciphertext: the tag fails.
      const shards = stripe.shards.map((shard) => Buffer.from(shard));
      shards[1]![100]! ^= 0x40;
      await expectTesseraError(
        pipeline(mode).open({ ...readOf(stripe), shards }, set, chunkId),
        ErrorCodes.CRYPTO_AUTH_FAILED,
        secrets,
      );
      // Any byte of any shard used (data shards, or parity standing in for a missing one): always a TesseraError.
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: K + M - 1 }),
          fc.integer({ min: 0, max: stripe.shardLength - 1 }),
          fc.integer({ min: 1, max: 255 }),
          async (shardIndex, byteIndex, flip) => {
            const tampered = stripe.shards.map((shard) => Buffer.from(shard));
            tampered[shardIndex]![byteIndex]! ^= flip;
            // A parity shard is read only in place of a missing data shard: drop shard 0 and the other parity shard.
            const missing = shardIndex >= K ? [0, shardIndex === K ? K + 1 : K] : [];
            const lastDataPadding = shardIndex === K - 1 && byteIndex >= stripe.envelopeLength - (K - 1) * stripe.shardLength;
            const outcome = await pipeline(mode).open(readOf({ ...stripe, shards: tampered }, missing), set, chunkId).then(
              (opened) => ({ opened }),
              (error: unknown) => ({ error }),
            );
            if ('opened' in outcome) {
              // Only the zero padding past the envelope may change without effect.
              expect(lastDataPadding).toBe(true);
              expect(outcome.opened.equals(plaintext)).toBe(true);
            } else {
              expect(outcome.error).toBeInstanceOf(TesseraError);
            }
          },
        ),
        { numRuns: 25 },
      );
    });

    it('leaves the caller’s buffers and keys intact', async () => {
      const plaintext = plaintextOf(10_000);
      const before = Buffer.from(plaintext);
      const chunkId = await pipeline(mode).identify(plaintext, set);
      const stripe = await pipeline(mode).seal(plaintext, set, chunkId, K, M);
      const shardsBefore = stripe.shards.map((shard) => Buffer.from(shard));
      await pipeline(mode).open(readOf(stripe), set, chunkId);
      expect(plaintext.equals(before)).toBe(true);
      stripe.shards.forEach((shard, i) => expect(shard.equals(shardsBefore[i]!)).toBe(true));
      for (const key of [keys.master, keys.dedupKey, keys.tdk, keys.tik]) expect(key.destroyed).toBe(false);
    });
  });

  it('refuses the envelope under another tenant or epoch (CRYPTO_KEY_MISMATCH)', async () => {
    const set = isolatedSet(keys);
    const plaintext = plaintextOf(3000);
    const chunkId = await pipeline(mode).identify(plaintext, set);
    const stripe = await pipeline(mode).seal(plaintext, set, chunkId, K, M);
    const wrongSets = [isolatedSet(keys, 'other'), isolatedSet(keys, 'acme', 4), isolatedSet(keys, 'acme', 3, 2), sharedSet(keys)];
    for (const wrong of wrongSets) {
      await expectTesseraError(pipeline(mode).open(readOf(stripe), wrong, chunkId), ErrorCodes.CRYPTO_KEY_MISMATCH, secrets);
    }
    // Same names, other key bytes: the tag does not verify.
    const otherKeys = generateKeys();
    await expectTesseraError(pipeline(mode).open(readOf(stripe), isolatedSet(otherKeys), chunkId), ErrorCodes.CRYPTO_AUTH_FAILED, [
      ...secrets,
      ...keyHexes(otherKeys),
    ]);
  });

  it('refuses malformed stripe reads with typed errors', async () => {
    const set = sharedSet(keys);
    const plaintext = plaintextOf(2000);
    const chunkId = await pipeline(mode).identify(plaintext, set);
    const stripe = await pipeline(mode).seal(plaintext, set, chunkId, K, M);
    const p = pipeline(mode);
    await expectTesseraError(p.open(readOf(stripe, [0, 1, 2]), set, chunkId), ErrorCodes.ERASURE_TOO_FEW_SHARDS);
    await expectTesseraError(p.open({ ...readOf(stripe), shards: stripe.shards.slice(1) }, set, chunkId), ErrorCodes.ERASURE_BAD_PARAMS);
    await expectTesseraError(p.open({ ...readOf(stripe), envelopeLength: stripe.envelopeLength + K * 10 }, set, chunkId), ErrorCodes.ERASURE_SHARD_SIZE_MISMATCH);
    await expectTesseraError(p.open({ ...readOf(stripe), envelopeLength: 0 }, set, chunkId), ErrorCodes.CRYPTO_BAD_ENVELOPE);
    await expectTesseraError(p.open({ ...readOf(stripe), k: 0 }, set, chunkId), ErrorCodes.ERASURE_BAD_PARAMS);
    await expectTesseraError(p.open(readOf(stripe), set, chunkId.subarray(1)), ErrorCodes.INVALID_CHUNK_ID);
    await expectTesseraError(p.seal(plaintext, set, chunkId, 0, 2), ErrorCodes.ERASURE_BAD_PARAMS);
  });

  it('turns arbitrary shard bytes into a TesseraError, never another exception', async () => {
    const set = sharedSet(keys);
    const chunkId = await pipeline(mode).identify(plaintextOf(10), set);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 600 }), fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: K + M, maxLength: K + M }), async (envelopeLength, raw) => {
        const shardLength = Math.ceil(envelopeLength / K);
        const shards = raw.map((bytes) => {
          const shard = new Uint8Array(shardLength);
          shard.set(bytes.subarray(0, shardLength));
          return shard;
        });
        await expect(pipeline(mode).open({ k: K, m: M, envelopeLength, shards }, set, chunkId)).rejects.toBeInstanceOf(TesseraError);
      }),
      { numRuns: 40 },
    );
  });

  it('fails closed on destroyed keys', async () => {
    const doomed = generateKeys();
    const set = sharedSet(doomed);
    doomed.master.destroy();
    await expectTesseraError(pipeline(mode).identify(plaintextOf(10), set), ErrorCodes.CRYPTO_KEY_DESTROYED);
  });
});

describe('ChunkPipeline worker and inline modes agree', () => {
  it.each(POLICIES)('%s: stripes sealed by either mode open in the other, with the same chunk id', async (_name, set) => {
    const plaintext = plaintextOf(300_001);
    const [idWorkers, idInline] = await Promise.all([pipeline('workers').identify(plaintext, set), pipeline('inline').identify(plaintext, set)]);
    expect(idWorkers.equals(idInline)).toBe(true);
    const fromWorkers = await pipeline('workers').seal(plaintext, set, idWorkers, K, M);
    const fromInline = await pipeline('inline').seal(plaintext, set, idInline, K, M);
    expect(fromWorkers.envelopeLength).toBe(fromInline.envelopeLength);
    expect(fromWorkers.shardLength).toBe(fromInline.shardLength);
    expect((await pipeline('inline').open(readOf(fromWorkers, [1]), set, idWorkers)).equals(plaintext)).toBe(true);
    expect((await pipeline('workers').open(readOf(fromInline, [2, 5]), set, idInline)).equals(plaintext)).toBe(true);
  });

  it('counts jobs and stage time in stats', () => {
    for (const mode of ['workers', 'inline'] as const) {
      const stats = pipeline(mode).stats();
      expect(stats.workers).toBe(mode === 'workers' ? 2 : 0);
      expect(stats.completed).toBeGreaterThan(0);
      expect(stats.failed).toBeGreaterThan(0);
      expect(stats.busyMs.seal).toBeGreaterThan(0);
      expect(stats.busyMs.open).toBeGreaterThan(0);
      expect(stats.busyMs.identify).toBeGreaterThan(0);
    }
  });
});

/**
 * Reuse of the pipeline's buffers: the recycler's bounds, the worker side
 * zero-filling a job's whole plaintext buffer before it goes back, correct
 * results when a reused buffer is longer than the next job's bytes, and
 * released stripes encoded into again without ever exposing the new bytes
 * through the old views.
 */
import { computeChunkId } from '@tessera/crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ChunkPipeline } from '../src/data/pipeline/chunk-pipeline.js';
import type { SealedStripe } from '../src/data/pipeline/index.js';
import { packJobKeys } from '../src/data/pipeline/job-keys.js';
import { BufferRecycler, MIN_RECYCLED_BYTES } from '../src/data/pipeline/recycler.js';
import { runJob } from '../src/data/pipeline/run-job.js';
import { spentBuffer } from '../src/data/pipeline/transfer.js';
import { generateKeys, plaintextOf, referenceChunkKeys, sharedSet } from './pipeline-fixtures.js';

const keys = generateKeys();
const set = sharedSet(keys);

describe('BufferRecycler', () => {
  it('hands out small buffers fresh and exact, large ones with a power-of-two capacity', () => {
    const recycler = new BufferRecycler();
    const small = recycler.take(1000);
    expect(small.byteLength).toBe(1000);
    expect(small.buffer.byteLength).toBe(1000);
    const large = recycler.take(3 * 1024 * 1024 + 5);
    expect(large.byteLength).toBe(3 * 1024 * 1024 + 5);
    expect(large.byteOffset).toBe(0);
    expect(large.buffer.byteLength).toBe(4 * 1024 * 1024);
    // Above 1 MiB the classes are whole MiB: a 4+2 stripe of a 4 MiB chunk takes 7.
    expect(recycler.take(6 * 1024 * 1024 + 4096).buffer.byteLength).toBe(7 * 1024 * 1024);
    expect(recycler.take(600 * 1024).buffer.byteLength).toBe(1024 * 1024);
  });

  it('reuses a returned buffer for the next job of its capacity class', () => {
    const recycler = new BufferRecycler();
    const first = recycler.take(MIN_RECYCLED_BYTES + 1);
    const buffer = first.buffer as ArrayBuffer;
    new Uint8Array(buffer).fill(0);
    recycler.give(buffer);
    expect(recycler.freeBytes).toBe(buffer.byteLength);
    const second = recycler.take(MIN_RECYCLED_BYTES + 100);
    expect(second.buffer).toBe(buffer);
    expect(second.byteLength).toBe(MIN_RECYCLED_BYTES + 100);
    expect(recycler.freeBytes).toBe(0);
    // Another class does not get it.
    recycler.give(buffer);
    expect(recycler.take(MIN_RECYCLED_BYTES * 4).buffer).not.toBe(buffer);
  });

  it('keeps nothing it could not have handed out, and no more than its bound', () => {
    const recycler = new BufferRecycler(2 * MIN_RECYCLED_BYTES);
    recycler.give(new ArrayBuffer(MIN_RECYCLED_BYTES + 1)); // not a capacity class
    recycler.give(new ArrayBuffer(1024)); // too small
    recycler.give(new Uint8Array(MIN_RECYCLED_BYTES)); // not an ArrayBuffer
    recycler.give(undefined);
    expect(recycler.freeBytes).toBe(0);
    for (let i = 0; i < 3; i++) recycler.give(new ArrayBuffer(MIN_RECYCLED_BYTES));
    expect(recycler.freeBytes).toBe(2 * MIN_RECYCLED_BYTES);
    recycler.clear();
    expect(recycler.freeBytes).toBe(0);
  });
});

describe('worker side of a job', () => {
  it.each(['identify', 'seal'] as const)('%s zero-fills the whole buffer, beyond the job bytes, success or not', (kind) => {
    const plaintext = plaintextOf(MIN_RECYCLED_BYTES + 3);
    const reference = referenceChunkKeys(set);
    const chunkId = computeChunkId(reference, plaintext).id;
    reference.destroy();
    for (const expectedId of [chunkId, Buffer.alloc(32, 7)]) {
      const buffer = new ArrayBuffer(2 * MIN_RECYCLED_BYTES);
      new Uint8Array(buffer).fill(0xaa); // stale bytes past the job's view
      const view = new Uint8Array(buffer, 0, plaintext.byteLength);
      view.set(plaintext);
      const job =
        kind === 'identify'
          ? { kind, keys: packJobKeys(set), plaintext: view }
          : { kind, keys: packJobKeys(set), plaintext: view, chunkId: Uint8Array.from(expectedId), k: 4, m: 2 };
      try {
        runJob(job);
      } catch {
        // A refused seal (wrong id) must wipe as well.
      }
      expect(new Uint8Array(buffer).every((byte) => byte === 0)).toBe(true);
      expect(spentBuffer(view)).toBe(buffer);
    }
  });

  it('gives back nothing for a detached or foreign value', () => {
    const view = new Uint8Array(new ArrayBuffer(16));
    structuredClone(view.buffer, { transfer: [view.buffer] }); // detaches the view's buffer, as a transfer does
    expect(spentBuffer(view)).toBeUndefined();
    expect(spentBuffer('not bytes')).toBeUndefined();
  });
});

describe('ChunkPipeline with recycled buffers', () => {
  const started: ChunkPipeline[] = [];
  afterAll(async () => {
    await Promise.all(started.map((pipeline) => pipeline.close()));
  });

  it('gives the right ids and stripes when a reused buffer is longer than the next chunk', async () => {
    const pipeline = await ChunkPipeline.start({ workers: 1 });
    started.push(pipeline);
    const reference = referenceChunkKeys(set);
    try {
      // Each size reuses buffers the earlier, longer ones left (same capacity class).
      for (const size of [MIN_RECYCLED_BYTES * 2, MIN_RECYCLED_BYTES * 2 - 1, MIN_RECYCLED_BYTES + 1, MIN_RECYCLED_BYTES * 2]) {
        const plaintext = plaintextOf(size);
        const chunkId = await pipeline.identify(plaintext, set);
        expect(chunkId.equals(computeChunkId(reference, plaintext).id)).toBe(true);
        const stripe = await pipeline.seal(plaintext, set, chunkId, 4, 2);
        const read = { k: 4, m: 2, envelopeLength: stripe.envelopeLength, shards: [undefined, ...stripe.shards.slice(1)] };
        expect((await pipeline.open(read, set, chunkId)).equals(plaintext)).toBe(true);
      }
    } finally {
      reference.destroy();
    }
  });
});

describe('ChunkPipeline.release', () => {
  const started: ChunkPipeline[] = [];
  afterAll(async () => {
    await Promise.all(started.map((pipeline) => pipeline.close()));
  });

  async function sealed(pipeline: ChunkPipeline, size: number): Promise<{ plaintext: Buffer; chunkId: Buffer; stripe: SealedStripe }> {
    const plaintext = plaintextOf(size);
    const chunkId = await pipeline.identify(plaintext, set);
    return { plaintext, chunkId, stripe: await pipeline.seal(plaintext, set, chunkId, 4, 2) };
  }

  it('reuses a released stripe for the next seal: the old views go empty, never showing the new chunk', async () => {
    const pipeline = await ChunkPipeline.start({ workers: 1 });
    started.push(pipeline);
    const first = await sealed(pipeline, MIN_RECYCLED_BYTES * 3);
    const oldShard = first.stripe.shards[0]!;
    pipeline.release(first.stripe);
    pipeline.release(first.stripe); // a second release is ignored (the memory is not handed out twice)
    const [second, third] = await Promise.all([sealed(pipeline, MIN_RECYCLED_BYTES * 3), sealed(pipeline, MIN_RECYCLED_BYTES * 3)]);
    // The released memory went to a worker with the next seal: every old view of it is detached.
    expect(oldShard.byteLength).toBe(0);
    expect(second.stripe.shards[0]!.buffer).not.toBe(third.stripe.shards[0]!.buffer);
    for (const { plaintext, chunkId, stripe } of [second, third]) {
      const read = { k: 4, m: 2, envelopeLength: stripe.envelopeLength, shards: [undefined, undefined, ...stripe.shards.slice(2)] };
      expect((await pipeline.open(read, set, chunkId)).equals(plaintext)).toBe(true);
    }
  });

  it('ignores stripes it did not return, and keeps stripes intact inline', async () => {
    const workers = await ChunkPipeline.start({ workers: 1 });
    const inline = await ChunkPipeline.start({ workers: 0 });
    started.push(workers, inline);
    const foreign = await sealed(inline, MIN_RECYCLED_BYTES);
    const copy = foreign.stripe.shards.map((shard) => Buffer.from(shard));
    workers.release(foreign.stripe);
    inline.release(foreign.stripe);
    await sealed(workers, MIN_RECYCLED_BYTES);
    await sealed(inline, MIN_RECYCLED_BYTES);
    foreign.stripe.shards.forEach((shard, i) => expect(shard.equals(copy[i]!)).toBe(true));
  });
});

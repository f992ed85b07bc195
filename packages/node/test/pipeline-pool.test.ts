/**
 * The pipeline's worker pool: FIFO queueing with bounded concurrency (one job
 * running per worker, the next posted ahead), closing, and a crashed worker
 * (an uncaught exception in the thread) failing only its own job — the job
 * posted behind it runs elsewhere — and being replaced. These run real worker
 * threads.
 */
import { ErrorCodes } from '@tessera/common';
import { computeChunkId } from '@tessera/crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ChunkPipeline, pipelinePool, startChunkPipeline } from '../src/data/pipeline/chunk-pipeline.js';
import { workerLaunch } from '../src/data/pipeline/worker-launch.js';
import { WorkerPool } from '../src/data/pipeline/worker-pool.js';
import { expectTesseraError, generateKeys, isolatedSet, plaintextOf, referenceChunkKeys, sharedSet } from './pipeline-fixtures.js';

const keys = generateKeys();
const set = sharedSet(keys);
const started: ChunkPipeline[] = [];

async function start(workers: number, testHooks = false): Promise<ChunkPipeline> {
  const pipeline = await startChunkPipeline({ workers }, { testHooks });
  started.push(pipeline);
  return pipeline;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((pipeline) => pipeline.close()));
});

describe('ChunkPipeline worker pool', () => {
  it('posts at most two jobs to each worker and queues the rest in order', async () => {
    const pipeline = await start(2);
    const plaintexts = Array.from({ length: 6 }, () => plaintextOf(200_000));
    const finished: number[] = [];
    // Submission is synchronous up to the queue, so the counts are exact right after.
    const jobs = plaintexts.map((plaintext, i) => pipeline.identify(plaintext, set).then((id) => (finished.push(i), id)));
    expect(pipeline.stats()).toMatchObject({ running: 4, queued: 2 });
    const ids = await Promise.all(jobs);
    expect(new Set(ids.map((id) => id.toString('hex'))).size).toBe(6);
    expect(pipeline.stats()).toMatchObject({ running: 0, queued: 0, completed: 6, failed: 0 });
    // FIFO: the last job is posted only once two replies freed room for the last two.
    expect(finished.indexOf(5)).toBeGreaterThanOrEqual(2);
  });

  it('fails the job of a crashed worker, replaces the worker, and keeps serving', async () => {
    const pipeline = await start(2, true);
    const pool = pipelinePool(pipeline)!;
    const crash = pool.run(() => ({ job: { kind: 'crash' }, transfer: [] }));
    const error = await expectTesseraError(crash, ErrorCodes.PIPELINE_WORKER_FAILED);
    expect(error.retriable).toBe(true);
    await pool.whenFull();
    expect(pool.stats()).toMatchObject({ ready: 2, replaced: 1, running: 0 });
    // Both the replacement and the survivor serve jobs (four at once keep both busy).
    const plaintext = plaintextOf(50_000);
    const chunkId = await pipeline.identify(plaintext, isolatedSet(keys));
    const stripes = await Promise.all(Array.from({ length: 4 }, () => pipeline.seal(plaintext, isolatedSet(keys), chunkId, 4, 2)));
    for (const stripe of stripes) {
      const read = { k: 4, m: 2, envelopeLength: stripe.envelopeLength, shards: [undefined, ...stripe.shards.slice(1)] };
      expect((await pipeline.open(read, isolatedSet(keys), chunkId)).equals(plaintext)).toBe(true);
    }
    expect(pipeline.stats().workersReplaced).toBe(1);
  }, 15_000); // whenFull never settles if no replacement starts: fail fast rather than at the suite's 60 s

  it('runs the job posted behind a crashed one on the replacement worker', async () => {
    const pipeline = await start(1, true);
    const pool = pipelinePool(pipeline)!;
    const plaintext = plaintextOf(300_000);
    const crash = pool.run(() => ({ job: { kind: 'crash' }, transfer: [] }));
    const behind = pipeline.identify(plaintext, set);
    expect(pipeline.stats()).toMatchObject({ running: 2, queued: 0 });
    await expectTesseraError(crash, ErrorCodes.PIPELINE_WORKER_FAILED);
    // Its copy went down with the worker: it is prepared again from the caller's bytes.
    const id = await behind;
    const reference = referenceChunkKeys(set);
    try {
      expect(id.equals(computeChunkId(reference, plaintext).id)).toBe(true);
    } finally {
      reference.destroy();
    }
    expect(pipeline.stats()).toMatchObject({ workersReplaced: 1, completed: 1 });
  }, 15_000);

  it('refuses the crash job unless started with test hooks', async () => {
    const pipeline = await start(1);
    const reply = await pipelinePool(pipeline)!.run(() => ({ job: { kind: 'crash' }, transfer: [] }));
    expect(reply).toMatchObject({ ok: false, error: { code: ErrorCodes.INVALID_ARGUMENT } });
    expect(pipeline.stats().workersReplaced).toBe(0);
  });

  it('on close, finishes running jobs, refuses queued and new ones', async () => {
    const pipeline = await start(1);
    const plaintext = plaintextOf(100_000);
    // The first is running and the second posted behind it: both are on the worker and finish.
    const running = [pipeline.identify(plaintext, set), pipeline.identify(plaintext, set)];
    const queued = [pipeline.identify(plaintext, set), pipeline.identify(plaintext, set)];
    expect(pipeline.stats()).toMatchObject({ running: 2, queued: 2 });
    const closing = pipeline.close();
    // Checked from now on, so the refusals are observed as they happen.
    const refusals = Promise.all(queued.map((job) => expectTesseraError(job, ErrorCodes.PIPELINE_CLOSED)));
    for (const id of await Promise.all(running)) expect(id).toHaveLength(32);
    await refusals;
    await closing;
    await expectTesseraError(pipeline.identify(plaintext, set), ErrorCodes.PIPELINE_CLOSED);
    await pipeline.close();
  });

  it('packs keys when a worker takes the job: a key destroyed while queued fails only that job', async () => {
    const pipeline = await start(1);
    const doomed = generateKeys();
    const plaintext = plaintextOf(100_000);
    // Two jobs go to the worker at once (packed then); the victim waits in the queue.
    const first = pipeline.identify(plaintext, set);
    const second = pipeline.identify(plaintext, set);
    const victim = pipeline.identify(plaintext, sharedSet(doomed));
    const last = pipeline.identify(plaintext, set);
    expect(pipeline.stats()).toMatchObject({ running: 2, queued: 2 });
    doomed.dedupKey.destroy();
    const refused = expectTesseraError(victim, ErrorCodes.CRYPTO_KEY_DESTROYED);
    const [a, b, c] = await Promise.all([first, second, last]);
    expect(a.equals(b) && a.equals(c)).toBe(true);
    await refused;
  });

  it('refuses jobs after close in inline mode too', async () => {
    const pipeline = await start(0);
    await pipeline.close();
    await expectTesseraError(pipeline.identify(plaintextOf(1), set), ErrorCodes.PIPELINE_CLOSED);
  });

  it('rejects a bad worker count', async () => {
    for (const workers of [-1, 1.5, 65]) await expectTesseraError(ChunkPipeline.start({ workers }), ErrorCodes.INVALID_ARGUMENT);
  });

  it('refuses plaintext over MAX_CHUNK_PLAINTEXT_BYTES before copying it anywhere', async () => {
    const pipeline = await start(0);
    const huge = new Uint8Array(64 * 1024 * 1024 + 1);
    await expectTesseraError(pipeline.identify(huge, set), ErrorCodes.INVALID_ARGUMENT);
  });

  it('starts even when a worker dies before it is ready (it is replaced), and gives up only after repeated deaths', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tessera-pool-'));
    try {
      const real = workerLaunch();
      const realStart = real.eval ? String(real.script) : `import(${JSON.stringify((real.script as URL).href)});`;
      // The first worker to start finds no marker file: it leaves one and dies before it is ready.
      const marker = path.join(dir, 'died-once');
      const flaky = `const fs = require('node:fs'); if (!fs.existsSync(${JSON.stringify(marker)})) { fs.writeFileSync(${JSON.stringify(marker)}, ''); throw new Error('dies on start'); } ${realStart}`;
      const pool = await WorkerPool.start({ size: 2, launch: { script: flaky, eval: true, execArgv: real.execArgv }, workerData: { testHooks: false } });
      try {
        expect(pool.stats()).toMatchObject({ ready: 2 });
      } finally {
        await pool.close();
      }
      // A worker that always dies on start: the pool gives up with a typed error.
      const doomed = WorkerPool.start({ size: 1, launch: { script: `throw new Error('always dies')`, eval: true, execArgv: real.execArgv }, workerData: { testHooks: false } });
      await expectTesseraError(doomed, ErrorCodes.PIPELINE_WORKER_FAILED);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

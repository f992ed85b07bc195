/**
 * ChunkPipeline: the CPU stages of the storage node's data path (chunk id,
 * seal + Reed-Solomon, decode + open) run off the event loop on a small pool
 * of worker threads, so Raft ticks and RPC handling are not starved while a
 * 4 MiB chunk is hashed, encrypted and encoded (DESIGN section 2).
 *
 * Callers just await: jobs queue FIFO and at most `workers` run at once (each
 * worker also holds its next job, posted ahead: worker-pool.ts). With
 * `workers: 0` every job runs inline on the calling thread through the very
 * same stage functions (stages.ts), for tests and tiny machines.
 *
 * Bytes: caller buffers are copied once into memory the pipeline owns, which
 * is transferred (moved) to the worker; results come back the same way, so a
 * sealed stripe's shards are views of one buffer the caller now owns. The
 * copy (and the packing of the key bytes) happens when the job is posted to a
 * worker (at most two per worker), not when it is queued, so the queue holds
 * no copies: the caller must not change a plaintext or shard until its
 * promise settles (a job whose worker died before starting it is copied
 * again). Plaintext copies go back and forth in buffers the workers wipe and
 * return for reuse (recycler.ts). Keys: see job-keys.ts (raw bytes per job,
 * wiped in the worker after the job).
 */
import { performance } from 'node:perf_hooks';
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { ErrorCode, WireError } from '@tessera/common';
import { zeroize } from '@tessera/crypto';
import type { ChunkKeys } from '@tessera/crypto';
import { checkParams, stripeBytes } from '@tessera/erasure';
import type { MaybeShard } from '@tessera/erasure';
import { chunkKeysFor, packJobKeys } from './job-keys.js';
import type { JobKeys } from './job-keys.js';
import type { JobResult } from './protocol.js';
import { MAX_ENVELOPE_OVERHEAD_BYTES, checkChunkIdArgument, checkPlaintext, checkStripeRead, identifyChunk, openStripe, sealStripe } from './stages.js';
import { BufferRecycler } from './recycler.js';
import { asBuffer, ownedBuffer, transferOf } from './transfer.js';
import type { ChunkKeySet, ChunkPipelineOptions, ChunkPipelineStats, PipelineStage, SealedStripe, StripeRead } from './types.js';
import { workerLaunch } from './worker-launch.js';
import { WorkerPool } from './worker-pool.js';
import type { DoneReply, PreparedJob } from './worker-pool.js';

export const DEFAULT_PIPELINE_WORKERS = 2;
/** More threads than this would only contend for the same few cores. */
export const MAX_PIPELINE_WORKERS = 64;

/**
 * Jobs posted to a worker at once: the running one and the next, so a worker
 * never waits for this thread to copy and post its next job (measured: with
 * one, 2 workers barely beat inline on 4 MiB chunks; see the pipeline bench).
 */
const WORKER_DEPTH = 2;

/** Released stripe memory kept for reuse: 8 stripes of a 4 MiB chunk (7 MiB each) and some. */
const STRIPE_RECYCLE_BYTES = 64 * 1024 * 1024;

const KNOWN_CODES = new Set<string>(Object.values(ErrorCodes));

/** Turns a worker's error report back into a TesseraError (an unknown code becomes INTERNAL). */
function fromWire(error: WireError): TesseraError {
  if (!KNOWN_CODES.has(error.code)) return new TesseraError(ErrorCodes.INTERNAL, 'internal error');
  return new TesseraError(error.code as ErrorCode, error.message, { retriable: error.retriable });
}

/** Internal construction options (not part of the public API). */
interface StartInternals {
  /** Let workers honour the 'crash' job (tests of the crash path). */
  readonly testHooks: boolean;
}

// Set by ChunkPipeline's static block: the only way to reach its private constructor and pool from this module.
let construct: (workers: number, pool: WorkerPool | undefined) => ChunkPipeline;
let poolOf: (pipeline: ChunkPipeline) => WorkerPool | undefined;

export class ChunkPipeline {
  readonly #workers: number;
  readonly #pool: WorkerPool | undefined;
  /** Plaintext buffers the workers zero-filled and gave back, for the next jobs' copies. */
  readonly #recycler = new BufferRecycler();
  /** Memory of released stripes, for the next seal jobs to encode into. */
  readonly #stripes = new BufferRecycler(STRIPE_RECYCLE_BYTES);
  /** Stripe buffers this pipeline returned and that were not released yet: only these can be released (once). */
  readonly #issuedStripes = new WeakSet<ArrayBuffer>();
  #closed = false;
  #inlineRunning = 0;
  #completed = 0;
  #failed = 0;
  readonly #busyMs: Record<PipelineStage, number> = { identify: 0, seal: 0, open: 0 };

  private constructor(workers: number, pool: WorkerPool | undefined) {
    this.#workers = workers;
    this.#pool = pool;
  }

  static {
    construct = (workers, pool) => new ChunkPipeline(workers, pool);
    poolOf = (pipeline) => pipeline.#pool;
  }

  static async start(options: ChunkPipelineOptions = {}): Promise<ChunkPipeline> {
    return startChunkPipeline(options, { testHooks: false });
  }

  /** Chunk id of the plaintext under the key set: HMAC-SHA256(dedupKey, pt) shared; HMAC(HKDF(TIK, "tessera/v1/chunk-id"), pt) isolated. */
  async identify(plaintext: Uint8Array, keys: ChunkKeySet): Promise<Buffer> {
    checkPlaintext(plaintext);
    if (this.#pool === undefined) return this.#inline('identify', keys, (chunkKeys) => identifyChunk(chunkKeys, plaintext));
    const result = await this.#submit(keys, (jobKeys) => {
      const copy = this.#copyIn(plaintext);
      return { job: { kind: 'identify', keys: jobKeys, plaintext: copy }, transfer: [transferOf(copy)] };
    });
    return Buffer.from(expectResult(result, 'identify').chunkId);
  }

  /**
   * Seals (envelope v1, AES-256-GCM) then Reed-Solomon k+m, under the chunk
   * id computed in the same job (the stripe's `chunkId`). Given `chunkId`
   * (from an earlier `identify`), refuses with CRYPTO_CHUNK_ID_MISMATCH when
   * the recomputed id differs; `undefined` computes the id only once (a
   * gateway expecting new data seals first and checks for a duplicate after).
   */
  async seal(plaintext: Uint8Array, keys: ChunkKeySet, chunkId: Uint8Array | undefined, k: number, m: number): Promise<SealedStripe> {
    checkPlaintext(plaintext);
    if (chunkId !== undefined) checkChunkIdArgument(chunkId);
    checkParams(k, m);
    if (this.#pool === undefined) {
      const sealed = this.#inline('seal', keys, (chunkKeys) => sealStripe(chunkKeys, plaintext, chunkId, k, m));
      return stripeOf(sealed.chunkId, sealed.envelopeLength, sealed.shardLength, sealed.stripe, k + m);
    }
    const id = chunkId === undefined ? undefined : Uint8Array.from(chunkId);
    const result = await this.#submit(keys, (jobKeys) => {
      const copy = this.#copyIn(plaintext);
      // Memory to encode into, big enough for any envelope of this plaintext: a released stripe's when one is free.
      const into = this.#stripes.take(stripeBytes(plaintext.byteLength + MAX_ENVELOPE_OVERHEAD_BYTES, k, m)).buffer as ArrayBuffer;
      return { job: { kind: 'seal', keys: jobKeys, plaintext: copy, chunkId: id, k, m, into }, transfer: [transferOf(copy), into] };
    });
    const sealed = expectResult(result, 'seal');
    const stripe = asBuffer(sealed.stripe);
    if (stripe.buffer instanceof ArrayBuffer) this.#issuedStripes.add(stripe.buffer);
    return stripeOf(Buffer.from(sealed.chunkId), sealed.envelopeLength, sealed.shardLength, stripe, k + m);
  }

  /**
   * Decodes when data shards are missing, opens the envelope (its header must
   * match the key set) and checks the plaintext hashes to `chunkId`: the
   * plaintext, or a TesseraError (never plaintext on failure).
   */
  async open(read: StripeRead, keys: ChunkKeySet, chunkId: Uint8Array): Promise<Buffer> {
    checkChunkIdArgument(chunkId);
    // Our own list of the caller's shard views, validated once (their bytes are copied at dispatch).
    const shards: readonly MaybeShard[] = Array.isArray(read.shards) ? [...read.shards] : (read.shards as readonly MaybeShard[]);
    const shardLength = checkStripeRead(shards, read.k, read.m, read.envelopeLength);
    if (this.#pool === undefined) {
      return this.#inline('open', keys, (chunkKeys) => openStripe(chunkKeys, shards, read.k, read.m, read.envelopeLength, chunkId));
    }
    const { k, m, envelopeLength } = read;
    const id = Uint8Array.from(chunkId);
    const result = await this.#submit(keys, (jobKeys) => {
      const packed = packShards(shards, shardLength);
      return { job: { kind: 'open', keys: jobKeys, ...packed, k, m, envelopeLength, chunkId: id }, transfer: [transferOf(packed.packed)] };
    });
    return asBuffer(expectResult(result, 'open').plaintext);
  }

  /**
   * Gives a sealed stripe's memory back for the next seals to encode into,
   * once every shard of it has been written (a shard store does not copy a
   * payload until its write settles). The stripe's shards must not be used
   * afterwards: the memory moves to a worker with the next seal job, which
   * detaches every view of it (they read as empty, never as another chunk's
   * bytes). Inline (0 workers) nothing would detach them, so nothing is
   * reused. A stripe this pipeline did not return, or one already released,
   * is ignored.
   */
  release(stripe: SealedStripe): void {
    if (this.#pool === undefined || this.#closed) return;
    const buffer = stripe.shards[0]?.buffer;
    if (!(buffer instanceof ArrayBuffer) || !this.#issuedStripes.has(buffer)) return;
    this.#issuedStripes.delete(buffer);
    this.#stripes.give(buffer);
  }

  stats(): ChunkPipelineStats {
    const pool = this.#pool?.stats() ?? { queued: 0, running: this.#inlineRunning, replaced: 0 };
    return {
      workers: this.#workers,
      queued: pool.queued,
      running: pool.running,
      completed: this.#completed,
      failed: this.#failed,
      workersReplaced: pool.replaced,
      busyMs: { ...this.#busyMs },
    };
  }

  /** Refuses new and queued jobs (PIPELINE_CLOSED), lets running ones finish, stops the workers. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool?.close();
    this.#recycler.clear();
    this.#stripes.clear();
  }

  /** The caller's plaintext copied into a transferable buffer (a recycled one when free). */
  #copyIn(plaintext: Uint8Array): Uint8Array {
    const copy = this.#recycler.take(plaintext.byteLength);
    copy.set(plaintext);
    return copy;
  }

  #checkOpen(): void {
    if (this.#closed) throw new TesseraError(ErrorCodes.PIPELINE_CLOSED, 'chunk pipeline is closed');
  }

  /** Runs a stage on this thread with ChunkKeys built from the caller's keys, destroyed afterwards. */
  #inline<T>(stage: PipelineStage, keys: ChunkKeySet, run: (chunkKeys: ChunkKeys) => T): T {
    this.#checkOpen();
    const started = performance.now();
    this.#inlineRunning++;
    try {
      const chunkKeys = chunkKeysFor(keys);
      try {
        const result = run(chunkKeys.keys);
        this.#completed++;
        return result;
      } finally {
        chunkKeys.destroy();
      }
    } catch (error) {
      this.#failed++;
      throw error;
    } finally {
      this.#inlineRunning--;
      this.#busyMs[stage] += performance.now() - started;
    }
  }

  /**
   * Queues a job on the pool. When a worker is free, the key bytes are packed
   * and `build` copies the caller's bytes; both move to the worker. Unwraps
   * the worker's reply into the result or a TesseraError.
   */
  async #submit(keys: ChunkKeySet, build: (jobKeys: JobKeys) => PreparedJob): Promise<JobResult> {
    this.#checkOpen();
    const pool = this.#pool!;
    let jobKeys: JobKeys | undefined;
    let reply: DoneReply;
    try {
      reply = await pool.run(() => {
        jobKeys = packJobKeys(keys);
        const prepared = build(jobKeys);
        return { job: prepared.job, transfer: [...prepared.transfer, transferOf(jobKeys.secret)] };
      });
    } catch (error) {
      this.#failed++;
      throw error;
    } finally {
      // Once transferred the view is detached (length 0) and there is nothing here to wipe;
      // if the job never left this thread, the bytes are wiped now.
      if (jobKeys !== undefined && jobKeys.secret.byteLength > 0) zeroize(jobKeys.secret);
    }
    if (reply.spent !== undefined) this.#recycler.give(reply.spent);
    if (reply.spare !== undefined) this.#stripes.give(reply.spare);
    if (reply.stage !== undefined) this.#busyMs[reply.stage] += reply.busyMs;
    if (!reply.ok) {
      this.#failed++;
      throw fromWire(reply.error);
    }
    this.#completed++;
    return reply.result;
  }
}

/** The present shards, copied back to back in slot order into one transferable buffer, and which slots they fill. */
function packShards(shards: readonly MaybeShard[], shardLength: number): { readonly packed: Uint8Array; readonly present: boolean[] } {
  const present = shards.map((shard) => shard !== undefined && shard !== null);
  const packed = ownedBuffer(present.filter(Boolean).length * shardLength);
  let at = 0;
  for (const shard of shards) {
    if (shard === undefined || shard === null) continue;
    packed.set(shard, at);
    at += shardLength;
  }
  return { packed, present };
}

function expectResult<K extends JobResult['kind']>(result: JobResult, kind: K): Extract<JobResult, { kind: K }> {
  if (result.kind !== kind) throw new TesseraError(ErrorCodes.INTERNAL, 'internal error');
  return result as Extract<JobResult, { kind: K }>;
}

/** Shard i is a view of bytes [i·shardLength, (i+1)·shardLength) of the one stripe buffer. */
function stripeOf(chunkId: Buffer, envelopeLength: number, shardLength: number, stripe: Buffer, count: number): SealedStripe {
  const shards = Array.from({ length: count }, (_, i) => stripe.subarray(i * shardLength, (i + 1) * shardLength));
  return { chunkId, envelopeLength, shardLength, shards };
}

/** Starts a pipeline; `internals` are for this package's tests only. */
export async function startChunkPipeline(options: ChunkPipelineOptions, internals: StartInternals): Promise<ChunkPipeline> {
  const workers = options.workers ?? DEFAULT_PIPELINE_WORKERS;
  if (!Number.isInteger(workers) || workers < 0 || workers > MAX_PIPELINE_WORKERS) {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `workers must be an integer from 0 to ${MAX_PIPELINE_WORKERS}`);
  }
  if (workers === 0) return construct(0, undefined);
  const pool = await WorkerPool.start({ size: workers, depth: WORKER_DEPTH, launch: workerLaunch(), workerData: { testHooks: internals.testHooks } });
  return construct(workers, pool);
}

/** Test hook: the pool behind a pipeline (undefined inline). Not exported from the package. */
export function pipelinePool(pipeline: ChunkPipeline): WorkerPool | undefined {
  return poolOf(pipeline);
}

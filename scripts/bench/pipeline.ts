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
 * Before each write and each read row, every stage of it alone on the same
 * bytes ("stage ceiling" rows); the row's note compares it with the
 * overhead-free composition of those ceilings, 1 / Σ(1/ceiling): what
 * running the stages back to back would reach if nothing else (allocation,
 * copies, GC) cost time; and with the slowest of them, the bound no
 * pipelining of these stages on one core could pass.
 *
 * Then the same write through the node's own ChunkPipeline, as a gateway
 * calls it for new data (seal, which computes the chunk id once, then CRC32C
 * of the shards on the calling thread, where the shard store computes it,
 * then release of the stripe): inline, and on 2 worker threads with 4 chunks
 * in flight so both workers stay busy.
 * Each note gives the ratio to the composition of the same size (issue #12
 * goals: ≥ 0.7× single-process, and 1.6 times that with two workers, i.e.
 * ≥ 1.12×).
 *
 * MB/s counts chunk plaintext bytes.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { benchSync, type BenchResult } from '@tessera/common/bench';
import { ChunkKeys, KeyMaterial, computeChunkId, openChunk, sealChunkParts } from '@tessera/crypto';
import { crc32c, decode, encodeInto, stripeBytes } from '@tessera/erasure';
import { ChunkPipeline, type ChunkKeySet } from '@tessera/node';
import { benchConcurrent } from './concurrent.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const SIZES = [64 * KiB, 1 * MiB, 4 * MiB] as const;
const PIPELINE_SIZES = [1 * MiB, 4 * MiB] as const;
const K = 4;
const M = 2;
const WORKERS = 2;
const IN_FLIGHT = 4;

function label(size: number): string {
  return size >= MiB ? `${size / MiB} MiB` : `${size / KiB} KiB`;
}

/** A pipeline row against its stages: its share of their composition and of the slowest of them. */
function againstStages(row: BenchResult, ceilings: readonly BenchResult[]): string {
  const composed = composition(ceilings);
  const slowest = ceilings.reduce((a, b) => ((b.mbPerSec ?? Infinity) < (a.mbPerSec ?? Infinity) ? b : a));
  const rate = row.mbPerSec ?? 0;
  const stage = slowest.name.replace(/^\s*stage: /, '').replace(/ [0-9]+ [KM]iB$/, '');
  return `${((100 * rate) / composed).toFixed(0)} % of the composition of its stage ceilings (${mb(composed)} MB/s); ${((100 * rate) / (slowest.mbPerSec ?? Infinity)).toFixed(0)} % of the slowest, ${stage} (${mb(slowest.mbPerSec ?? 0)} MB/s)`;
}

/** 1 / Σ(1/ceiling): the rate of the stages run back to back with no overhead between them. */
function composition(ceilings: readonly BenchResult[]): number {
  return 1 / ceilings.reduce((sum, r) => sum + 1 / (r.mbPerSec ?? Infinity), 0);
}

function mb(value: number): string {
  return value.toFixed(0);
}

export async function pipelineBenchmarks(): Promise<BenchResult[]> {
  const master = KeyMaterial.generate();
  const tdk = KeyMaterial.generate();
  const tik = KeyMaterial.generate();
  const keySet: ChunkKeySet = { policy: 'isolated', sysEpoch: 1, master, tenant: 'bench', tenEpoch: 1, tdk, tik };
  const keys = ChunkKeys.isolated({ sysEpoch: 1, master, tenant: 'bench', tenEpoch: 1, tdk, tik });
  const results: BenchResult[] = [];
  const compositions = new Map<number, number>();
  try {
    for (const size of SIZES) {
      const plaintext = randomBytes(size);
      // Sized for the largest envelope this chunk size produces (header ≤ 256 B + tag).
      const stripeBuffer = new Uint8Array(stripeBytes(size + 256 + 16, K, M));
      const crcs = new Uint32Array(K + M);

      // Each stage alone, on the output of the stage before it.
      const id = computeChunkId(keys, plaintext);
      const parts = sealChunkParts({ keys, plaintext, chunkId: id });
      const encoded = encodeInto(parts.parts, K, M, stripeBuffer);
      const note = { note: 'stage ceiling' };
      const ceilings = [
        benchSync(`  stage: chunk id (HMAC-SHA256) ${label(size)}`, size, () => computeChunkId(keys, plaintext), note),
        benchSync(`  stage: seal (AES-256-GCM envelope) ${label(size)}`, size, () => sealChunkParts({ keys, plaintext, chunkId: id }), note),
        benchSync(`  stage: Reed-Solomon ${K}+${M} encode ${label(size)}`, size, () => encodeInto(parts.parts, K, M, stripeBuffer), note),
        benchSync(`  stage: CRC32C of ${K + M} shards ${label(size)}`, size, () => {
          for (let i = 0; i < K + M; i++) crcs[i] = crc32c(encoded.shards[i]!);
        }, note),
      ];
      results.push(...ceilings);
      const composed = composition(ceilings);
      compositions.set(size, composed);

      const write = (): void => {
        const chunkId = computeChunkId(keys, plaintext);
        const sealed = sealChunkParts({ keys, plaintext, chunkId });
        const stripe = encodeInto(sealed.parts, K, M, stripeBuffer);
        for (let i = 0; i < K + M; i++) crcs[i] = crc32c(stripe.shards[i]!);
      };
      const written = benchSync(`write pipeline (id+seal+RS ${K}+${M}+CRC) ${label(size)}`, size, write);
      results.push({ ...written, note: againstStages(written, ceilings) });

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
      const envelope = decode(shards, K, M, stored.originalLength);
      const readCeilings = [
        benchSync(`  stage: CRC32C of ${K} data shards ${label(size)}`, size, () => {
          for (let i = 0; i < K; i++) crcs[i] = crc32c(shards[i]!);
        }, note),
        benchSync(`  stage: join ${K} data shards ${label(size)}`, size, () => decode(shards, K, M, stored.originalLength), note),
        benchSync(`  stage: open (AES-256-GCM + chunk id check) ${label(size)}`, size, () => openChunk(envelope, keys), note),
      ];
      results.push(...readCeilings);
      const readRow = benchSync(`read pipeline (CRC+join+open) ${label(size)}`, size, read);
      results.push({ ...readRow, note: againstStages(readRow, readCeilings) });

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
    const parallel = await parallelCeiling();
    results.push(parallel);
    for (const workers of [0, WORKERS]) {
      results.push(...(await chunkPipelineRows(workers, keySet, compositions, parallel)));
    }
  } finally {
    keys.destroy();
    for (const k of [master, tdk, tik]) k.destroy();
  }
  return results;
}

/**
 * The node's write calls through ChunkPipeline: seal (the id computed once), CRC32C of
 * every shard on this thread. Inline runs one chunk at a time (a call holds
 * the thread); on workers IN_FLIGHT chunks are in flight, each with its own
 * plaintext buffer (the caller must not change one while a call is pending).
 */
async function chunkPipelineRows(workers: number, keys: ChunkKeySet, compositions: ReadonlyMap<number, number>, parallel: BenchResult): Promise<BenchResult[]> {
  const pipeline = await ChunkPipeline.start({ workers });
  const cores = os.availableParallelism();
  const inFlight = workers === 0 ? 1 : IN_FLIGHT;
  const results: BenchResult[] = [];
  try {
    for (const size of PIPELINE_SIZES) {
      const plaintexts = Array.from({ length: inFlight }, () => randomBytes(size));
      const composed = compositions.get(size)!;
      const row = await benchConcurrent(
        `ChunkPipeline seal (id once)+CRC ${label(size)}, ${workers === 0 ? 'inline' : `${workers} workers, ${inFlight} in flight`}`,
        size,
        { inFlight },
        async (loop) => {
          const plaintext = plaintexts[loop]!;
          // As a gateway stores new data: the seal computes the id once (dedup-outlook.ts).
          const stripe = await pipeline.seal(plaintext, keys, undefined, K, M);
          for (const shard of stripe.shards) crc32c(shard);
          pipeline.release(stripe); // done with the shards: their memory serves the next seal
        },
      );
      const ratio = (row.mbPerSec ?? 0) / composed;
      const goal = workers === 0 ? 'goal ≥ 0.7×' : `goal ≥ 1.12× = 1.6 × 0.7; ${WORKERS} threads got ${parallel.note?.split(' ')[0] ?? '?'} one thread's rate`;
      results.push({ ...row, note: `${ratio.toFixed(2)}× the composition (${mb(composed)} MB/s; ${goal}); ${cores} cores` });
    }
  } finally {
    await pipeline.close();
  }
  return results;
}

/** HMAC-SHA256 of a 4 MiB buffer in a loop on each thread, plain JavaScript (eval'd), for `ms`; posts MB/s. */
const HASH_LOOP = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHmac, randomBytes } = require('node:crypto');
const data = randomBytes(4 * 1024 * 1024);
for (let i = 0; i < 3; i++) createHmac('sha256', 'k').update(data).digest();
let n = 0;
const t0 = performance.now();
while (performance.now() - t0 < workerData.ms) { createHmac('sha256', 'k').update(data).digest(); n++; }
parentPort.postMessage((n * data.byteLength) / ((performance.now() - t0) / 1000) / 1e6);
`;

async function hashThreads(threads: number, ms: number): Promise<number> {
  const rates = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise<number>((resolve, reject) => {
          const worker = new Worker(HASH_LOOP, { eval: true, workerData: { ms } });
          worker.once('message', (rate: number) => resolve(rate));
          worker.once('error', reject);
        }),
    ),
  );
  return rates.reduce((a, b) => a + b, 0);
}

/**
 * How much parallel CPU this process actually gets right now: the same
 * CPU-bound loop on 1 thread, then on WORKERS threads at once. On a shared
 * machine the second figure can be far below WORKERS× the first, and the
 * worker-thread rows can be read only against it.
 */
async function parallelCeiling(): Promise<BenchResult> {
  const ms = 1_500;
  const one = await hashThreads(1, ms);
  const many = await hashThreads(WORKERS, ms);
  return {
    name: `parallel ceiling: HMAC-SHA256 4 MiB on ${WORKERS} threads at once`,
    bytes: 4 * MiB,
    runs: 1,
    mbPerSec: many,
    opsPerSec: many / (4 * MiB / 1e6),
    p50Us: 0,
    p99Us: 0,
    note: `${(many / one).toFixed(2)}× one thread (${mb(one)} MB/s); ${os.availableParallelism()} cores`,
  };
}

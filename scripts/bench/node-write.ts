/**
 * `npm run bench -- --only node-write`: a single node's durable write path in
 * one process, without metadata or Raft — the node's own ChunkPipeline (2
 * worker threads) sealing and Reed-Solomon 4+2 encoding 4 MiB chunks, and the
 * node's own ShardStore (opened with the options a node opens it with) on 6
 * device folders under one temporary directory. A chunk counts once all 6 of
 * its shards are durable (the store's group commit: O_DSYNC appends), with
 * 4 and 16 chunks in flight; then its stripe is released to the pipeline for
 * reuse (ChunkPipeline.release). MB/s counts user (plaintext) bytes.
 *
 * Beside it, the disk's own limit in the same run: 6 writers in parallel (one
 * thread each, so nothing queues behind libuv's thread pool) appending
 * shard-sized blocks with fdatasync after each, buffered and O_DIRECT, given
 * as user-data MB/s = raw × k/(k+m).
 *
 * TESSERA_BENCH_DIR chooses the folder (default: the OS temp directory).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { BenchResult } from '@tessera/common/bench';
import { KeyMaterial } from '@tessera/crypto';
import { shardSizeFor } from '@tessera/erasure';
import { ChunkPipeline, type ChunkKeySet } from '@tessera/node';
import { ShardStore } from '@tessera/storage';
import { benchConcurrent } from './concurrent.js';

const MiB = 1024 * 1024;
const CHUNK = 4 * MiB;
const K = 4;
const M = 2;
const DEVICES = K + M;
const IN_FLIGHT = [4, 16] as const;
const WORKERS = 2;
/** Far more than the bench writes: usage thresholds never refuse a write. */
const DEVICE_CAPACITY = 1024 * 1024 * MiB;

export interface NodeWriteOptions {
  /** Measured time per figure; default 4 s. */
  readonly durationMs?: number;
}

export async function nodeWriteBenchmarks(options: NodeWriteOptions = {}): Promise<BenchResult[]> {
  const durationMs = options.durationMs ?? 4_000;
  const root = mkdtempSync(join(process.env['TESSERA_BENCH_DIR'] ?? tmpdir(), 'tessera-node-write-'));
  const results: BenchResult[] = [];
  try {
    for (const directIo of [false, true]) {
      for (const inFlight of IN_FLIGHT) results.push(await durableWrites(join(root, `store-${directIo ? 'direct' : 'buffered'}-${inFlight}`), inFlight, directIo, durationMs));
    }
    const shard = shardSizeFor(CHUNK + 256, K);
    for (const direct of [false, true]) results.push(await diskLimit(join(root, `disk-${direct ? 'direct' : 'buffered'}`), shard, direct, durationMs));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return results;
}

/** seal (the id computed once) → 6 × putShard (durable) per chunk, `inFlight` chunks at a time. */
async function durableWrites(dir: string, inFlight: number, directIo: boolean, durationMs: number): Promise<BenchResult> {
  const master = KeyMaterial.generate();
  const dedupKey = KeyMaterial.generate();
  const keys: ChunkKeySet = { policy: 'shared', sysEpoch: 1, master, dedupKey };
  const pipeline = await ChunkPipeline.start({ workers: WORKERS });
  // As packages/node/src/process/node.ts opens a node's devices (id, folder, capacity; default group commit),
  // which today leaves directIo unset (buffered); the O_DIRECT rows ask for it as a device config can.
  const deviceIds = Array.from({ length: DEVICES }, (_, i) => `dev${i}`);
  const store = await ShardStore.open({
    nodeId: 'bench-node',
    devices: deviceIds.map((deviceId) => ({ deviceId, path: join(dir, deviceId), capacityBytes: DEVICE_CAPACITY, ...(directIo ? { directIo } : {}) })),
  });
  const direct = store.info().every((d) => 'directIo' in d && d.directIo.active);
  try {
    const plaintexts = Array.from({ length: inFlight }, () => randomBytes(CHUNK));
    let seq = 0;
    const io = directIo ? (direct ? 'O_DIRECT (node default)' : 'O_DIRECT refused, buffered') : 'buffered (--buffered-io)';
    const row = await benchConcurrent(`durable write 4 MiB chunks, RS ${K}+${M}, ${DEVICES} devices ${directIo ? 'O_DIRECT' : 'buffered'}, ${inFlight} in flight`, CHUNK, { inFlight, durationMs }, async (loop) => {
      const plaintext = plaintexts[loop]!;
      plaintext.writeUInt32BE(seq++, 0); // unique content per chunk
      // As a gateway stores new data: the seal computes the id once (dedup-outlook.ts).
      const stripe = await pipeline.seal(plaintext, keys, undefined, K, M);
      const chunkId = stripe.chunkId;
      const writeId = randomBytes(16);
      const gatewayTime = Date.now();
      await Promise.all(
        stripe.shards.map((payload, shardIndex) => store.putShard(deviceIds[shardIndex]!, { chunkId, writeId, shardIndex, payload, sysEpoch: 1, gatewayTime })),
      );
      // Every shard is durable and the store holds no view of it: the memory serves the next seal.
      pipeline.release(stripe);
    });
    return { ...row, note: `${WORKERS} pipeline workers + ShardStore, ${io}, O_DSYNC group commit; no metadata/Raft; goal ≥ 500 MB/s` };
  } finally {
    await store.close();
    await pipeline.close();
    master.destroy();
    dedupKey.destroy();
  }
}

/**
 * One thread per device appending `shardBytes` blocks and fdatasync'ing each,
 * for `durationMs`. Plain JavaScript (eval'd): no TypeScript loader needed in
 * the threads. O_DIRECT appends are rounded up to 4 KiB.
 */
const WRITER = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { file, bytes, direct, until } = workerData;
const flags = fs.constants.O_WRONLY | fs.constants.O_CREAT | (direct ? fs.constants.O_DIRECT : 0);
const fd = fs.openSync(file, flags, 0o600);
const length = direct ? Math.ceil(bytes / 4096) * 4096 : bytes;
// WebAssembly memory is page-aligned (as the storage package's AlignedArena relies on): O_DIRECT accepts it.
const memory = new WebAssembly.Memory({ initial: Math.ceil(length / 65536) });
const block = Buffer.from(memory.buffer, 0, length);
block.fill(0x5a);
let position = 0;
let writes = 0;
try {
  while (Date.now() < until) {
    fs.writeSync(fd, block, 0, length, position);
    fs.fdatasyncSync(fd);
    position += length;
    writes++;
  }
} finally {
  fs.closeSync(fd);
}
parentPort.postMessage({ writes, bytes: writes * length });
`;

async function diskLimit(dir: string, shardBytes: number, direct: boolean, durationMs: number): Promise<BenchResult> {
  mkdirSync(dir, { recursive: true });
  const started = performance.now();
  const until = Date.now() + durationMs;
  const outcomes = await Promise.all(
    Array.from(
      { length: DEVICES },
      (_, i) =>
        new Promise<{ writes: number; bytes: number }>((resolve, reject) => {
          const worker = new Worker(WRITER, { eval: true, workerData: { file: join(dir, `dev${i}`), bytes: shardBytes, direct, until } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  const seconds = (performance.now() - started) / 1000;
  const rawBytes = outcomes.reduce((sum, o) => sum + o.bytes, 0);
  const writes = outcomes.reduce((sum, o) => sum + o.writes, 0);
  const userMbPerSec = ((rawBytes / seconds) * (K / DEVICES)) / 1e6;
  return {
    name: `disk limit: ${DEVICES} writers × ${(shardBytes / MiB).toFixed(2)} MiB appends + fdatasync${direct ? ', O_DIRECT' : ''}`,
    bytes: CHUNK,
    runs: 1,
    mbPerSec: userMbPerSec,
    opsPerSec: (writes / DEVICES) / seconds,
    p50Us: 0,
    p99Us: 0,
    note: `ceiling, user data = raw ${(rawBytes / seconds / 1e6).toFixed(0)} MB/s × ${K}/${DEVICES}; ops/s = stripes/s`,
  };
}

/**
 * Raft benchmarks (DESIGN section 9: each figure beside its ceiling measured
 * in the same run).
 *
 *  - ceiling: raw `sync: true` LevelDB batches/s of one 256-byte put, on the
 *    same disk the cluster uses. Every commit needs the leader's fsync, so with
 *    no group commit proposals/s could not exceed it (and the three nodes here
 *    share that one disk).
 *  - 3 in-process nodes, LevelRaftStorage with real fsync, in-process
 *    transport: proposals/s and p50/p99 commit latency (propose -> applied on
 *    the leader) for 1, 16 and 128 concurrent proposers of 256-byte entries,
 *    and the entries per leader fsync that group commit achieved.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchAsync, percentile, type BenchResult } from '@tessera/common/bench';
import { openDurableKv } from '../src/storage/crashsim.js';
import { BenchCluster } from './cluster.js';

const ENTRY_BYTES = 256;
const CONCURRENCY = [1, 16, 128] as const;

export interface RaftBenchOptions {
  /** Measured time per concurrency level. Default 3 s. */
  readonly durationMs?: number;
  /** Unmeasured warm-up per level. Default 500 ms. */
  readonly warmupMs?: number;
}

export async function runBenchmarks(options: RaftBenchOptions = {}): Promise<BenchResult[]> {
  const durationMs = options.durationMs ?? 3_000;
  const warmupMs = options.warmupMs ?? 500;
  const results: BenchResult[] = [await syncCeiling()];
  const cluster = await BenchCluster.start();
  try {
    for (const proposers of CONCURRENCY) results.push(await proposalThroughput(cluster, proposers, durationMs, warmupMs));
  } finally {
    await cluster.stop();
  }
  return results;
}

async function syncCeiling(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-raft-bench-sync-'));
  const kv = await openDurableKv(dir, { crashSim: false });
  const value = new Uint8Array(ENTRY_BYTES).fill(0xab);
  let i = 0;
  try {
    return await benchAsync(
      'leveldb sync:true batch (ceiling)',
      ENTRY_BYTES,
      () => {
        const key = Buffer.alloc(8);
        key.writeBigUInt64BE(BigInt(i++));
        return kv.write([{ type: 'put', key, value }], { sync: true });
      },
      { note: 'one 256 B put per fsync, one writer' },
    );
  } finally {
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function proposalThroughput(cluster: BenchCluster, proposers: number, durationMs: number, warmupMs: number): Promise<BenchResult> {
  const leader = cluster.leader();
  if (leader === undefined) throw new Error('no leader');
  const payload = new Uint8Array(ENTRY_BYTES).fill(0x5a);
  const latenciesUs: number[] = [];
  let measuring = false;
  let stopAt = performance.now() + warmupMs + durationMs;
  let before = { entries: 0, syncs: 0 };
  const worker = async (): Promise<void> => {
    while (performance.now() < stopAt) {
      const t0 = performance.now();
      await leader.propose(payload);
      if (measuring) latenciesUs.push((performance.now() - t0) * 1000);
    }
  };
  const workers = Array.from({ length: proposers }, () => worker());
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  measuring = true;
  before = { entries: leader.stats.entriesPersisted, syncs: leader.stats.syncedBatches };
  const start = performance.now();
  stopAt = start + durationMs;
  await Promise.all(workers);
  const elapsedS = (performance.now() - start) / 1000;
  const entries = leader.stats.entriesPersisted - before.entries;
  const syncs = leader.stats.syncedBatches - before.syncs;
  const sorted = latenciesUs.sort((a, b) => a - b);
  const ops = sorted.length / elapsedS;
  return {
    name: `raft 3 nodes, ${proposers} proposer${proposers === 1 ? '' : 's'}`,
    bytes: ENTRY_BYTES,
    runs: 1,
    mbPerSec: (ops * ENTRY_BYTES) / 1e6,
    opsPerSec: ops,
    p50Us: percentile(sorted, 50),
    p99Us: percentile(sorted, 99),
    note: `entries/fsync ${(syncs === 0 ? 0 : entries / syncs).toFixed(1)} (leader)`,
  };
}


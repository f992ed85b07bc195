/**
 * Cross-process Raft benchmark (issue #4): three `tessera node start`
 * processes on loopback, mTLS gRPC between them and to the client, LevelDB
 * with real fsync, default Raft timing (100 ms ticks), running the
 * key-value test state machine.
 *
 *  - writes/s and p50/p99 latency (client put -> applied on the leader ->
 *    answer) for 1, 16 and 128 concurrent clients (one session each),
 *    256-byte values over a bounded key space;
 *  - ReadIndex gets/s, 16 concurrent readers, on the leader and on a follower;
 *  - ceilings measured in the same run: one `sync: true` LevelDB batch of
 *    256 B (every write needs the leader's fsync; group commit shares one
 *    among concurrent writes), and an mTLS gRPC unary round trip that does no
 *    Raft work (Admin.ClusterStatus), 16 concurrent.
 *
 * The client runs in this process and shares the machine's cores with the
 * three nodes, as a co-located benchmark client would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { benchAsync, percentile, type BenchResult } from '@tessera/common/bench';
import { LocalCluster, pollUntil } from '@tessera/launcher';
import { openDurableKv } from '@tessera/raft';
import { ClusterClient, type KvSession } from '../src/index.js';

const VALUE_BYTES = 256;
const WRITE_CONCURRENCY = [1, 16, 128] as const;
const READ_CONCURRENCY = 16;
/** Keys per writer: the state stays small, so snapshots stay cheap. */
const KEYS_PER_WRITER = 64;

export interface NodeBenchOptions {
  /** Measured time per figure. Default 3 s. */
  readonly durationMs?: number;
  /** Unmeasured warm-up per figure. Default 500 ms. */
  readonly warmupMs?: number;
}

export interface Bench {
  readonly launcher: LocalCluster;
  readonly client: ClusterClient;
}

export async function runBenchmarks(options: NodeBenchOptions = {}): Promise<BenchResult[]> {
  const durationMs = options.durationMs ?? 3_000;
  const warmupMs = options.warmupMs ?? 500;
  const results: BenchResult[] = [await fsyncCeiling()];
  const bench = await startCluster();
  try {
    const leader = await leaderOf(bench.client);
    const follower = bench.client.nodeIds().find((id) => id !== leader) ?? leader;
    results.push(await rpcCeiling(bench.client, leader, durationMs, warmupMs));
    for (const writers of WRITE_CONCURRENCY) results.push(await writes(bench.client, writers, durationMs, warmupMs));
    results.push(await reads(bench.client, leader, 'leader', durationMs, warmupMs));
    results.push(await reads(bench.client, follower, 'follower', durationMs, warmupMs));
  } finally {
    bench.client.close();
    await bench.launcher.shutdown();
  }
  return results;
}

/** Bootstrap n1, then n2 and n3 join and are promoted (also used by scripts/bench/consensus.ts). */
export async function startCluster(): Promise<Bench> {
  const launcher = await LocalCluster.create({ trustDomain: 'bench.local', nodeArgs: ['--log-level', 'warn'] });
  try {
    const n1 = await launcher.startNode('n1', { kind: 'bootstrap' });
    const client = new ClusterClient({ trustDomain: launcher.trustDomain, tls: launcher.adminTls, nodes: { n1: n1.ports.clientAddress } });
    const clusterId = (await pollUntil('n1 to lead', async () => {
      const s = await client.status('n1').catch(() => undefined);
      return s?.leaderId === 'n1' ? s : undefined;
    }, { timeoutMs: 30_000 })).clusterId;
    for (const id of ['n2', 'n3']) {
      const node = await launcher.startNode(id, { kind: 'join', peers: launcher.peerAddresses(), clusterId });
      client.setNode(id, node.ports.clientAddress);
      await client.addMember({ id, incarnationId: node.ports.incarnationId, address: node.ports.peerAddress }, { voter: true });
    }
    await pollUntil('every node to apply three voters', async () => {
      const all = await Promise.all(client.nodeIds().map((id) => client.status(id))).catch(() => undefined);
      return all?.every((s) => s.members.filter((m) => m.role === 'voter').length === 3);
    }, { timeoutMs: 30_000 });
    return { launcher, client };
  } catch (err) {
    await launcher.shutdown();
    throw err;
  }
}

async function leaderOf(client: ClusterClient): Promise<string> {
  return pollUntil('a leader', async () => (await client.status('n1').catch(() => undefined))?.leaderId || undefined, { timeoutMs: 30_000 });
}

async function fsyncCeiling(): Promise<BenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-node-bench-sync-'));
  const kv = await openDurableKv(dir, { crashSim: false });
  const value = new Uint8Array(VALUE_BYTES).fill(0xab);
  let i = 0;
  try {
    return await benchAsync(
      'leveldb sync:true batch (ceiling)',
      VALUE_BYTES,
      () => {
        const key = Buffer.alloc(8);
        key.writeBigUInt64BE(BigInt(i++));
        return kv.write([{ type: 'put', key, value }], { sync: true });
      },
      { note: 'one 256 B put per fsync, same disk as the nodes' },
    );
  } finally {
    await kv.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Runs `workers` loops of `op` for warm-up + duration; returns a result from
 * the latencies and count of the measured window.
 */
async function measure(name: string, bytes: number, workers: number, durationMs: number, warmupMs: number, op: (worker: number, i: number) => Promise<unknown>, note: string): Promise<BenchResult> {
  const latenciesUs: number[] = [];
  let measuring = false;
  let stopAt = Number.POSITIVE_INFINITY;
  const loop = async (worker: number): Promise<void> => {
    for (let i = 0; performance.now() < stopAt; i++) {
      const t0 = performance.now();
      await op(worker, i);
      if (measuring) latenciesUs.push((performance.now() - t0) * 1000);
    }
  };
  const running = Array.from({ length: workers }, (_, w) => loop(w));
  await new Promise((resolve) => setTimeout(resolve, warmupMs));
  measuring = true;
  const start = performance.now();
  stopAt = start + durationMs;
  await Promise.all(running);
  const elapsedS = (performance.now() - start) / 1000;
  const sorted = latenciesUs.sort((a, b) => a - b);
  const ops = sorted.length / elapsedS;
  return {
    name,
    bytes,
    runs: 1,
    ...(bytes > 0 ? { mbPerSec: (ops * bytes) / 1e6 } : {}),
    opsPerSec: ops,
    p50Us: percentile(sorted, 50),
    p99Us: percentile(sorted, 99),
    note,
  };
}

async function rpcCeiling(client: ClusterClient, leader: string, durationMs: number, warmupMs: number): Promise<BenchResult> {
  return measure('mTLS gRPC unary round trip (ceiling)', 0, READ_CONCURRENCY, durationMs, warmupMs, () => client.status(leader), `Admin.ClusterStatus on the leader, ${READ_CONCURRENCY} concurrent`);
}

async function writes(client: ClusterClient, writers: number, durationMs: number, warmupMs: number): Promise<BenchResult> {
  const sessions: KvSession[] = [];
  for (let i = 0; i < writers; i++) sessions.push(await client.openSession());
  const value = Buffer.alloc(VALUE_BYTES, 0x5a);
  const keys = sessions.map((_, w) => Array.from({ length: KEYS_PER_WRITER }, (_, k) => Buffer.from(`bench/${w}/${k}`)));
  return measure(
    `raft 3 processes, put, ${writers} client${writers === 1 ? '' : 's'}`,
    VALUE_BYTES,
    writers,
    durationMs,
    warmupMs,
    (w, i) => (sessions[w] as KvSession).put(keys[w]?.[i % KEYS_PER_WRITER] as Buffer, value),
    'mTLS gRPC, fsync on every node, one session per client',
  );
}

async function reads(client: ClusterClient, node: string, role: string, durationMs: number, warmupMs: number): Promise<BenchResult> {
  const key = Buffer.from('bench/0/0');
  return measure(`raft 3 processes, ReadIndex get on the ${role}`, 0, READ_CONCURRENCY, durationMs, warmupMs, () => client.get(key, { node }), `${READ_CONCURRENCY} concurrent readers`);
}


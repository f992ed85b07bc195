/**
 * `npm run bench -- --only consensus` (issue #12): Tessera's Raft against
 * etcd, side by side, on this machine, with the same load generator.
 *
 *  - etcd: three members on loopback (Debian's etcd-server, installed when
 *    missing), TLS with client-certificate auth for clients and peers, fsync
 *    on (etcd's default), driven over its gRPC API (scripts/bench/etcd/kv.proto);
 *  - Tessera: three `tessera node start` processes running the key-value test
 *    state machine over mTLS gRPC, LevelDB with fsync (the raft-cluster
 *    section's setup), driven through @tessera/node's ClusterClient;
 *  - both: one Node process (this one) holding one gRPC channel to the
 *    leader, N concurrent closed-loop clients, 256-byte values over 64 keys
 *    per client; writes/s and p50/p99 for 1, 16 and 128 clients and
 *    linearizable reads/s (etcd Range with serializable=false, Tessera Kv Get:
 *    both ReadIndex on the leader), 16 readers;
 *  - before the first row, each cluster is warmed with writes nobody measures
 *    (16 clients, then 1; `clusterWarmupMs` each): a fresh Node process runs
 *    its hot path in V8's interpreter and baseline tiers until the optimizing
 *    compiler has caught up, which on 2 shared cores takes several seconds of
 *    load (docs/performance.md, "Warm-up"); etcd is compiled and gets the
 *    same writes, so that both are measured in their steady state;
 *  - each figure: warm-up excluded, then a fixed duration, 3 runs, the median
 *    with min and max; the runs of etcd and Tessera alternate so that load from
 *    other work on the machine falls on both alike (both clusters stay up,
 *    idle but heartbeating, while the other is measured);
 *  - a separate row: PutObject of 256 B through @tessera/client on the data
 *    cluster (key manager + 3 nodes), started after the two above are stopped.
 *
 * The ratio Tessera/etcd is printed on each Tessera row: for ops/s above 1 is
 * better for Tessera, for latencies below 1 is.
 */
import { randomBytes } from 'node:crypto';
import type { TesseraClient } from '@tessera/client';
import type { BenchResult } from '@tessera/common/bench';
import type { KvSession } from '@tessera/node';
import { startCluster as startRaftGroup } from '@tessera/node/bench';
import { startBenchCluster } from './data-cluster.js';
import { EtcdKv } from './etcd/client.js';
import { startEtcdCluster, type EtcdCluster } from './etcd/cluster.js';
import { runLoad, summarise, type LoadOp, type LoadOptions, type RunFigures, type Summary } from '@tessera/common/bench';

const VALUE_BYTES = 256;
const WRITE_CLIENTS = [1, 16, 128] as const;
const READ_CLIENTS = 16;
/** The cluster warm-up's concurrency: many clients first (the most calls), then the first row's. */
const WARMUP_CLIENTS = [16, 1] as const;
const PUT_OBJECT_CLIENTS = [1, 16] as const;
const KEYS_PER_CLIENT = 64;

export interface ConsensusBenchOptions {
  /** Measured time per run. Default 5 s. */
  readonly durationMs?: number;
  /** Unmeasured warm-up per run. Default 1 s. */
  readonly warmupMs?: number;
  /** Runs per figure. Default 3. */
  readonly runs?: number;
  /** Unmeasured writes on each cluster before the first row, at 16 clients and then at 1, each this long. Default 4 s. */
  readonly clusterWarmupMs?: number;
}

/** A result row with the spread of its runs and, on Tessera rows, the ratios to etcd. */
export interface ConsensusResult extends BenchResult {
  readonly system: 'etcd' | 'tessera';
  readonly opsMin: number;
  readonly opsMax: number;
  readonly ratio?: { readonly opsPerSec: number; readonly p50: number; readonly p99: number };
}

const log = (line: string): void => void process.stderr.write(`consensus: ${line}\n`);

export async function consensusBenchmarks(options: ConsensusBenchOptions = {}): Promise<ConsensusResult[]> {
  const durationMs = options.durationMs ?? 5_000;
  const warmupMs = options.warmupMs ?? 1_000;
  const runs = options.runs ?? 3;
  const clusterWarmupMs = options.clusterWarmupMs ?? 4_000;
  const results: ConsensusResult[] = [];
  const etcdPuts = new Map<number, Summary>();

  const etcd = await startEtcdCluster(log);
  let raft: Awaited<ReturnType<typeof startRaftGroup>> | undefined;
  const etcdClient = new EtcdKv(etcd.clientAddresses.get(etcd.leader)!, etcd.clientTls);
  try {
    raft = await startRaftGroup();
    const tessera = raft.client;
    const etcdName = `etcd ${etcd.version}`;
    const value = Buffer.alloc(VALUE_BYTES, 0x5a);
    const keys = (clients: number): Buffer[][] => Array.from({ length: clients }, (_, c) => Array.from({ length: KEYS_PER_CLIENT }, (_, k) => Buffer.from(`bench/${c}/${k}`)));

    if (clusterWarmupMs > 0) {
      log(`warm-up: ${clusterWarmupMs / 1000} s of writes at ${WARMUP_CLIENTS.join(' and then ')} client(s) on each cluster, not measured`);
      const warmKeys = keys(Math.max(...WARMUP_CLIENTS));
      const warmSessions: KvSession[] = [];
      for (let i = 0; i < Math.max(...WARMUP_CLIENTS); i++) warmSessions.push(await tessera.openSession());
      for (const clients of WARMUP_CLIENTS) {
        await alternate({ clients, durationMs: clusterWarmupMs, warmupMs: 0 }, 1,
          (c, i) => etcdClient.put(warmKeys[c]![i % KEYS_PER_CLIENT]!, value),
          (c, i) => warmSessions[c]!.put(warmKeys[c]![i % KEYS_PER_CLIENT]!, value));
      }
    }

    for (const clients of WRITE_CLIENTS) {
      log(`writes, ${clients} client(s)`);
      const sessions: KvSession[] = [];
      for (let i = 0; i < clients; i++) sessions.push(await tessera.openSession());
      const k = keys(clients);
      const [e, t] = await alternate({ clients, durationMs, warmupMs }, runs,
        (c, i) => etcdClient.put(k[c]![i % KEYS_PER_CLIENT]!, value),
        (c, i) => sessions[c]!.put(k[c]![i % KEYS_PER_CLIENT]!, value));
      etcdPuts.set(clients, e);
      const label = `put 256 B, ${plural(clients, 'client')}`;
      results.push(row('etcd', `${label}: ${etcdName}`, VALUE_BYTES, e), row('tessera', `${label}: tessera raft`, VALUE_BYTES, t, e));
    }

    log(`linearizable reads, ${READ_CLIENTS} clients`);
    const readKey = Buffer.from('bench/0/0');
    await etcdClient.put(readKey, value);
    await (await tessera.openSession()).put(readKey, value);
    const leader = await raftLeader(raft.client);
    const [e, t] = await alternate({ clients: READ_CLIENTS, durationMs, warmupMs }, runs,
      () => etcdClient.get(readKey),
      () => tessera.get(readKey, { node: leader }));
    const label = `linearizable get, ${plural(READ_CLIENTS, 'client')}`;
    results.push(row('etcd', `${label}: ${etcdName} (serializable=false)`, 0, e), row('tessera', `${label}: tessera raft (ReadIndex)`, 0, t, e));
  } finally {
    etcdClient.close();
    if (raft !== undefined) {
      raft.client.close();
      await raft.launcher.shutdown();
    }
    await etcd.shutdown();
  }

  results.push(...(await putObjectRows({ durationMs, warmupMs }, runs, etcdPuts, etcd, clusterWarmupMs)));
  return results;
}

/** Runs etcd and Tessera turn about, `runs` times each, and summarises each. */
async function alternate(load: LoadOptions, runs: number, etcdOp: LoadOp, tesseraOp: LoadOp): Promise<[Summary, Summary]> {
  const e: RunFigures[] = [];
  const t: RunFigures[] = [];
  for (let r = 0; r < runs; r++) {
    e.push(await runLoad(load, etcdOp));
    t.push(await runLoad(load, tesseraOp));
  }
  return [summarise(e), summarise(t)];
}

/** PutObject of 256 B through @tessera/client, compared with etcd's put at the same concurrency. */
async function putObjectRows(load: Omit<LoadOptions, 'clients'>, runs: number, etcdPuts: ReadonlyMap<number, Summary>, etcd: EtcdCluster, clusterWarmupMs: number): Promise<ConsensusResult[]> {
  log('PutObject 256 B on the data cluster');
  const cluster = await startBenchCluster();
  try {
    const clients: TesseraClient[] = [];
    for (let i = 0; i < Math.max(...PUT_OBJECT_CLIENTS); i++) {
      const ids = cluster.nodeIds.map((_, j) => cluster.nodeIds[(i + j) % cluster.nodeIds.length]!);
      clients.push(await cluster.client({ endpoints: ids.map((id) => cluster.launcher.node(id).ports.clientAddress) }));
    }
    const out: ConsensusResult[] = [];
    let seq = 0;
    const opFor = (n: number): LoadOp => {
      const buffers = clients.slice(0, n).map(() => randomBytes(VALUE_BYTES));
      return async (c) => {
        const id = seq++;
        buffers[c]!.writeUInt32BE(id, 0); // unique content: nothing deduplicates
        await clients[c]!.put(buffers[c]!, `bench/put256/${String(id).padStart(8, '0')}`);
      };
    };
    // The same warm-up as the Raft group's (the data cluster is a fresh set of processes).
    if (clusterWarmupMs > 0) for (const n of WARMUP_CLIENTS) await runLoad({ clients: n, durationMs: clusterWarmupMs, warmupMs: 0 }, opFor(n));
    for (const n of PUT_OBJECT_CLIENTS) {
      const op = opFor(n);
      const figures: RunFigures[] = [];
      for (let r = 0; r < runs; r++) figures.push(await runLoad({ ...load, clients: n }, op));
      const base = etcdPuts.get(n);
      const summary = summarise(figures);
      out.push(row('tessera', `PutObject 256 B, ${plural(n, 'client')}: @tessera/client, data cluster`, VALUE_BYTES, summary, base, base === undefined ? undefined : `vs etcd ${etcd.version} put`));
    }
    return out;
  } finally {
    await cluster.shutdown();
  }
}

async function raftLeader(client: { status(node: string): Promise<{ leaderId: string }>; nodeIds(): string[] }): Promise<string> {
  for (const id of client.nodeIds()) {
    const s = await client.status(id).catch(() => undefined);
    if (s !== undefined && s.leaderId !== '') return s.leaderId;
  }
  throw new Error('no Tessera raft leader');
}

function row(system: 'etcd' | 'tessera', name: string, bytes: number, s: Summary, base?: Summary, baseLabel = 'Tessera/etcd'): ConsensusResult {
  const spread = `median of ${s.runs}, ops/s ${fmt(s.opsMin)}-${fmt(s.opsMax)}`;
  const ratio = base === undefined ? undefined : { opsPerSec: s.opsPerSec / base.opsPerSec, p50: s.p50Us / base.p50Us, p99: s.p99Us / base.p99Us };
  const ratioText = ratio === undefined ? '' : `; ${baseLabel}: ops ${ratio.opsPerSec.toFixed(2)}x, p50 ${ratio.p50.toFixed(2)}x, p99 ${ratio.p99.toFixed(2)}x`;
  return {
    system,
    name,
    bytes,
    runs: s.runs,
    opsPerSec: s.opsPerSec,
    p50Us: s.p50Us,
    p99Us: s.p99Us,
    opsMin: s.opsMin,
    opsMax: s.opsMax,
    ...(ratio !== undefined ? { ratio } : {}),
    note: spread + ratioText,
  };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

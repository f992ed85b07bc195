/**
 * `npm run bench -- --only data`: the object data path across real processes
 * (a key manager and three `tessera node start` processes on loopback, mTLS,
 * LevelDB and extent files with real fsync, default pipeline workers), driven
 * by @tessera/client from this process:
 *
 *  - put and get throughput (MB/s of object bytes) for 64 KiB and 4 MiB
 *    objects, 1 and 16 concurrent clients (one session each, gateways spread
 *    over the three nodes);
 *  - 1 KiB (inline) put and get ops/s with p50/p99 latency, 1 and 16 clients;
 *  - beside every figure, each node's event-loop lag p99 over that figure's
 *    window, from the node's /metrics (`tessera_node_event_loop_lag_seconds`,
 *    reset by each scrape);
 *  - the in-process ceilings these figures are read against are in the
 *    `pipeline` section (ChunkPipeline inline and on 2 worker threads, beside
 *    its stage ceilings) and the `node-write` section (one node's durable
 *    write path and the disk's limit).
 *
 * The clients share the machine's cores with the three nodes and the key
 * manager, as a co-located client would. Object content is unique per put
 * (a counter stamped into each worker's buffer), so nothing deduplicates.
 */
import { randomBytes } from 'node:crypto';
import type { TesseraClient } from '@tessera/client';
import type { BenchResult } from '@tessera/common/bench';
import { benchConcurrent } from './concurrent.js';
import { startBenchCluster, type BenchCluster } from './data-cluster.js';

const KiB = 1024;
const MiB = 1024 * KiB;
const OBJECT_SIZES = [64 * KiB, 4 * MiB] as const;
const SMALL = 1 * KiB;
const CONCURRENCY = [1, 16] as const;
const LAG_NA = 'n/a (node metrics land with /metrics)';

export interface DataBenchOptions {
  /** Measured time per cluster figure. Default 4 s. */
  readonly durationMs?: number;
}

export async function dataBenchmarks(options: DataBenchOptions = {}): Promise<BenchResult[]> {
  const durationMs = options.durationMs ?? 4_000;
  const results: BenchResult[] = [];
  const cluster = await startBenchCluster();
  try {
    const lag = await LagProbe.create(cluster);
    // One client per concurrent worker, each preferring another gateway first.
    const clients: TesseraClient[] = [];
    for (let i = 0; i < Math.max(...CONCURRENCY); i++) {
      const ids = cluster.nodeIds.map((_, j) => cluster.nodeIds[(i + j) % cluster.nodeIds.length]!);
      clients.push(await cluster.client({ endpoints: ids.map((id) => cluster.launcher.node(id).ports.clientAddress) }));
    }
    const stored = new Map<number, string[]>();
    for (const size of [...OBJECT_SIZES, SMALL]) {
      const names: string[] = [];
      stored.set(size, names);
      for (const n of CONCURRENCY) {
        const buffers = clients.slice(0, n).map(() => randomBytes(size));
        let seq = 0;
        results.push(
          await figure(`put ${sizeLabel(size)} objects, ${n} client${n > 1 ? 's' : ''}`, size, clients.slice(0, n), durationMs, lag, async (client, w) => {
            const bytes = buffers[w]!;
            const id = seq++;
            bytes.writeUInt32BE(id, 0); // unique content: no dedup
            const name = `bench/${size}/${String(id).padStart(7, '0')}`;
            await client.put(bytes, name);
            names.push(name);
          }),
        );
      }
    }
    for (const size of [...OBJECT_SIZES, SMALL]) {
      const names = stored.get(size)!;
      for (const n of CONCURRENCY) {
        let next = 0;
        results.push(
          await figure(`get ${sizeLabel(size)} objects, ${n} client${n > 1 ? 's' : ''}`, size, clients.slice(0, n), durationMs, lag, async (client) => {
            const name = names[next++ % names.length]!;
            let got = 0;
            for await (const part of await client.get(name)) got += (part as Buffer).byteLength;
            if (got !== size) throw new Error(`get ${name} returned ${got} bytes, expected ${size}`);
          }),
        );
      }
    }
  } finally {
    await cluster.shutdown();
  }
  return results;
}

function sizeLabel(bytes: number): string {
  return bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`;
}

/**
 * `workers.length` loops calling `op` back to back for `durationMs` (after one
 * unmeasured call each); ops/s and MB/s over the whole window, per-call latency
 * percentiles, and each node's event-loop lag over the same window as the note.
 */
export async function figure(
  name: string,
  bytes: number,
  workers: readonly TesseraClient[],
  durationMs: number,
  lag: LagProbe,
  op: (client: TesseraClient, worker: number) => Promise<void>,
): Promise<BenchResult> {
  await Promise.all(workers.map((c, w) => op(c, w)));
  await lag.reset();
  const result = await benchConcurrent(name, bytes, { inFlight: workers.length, durationMs, warmUp: 0 }, (w) => op(workers[w]!, w));
  return { ...result, note: await lag.read() };
}

/**
 * Each node's event-loop lag p99 over a window: /metrics reports the delay
 * histogram since the previous scrape, so a scrape opens the window and the
 * next one reads it. Without /metrics on the node: n/a.
 */
export class LagProbe {
  private constructor(
    private readonly cluster: BenchCluster,
    private readonly available: boolean,
  ) {}

  static async create(cluster: BenchCluster): Promise<LagProbe> {
    const res = await cluster.http(cluster.nodeIds[0]!, '/metrics');
    return new LagProbe(cluster, res.status === 200 && res.body.includes(LAG_METRIC));
  }

  async reset(): Promise<void> {
    if (this.available) await Promise.all(this.cluster.nodeIds.map((id) => this.cluster.http(id, '/metrics')));
  }

  async read(): Promise<string> {
    if (!this.available) return `loop lag p99 ${LAG_NA}`;
    const parts = await Promise.all(
      this.cluster.nodeIds.map(async (id) => {
        const seconds = lagP99((await this.cluster.http(id, '/metrics')).body);
        return `${id} ${seconds === undefined ? '?' : (seconds * 1000).toFixed(1)}`;
      }),
    );
    return `loop lag p99 ms: ${parts.join(', ')}`;
  }
}

const LAG_METRIC = 'tessera_node_event_loop_lag_seconds';

function lagP99(exposition: string): number | undefined {
  for (const line of exposition.split('\n')) {
    if (line.startsWith(`${LAG_METRIC}{`) && line.includes('percentile="99"')) {
      const value = Number(line.slice(line.lastIndexOf(' ') + 1));
      return Number.isFinite(value) ? value : undefined;
    }
  }
  return undefined;
}

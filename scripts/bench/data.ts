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
import { startBenchCluster, type BenchCluster } from './data-cluster.js';
import { runLoad, summarise, type LoadOp, type RunFigures } from '@tessera/common/bench';

const KiB = 1024;
const MiB = 1024 * KiB;
const OBJECT_SIZES = [64 * KiB, 4 * MiB] as const;
const SMALL = 1 * KiB;
const CONCURRENCY = [1, 16] as const;
const LAG_NA = 'n/a (node metrics land with /metrics)';

export interface DataBenchOptions {
  /** Measured time of each of a figure's runs. Default 3 s. */
  readonly durationMs?: number;
}

/** How a cluster figure is measured: one unmeasured warm-up, then `runs` measured windows. */
export interface FigureTiming {
  readonly durationMs: number;
  /**
   * Unmeasured load first, the same calls as the figure's: every process is
   * still compiling its hot code for a new workload (TurboFan was still ~7 %
   * of the nodes' CPU 40 s into a 4 MiB put run), and pools fill. Default 2 s.
   */
  readonly warmupMs?: number;
  /** Measured windows; the figure is their median, the note gives min and max. Default 3. */
  readonly runs?: number;
}

const DEFAULT_WARMUP_MS = 2_000;
const DEFAULT_RUNS = 3;
/** TESSERA_BENCH_QUICK (a smoke run of the sections): a short warm-up and one run. */
export const QUICK_TIMING = { warmupMs: 500, runs: 1 } as const;

export async function dataBenchmarks(options: DataBenchOptions = {}): Promise<BenchResult[]> {
  const timing: FigureTiming = { durationMs: options.durationMs ?? 3_000 };
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
          await figure(`put ${sizeLabel(size)} objects, ${n} client${n > 1 ? 's' : ''}`, size, clients.slice(0, n), timing, lag, async (client, w) => {
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
          await figure(`get ${sizeLabel(size)} objects, ${n} client${n > 1 ? 's' : ''}`, size, clients.slice(0, n), timing, lag, async (client) => {
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
 * `workers.length` closed loops calling `op` back to back: a warm-up of
 * `timing.warmupMs`, then `timing.runs` windows of `timing.durationMs` (calls
 * starting inside a window count, over the time until the last of them
 * answered: load.ts). The figure is the median run, with the min and max rate
 * and each node's event-loop lag over the measured runs in the note.
 */
export async function figure(
  name: string,
  bytes: number,
  workers: readonly TesseraClient[],
  timing: FigureTiming,
  lag: LagProbe,
  op: (client: TesseraClient, worker: number) => Promise<void>,
): Promise<BenchResult> {
  const clients = workers.length;
  const call: LoadOp = (worker) => op(workers[worker]!, worker);
  await runLoad({ clients, durationMs: timing.warmupMs ?? DEFAULT_WARMUP_MS, warmupMs: 0 }, call);
  await lag.reset();
  const runs: RunFigures[] = [];
  for (let r = 0; r < (timing.runs ?? DEFAULT_RUNS); r++) runs.push(await runLoad({ clients, durationMs: timing.durationMs, warmupMs: 0 }, call));
  const s = summarise(runs);
  // Small objects are counted in calls, large ones in bytes.
  const spread = bytes >= 64 * KiB ? `MB/s ${rate((s.opsMin * bytes) / 1e6)}-${rate((s.opsMax * bytes) / 1e6)}` : `ops/s ${rate(s.opsMin)}-${rate(s.opsMax)}`;
  return {
    name,
    bytes,
    runs: s.runs,
    mbPerSec: (s.opsPerSec * bytes) / 1e6,
    opsPerSec: s.opsPerSec,
    p50Us: s.p50Us,
    p99Us: s.p99Us,
    note: `${s.runs === 1 ? 'one run' : `median of ${s.runs} runs, ${spread}`}; ${await lag.read()}`,
  };
}

function rate(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
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

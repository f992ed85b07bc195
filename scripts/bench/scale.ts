/**
 * `npm run bench -- --only scale`: how the metadata path behaves as the
 * stored object count and the cluster grow.
 *
 *  - **Object count, in-process** (1 k, 100 k and 1 M metadata-only objects):
 *    a PutObject preload through the public API runs at about 40-80 objects/s
 *    here, so 1 M would take hours; instead each point drives the metadata
 *    state machine with its real LevelDB store in a child process of its
 *    own and measures apply, put, latest-object lookup, list and reopen
 *    there (scale-metadata.ts says exactly what is and is not the same as a
 *    cluster's state). These rows say "in-process".
 *  - **Cluster size, across processes** (3 and 5 nodes, all voters, at the
 *    1 k point): the `data` section's cluster (key manager + N nodes), 1,000
 *    objects of 1 KiB (inline in the metadata, no chunks) preloaded through
 *    @tessera/client with 16 clients, then put and get at 16 clients and a
 *    full listing (1,000 names, one page) at 1 client; beside each figure
 *    every node's event-loop lag p99 over that window (from /metrics), and
 *    each node's RSS afterwards (prom-client's process_resident_memory_bytes).
 *
 * Every point is bounded: a few seconds per figure, the 1 M preload about
 * 10^6 applies (tens of seconds on 2 shared cores).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { TesseraClient } from '@tessera/client';
import type { BenchResult } from '@tessera/common/bench';
import { startBenchCluster, type BenchCluster } from './data-cluster.js';
import { LagProbe, QUICK_TIMING, figure, type FigureTiming } from './data.js';
import { openPayloadCost } from './scale-metadata.js';

const KiB = 1024;
const CLUSTER_OBJECTS = 1_000;
const CLIENTS = 16;

export interface ScaleBenchOptions {
  /** Small points (1 k and 10 k in-process, 200 objects on the clusters): a smoke run. */
  readonly quick?: boolean;
  /** Measured time per figure. Default 3 s (in-process 2 s). */
  readonly durationMs?: number;
}

export async function scaleBenchmarks(options: ScaleBenchOptions = {}): Promise<BenchResult[]> {
  const quick = options.quick === true;
  const durationMs = options.durationMs ?? 3_000;
  const results: BenchResult[] = [];
  for (const objects of quick ? [1_000, 10_000] : [1_000, 100_000, 1_000_000]) {
    results.push(...(await metadataPointInChild(objects, Math.min(durationMs, 2_000))));
  }
  results.push(await openPayloadCost(Math.min(durationMs, 1_000)));
  for (const nodes of [3, 5]) results.push(...(await clusterPoint(nodes, quick ? 200 : CLUSTER_OBJECTS, { durationMs, ...(quick ? QUICK_TIMING : {}) })));
  return results;
}

/** Runs scale-metadata.ts in a fresh Node process (same loader flags as this one) and parses its rows. */
async function metadataPointInChild(objects: number, durationMs: number): Promise<BenchResult[]> {
  const script = fileURLToPath(new URL('./scale-metadata.ts', import.meta.url));
  const child = spawn(process.execPath, [...process.execArgv, '--expose-gc', script, String(objects), String(durationMs)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (b: Buffer) => out.push(b));
  child.stderr.on('data', (b: Buffer) => err.push(b));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`scale point ${objects} failed (exit ${String(code)}): ${Buffer.concat(err).toString('utf8').slice(-2_000)}`);
  const lines = Buffer.concat(out).toString('utf8').trim().split('\n');
  return JSON.parse(lines[lines.length - 1]!) as BenchResult[];
}

async function clusterPoint(nodes: number, objects: number, timing: FigureTiming): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const cluster = await startBenchCluster({ nodes });
  try {
    const lag = await LagProbe.create(cluster);
    const clients: TesseraClient[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const ids = cluster.nodeIds.map((_, j) => cluster.nodeIds[(i + j) % cluster.nodeIds.length]!);
      clients.push(await cluster.client({ endpoints: ids.map((id) => cluster.launcher.node(id).ports.clientAddress) }));
    }
    const where = `${nodes} nodes, ${objects} objects`;
    // Preload: 1 KiB objects (inline in their deltas), unique names and content.
    const names: string[] = [];
    let next = 0;
    await Promise.all(
      clients.map(async (client) => {
        const bytes = randomBytes(KiB);
        for (let i = next++; i < objects; i = next++) {
          bytes.writeUInt32BE(i, 0);
          const name = `scale/${String(i).padStart(7, '0')}`;
          await client.put(bytes, name);
          names.push(name);
        }
      }),
    );
    let seq = 0;
    const extra = Buffer.alloc(KiB);
    results.push(
      await figure(`cluster put 1 KiB, ${CLIENTS} clients, ${where}`, KiB, clients, timing, lag, async (client) => {
        const id = seq++;
        extra.writeUInt32BE(id, 0);
        await client.put(extra, `scale-extra/${String(id).padStart(7, '0')}`);
      }),
    );
    let g = 0;
    results.push(
      await figure(`cluster get 1 KiB, ${CLIENTS} clients, ${where}`, KiB, clients, timing, lag, async (client) => {
        const got = await client.getBuffer(names[g++ % names.length]!);
        if (got.byteLength !== KiB) throw new Error('short read');
      }),
    );
    results.push(
      await figure(`cluster list 'scale/' (${objects} names), 1 client, ${where}`, 0, clients.slice(0, 1), timing, lag, async (client) => {
        let listed = 0;
        for await (const _ of client.list({ prefix: 'scale/' })) listed++;
        if (listed !== objects) throw new Error(`listed ${listed} names, expected ${objects}`);
      }),
    );
    const rss = await rssOf(cluster);
    return results.map(({ mbPerSec, ...r }) => ({ ...r, ...(r.bytes > 0 && mbPerSec !== undefined ? { mbPerSec } : {}), note: `across processes; ${r.note ?? ''}; RSS after: ${rss}` }));
  } finally {
    await cluster.shutdown();
  }
}

/** Each node's resident memory from its /metrics (prom-client's default process metrics). */
async function rssOf(cluster: BenchCluster): Promise<string> {
  const parts = await Promise.all(
    cluster.nodeIds.map(async (id) => {
      const body = (await cluster.http(id, '/metrics')).body;
      const line = body.split('\n').find((l) => l.startsWith('process_resident_memory_bytes '));
      const bytes = line === undefined ? NaN : Number(line.slice(line.indexOf(' ') + 1));
      return `${id} ${Number.isFinite(bytes) ? `${Math.round(bytes / 2 ** 20)} MiB` : '?'}`;
    }),
  );
  return parts.join(', ');
}

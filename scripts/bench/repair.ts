/**
 * `npm run bench -- --only repair`: the cluster data path when shards are
 * missing, on the `data` section's cluster (key manager + 3 nodes) with three
 * device folders per node (9 devices for 4+2 chunks, so a lost device leaves
 * room to rebuild), placement scrub passes only when this script asks for
 * them (`--placement-scrub-interval-ms` of an hour) and two repairs at once
 * (`--repair-concurrency 2`, the maximum):
 *
 *  1. fill: `objects` objects of 4 MiB (one chunk each) with 4 clients;
 *  2. a placement scrub pass over the healthy cluster (Admin StartScrub, then
 *     MaintenanceStatus polled until the pass finished);
 *  3. repair of a lost device: the device folder of n2 holding the most shard
 *     bytes is deleted under the running node (as
 *     test/integration/repair.test.ts does; the node's health check marks it
 *     failed within about a second and the leader queues its chunks for
 *     repair), a placement scrub pass is asked for at once, and the clock
 *     runs until the repair queue is empty and a later pass finds no bad slot
 *     and no under-protected chunk. MB/s = bytes of shard records the deleted
 *     folder held (measured before deleting it) / seconds until the queue
 *     emptied; shards/s from the leader's `shardsMoved` counter;
 *  4. healthy read: get of the 4 MiB objects, 1 and 4 clients, through
 *     gateways n1 and n2;
 *  5. degraded read (decode path): n3 is stopped; with 4+2 over 3 nodes
 *     (at most m = 2 shards per node) n3 held exactly 2 shards of every
 *     chunk, so every read misses 2 of its 6 shards and, unless both were
 *     parity (1 chunk in 15 on average), needs Reed-Solomon decode. The same
 *     gets through the same gateways. n3's process is gone, so the machine
 *     also has one process fewer competing for its 2 cores.
 *
 * Single timings (the scrub pass, the repair) are one measurement each: their
 * p50 and p99 columns both carry the wall time of the whole phase.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { TesseraClient } from '@tessera/client';
import type { BenchResult } from '@tessera/common/bench';
import { pollUntil } from '@tessera/launcher';
import { u64Number, type MaintenanceStatusResponse__Output } from '@tessera/wire';
import { startBenchCluster, type BenchCluster } from './data-cluster.js';
import { LagProbe, QUICK_TIMING, figure, type FigureTiming } from './data.js';

const MiB = 1024 * 1024;
const OBJECT_SIZE = 4 * MiB;
const DEVICES = ['d1', 'd2', 'd3'] as const;
const DEVICE_CAPACITY = 2048 * MiB;

export interface RepairBenchOptions {
  /** 4 MiB objects written before the repair (default 64: 256 MiB of user data). */
  readonly objects?: number;
  /** A smoke run: a short warm-up and one run per read figure. */
  readonly quick?: boolean;
  /** Measured time of each run of a read figure. Default 3 s. */
  readonly durationMs?: number;
}

export async function repairBenchmarks(options: RepairBenchOptions = {}): Promise<BenchResult[]> {
  const objects = options.objects ?? 64;
  const timing: FigureTiming = { durationMs: options.durationMs ?? 3_000, ...(options.quick === true ? QUICK_TIMING : {}) };
  const devicesRoot = await mkdtemp(path.join(tmpdir(), 'tessera-bench-devices-'));
  const deviceDir = (node: string, device: string): string => path.join(devicesRoot, node, device);
  const results: BenchResult[] = [];
  const cluster = await startBenchCluster({
    nodeArgs: ['--placement-scrub-interval-ms', '3600000', '--repair-concurrency', '2'],
    argsOf: (id) => DEVICES.flatMap((d) => ['--device', `${d}=${deviceDir(id, d)}:${DEVICE_CAPACITY}`]),
  }).catch(async (err: unknown) => {
    await rm(devicesRoot, { recursive: true, force: true });
    throw err;
  });
  let phase = 'fill';
  try {
    const lag = await LagProbe.create(cluster);
    const clientsOn = async (ids: readonly string[], count: number): Promise<TesseraClient[]> => {
      const out: TesseraClient[] = [];
      for (let i = 0; i < count; i++) {
        const order = ids.map((_, j) => ids[(i + j) % ids.length]!);
        out.push(await cluster.client({ endpoints: order.map((id) => cluster.launcher.node(id).ports.clientAddress) }));
      }
      return out;
    };
    const clients = await clientsOn(cluster.nodeIds, 4);

    // 1. Fill with unique content (nothing deduplicates).
    const names: string[] = [];
    const fillStart = performance.now();
    let nextObject = 0;
    await Promise.all(
      clients.map(async (client) => {
        const bytes = randomBytes(OBJECT_SIZE);
        for (let i = nextObject++; i < objects; i = nextObject++) {
          bytes.writeUInt32BE(i, 0);
          const name = `repair/${String(i).padStart(6, '0')}`;
          await client.put(bytes, name);
          names.push(name);
        }
      }),
    );
    const fillSeconds = (performance.now() - fillStart) / 1000;
    results.push(single(`fill: put ${objects} x 4 MiB objects, 4 clients`, OBJECT_SIZE, (objects * OBJECT_SIZE) / fillSeconds / 1e6, objects / fillSeconds, fillSeconds, `${mib(objects * OBJECT_SIZE)} of user data; one timing`));

    phase = 'healthy scrub pass';
    // 2. A pass over the healthy cluster: the baseline, and proof nothing is missing before the loss.
    const healthy = await scrubPass(cluster);
    if (healthy.bad > 0) throw new Error(`the placement scrub found ${healthy.bad} bad slots before any device was lost`);
    results.push(single(`placement scrub pass, healthy, ${healthy.total} chunks`, 0, undefined, healthy.total / healthy.seconds, healthy.seconds, 'chunks/s over the pass; one timing'));

    phase = 'repair of a lost device';
    // 3. Lose the device of n2 holding the most shard bytes; repair it.
    const sizes = await Promise.all(DEVICES.map(async (d) => ({ device: d, bytes: await treeBytes(path.join(deviceDir('n2', d), 'extents')) })));
    const lost = sizes.sort((a, b) => b.bytes - a.bytes)[0]!;
    const before = await cluster.admin.maintenanceStatus();
    const movedBefore = u64Number(before.repairs?.shardsMoved ?? '0');
    const lossAt = performance.now();
    await rm(deviceDir('n2', lost.device), { recursive: true, force: true });
    // The node's health check notices within about a second; the leader's device table says when.
    await pollUntil(
      `n2/${lost.device} to be marked failed`,
      async () => ((await cluster.admin.listDevices()).some((d) => d.nodeId === 'n2' && d.deviceId === lost.device && d.state === 'failed') ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 100 },
    );
    const failedSeconds = (performance.now() - lossAt) / 1000;
    const repaired = await repairUntilClean(cluster, lossAt);
    const shardsMoved = u64Number(repaired.status.repairs?.shardsMoved ?? '0') - movedBefore;
    results.push(
      single(
        `repair: lost device n2/${lost.device} (${mib(lost.bytes)} of shard records)`,
        0,
        lost.bytes / repaired.queueEmptySeconds / 1e6,
        shardsMoved / repaired.queueEmptySeconds,
        repaired.queueEmptySeconds,
        `marked failed after ${failedSeconds.toFixed(1)} s, queue empty after ${repaired.queueEmptySeconds.toFixed(1)} s, clean pass after ${repaired.cleanSeconds.toFixed(1)} s (${repaired.passes} passes); ${shardsMoved} shards moved; ${countsText(repaired.status)}`,
      ),
    );

    // 4. Healthy reads, then 5. the same reads with n3 stopped.
    const reads = async (label: string, readers: readonly TesseraClient[], n: number, extra: string): Promise<void> => {
      let next = 0;
      const r = await figure(`get 4 MiB objects, ${n} client${n > 1 ? 's' : ''}, ${label}`, OBJECT_SIZE, readers.slice(0, n), timing, lag, async (client) => {
        const name = names[next++ % names.length]!;
        let got = 0;
        for await (const part of await client.get(name)) got += (part as Buffer).byteLength;
        if (got !== OBJECT_SIZE) throw new Error(`get ${name} returned ${got} bytes, expected ${OBJECT_SIZE}`);
      });
      results.push({ ...r, note: `${extra}; ${r.note ?? ''}` });
    };
    // Both read figures through gateways n1 and n2 only, so that stopping n3 changes nothing but the shards.
    phase = 'healthy reads';
    const survivors = await clientsOn(['n1', 'n2'], 4);
    for (const n of [1, 4]) await reads('healthy', survivors, n, 'all 6 shards reachable, gateways n1/n2');
    phase = 'degraded reads';
    await cluster.launcher.node('n3').stop();
    for (const n of [1, 4]) await reads('n3 stopped (decode)', survivors, n, '2 of 6 shards of every chunk unreachable, gateways n1/n2');
  } catch (err) {
    process.stderr.write(`bench repair: failed during ${phase}; node logs:\n${await cluster.launcher.logs(30)}\n`);
    throw err;
  } finally {
    await cluster.shutdown();
    await rm(devicesRoot, { recursive: true, force: true });
  }
  return results;
}

function single(name: string, bytes: number, mbPerSec: number | undefined, opsPerSec: number, seconds: number, note: string): BenchResult {
  return { name, bytes, runs: 1, ...(mbPerSec !== undefined ? { mbPerSec } : {}), opsPerSec, p50Us: seconds * 1e6, p99Us: seconds * 1e6, note };
}

function mib(bytes: number): string {
  return `${(bytes / MiB).toFixed(1)} MiB`;
}

/** Bytes of the files directly in `dir` (a device's extent files); 0 when it does not exist. */
async function treeBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) total += (await stat(path.join(dir, name))).size;
  return total;
}

interface PassOutcome {
  readonly seconds: number;
  readonly total: number;
  readonly bad: number;
  readonly underProtected: number;
  readonly status: MaintenanceStatusResponse__Output;
}

/** Asks the leader for a placement scrub pass and waits until a pass that started then has finished. */
async function scrubPass(cluster: BenchCluster, timeoutMs = 300_000): Promise<PassOutcome> {
  const t0 = performance.now();
  const started = await cluster.admin.startScrub();
  const since = u64Number(started.placementScrub?.current?.startedMs ?? started.placementScrub?.last?.startedMs ?? '0');
  const status = await pollUntil(
    'the placement scrub pass to finish',
    async () => {
      const s = await cluster.admin.maintenanceStatus();
      const last = s.placementScrub?.last;
      if (s.nodeId !== started.nodeId) throw new Error('the metadata leader changed during the benchmark');
      return last !== undefined && last !== null && u64Number(last.startedMs) >= since && !(s.placementScrub?.running ?? false) ? s : undefined;
    },
    { timeoutMs, intervalMs: 100 },
  );
  const last = status.placementScrub!.last!;
  const bad = u64Number(last.missing) + u64Number(last.corrupt) + u64Number(last.badDevice) + u64Number(last.unreachable);
  return { seconds: (performance.now() - t0) / 1000, total: u64Number(last.total), bad, underProtected: u64Number(last.underProtected), status };
}

/**
 * From the loss on: a pass, then the repair queue to empty; again until a
 * pass that started after the queue emptied finds every slot clean.
 */
async function repairUntilClean(cluster: BenchCluster, lossAt: number): Promise<{ queueEmptySeconds: number; cleanSeconds: number; passes: number; status: MaintenanceStatusResponse__Output }> {
  const deadline = performance.now() + 600_000;
  let queueEmptySeconds = 0;
  for (let passes = 1; performance.now() < deadline; passes++) {
    const pass = await scrubPass(cluster);
    if (passes > 1 && pass.bad + pass.underProtected === 0 && (pass.status.repairs?.queued ?? 0) + (pass.status.repairs?.running ?? 0) === 0) {
      return { queueEmptySeconds, cleanSeconds: (performance.now() - lossAt) / 1000, passes, status: pass.status };
    }
    await pollUntil(
      'the repair queue to empty',
      async () => {
        const s = await cluster.admin.maintenanceStatus();
        return (s.repairs?.queued ?? 0) + (s.repairs?.running ?? 0) === 0 ? true : undefined;
      },
      { timeoutMs: Math.max(1, deadline - performance.now()), intervalMs: 100 },
    );
    queueEmptySeconds = (performance.now() - lossAt) / 1000;
  }
  throw new Error('the cluster did not reach full redundancy within 10 minutes of the device loss');
}

function countsText(s: MaintenanceStatusResponse__Output): string {
  const counts = (s.repairs?.counts ?? []).filter((c) => u64Number(c.count) > 0).map((c) => `${c.reason}/${c.outcome} ${u64Number(c.count)}`);
  return counts.length === 0 ? 'no repairs counted' : `repairs ${counts.join(', ')}`;
}

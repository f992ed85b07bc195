/**
 * Debug-only: where one put's time goes (issue #12). Starts the
 * `raft-cluster` bench's 3-process cluster with `TESSERA_RAFT_TRACE` set,
 * runs closed-loop clients for a few seconds (after the consensus bench's
 * warm-up: 4 s at 16 clients, then 4 s at the measured concurrency; then
 * another 1 s excluded), then
 * merges the processes' trace files and prints, for one client, three sample
 * put timelines and the p50/p90 of each phase of a put; always the disk's own
 * fsync latency measured in the same run, the load average, and the CPU each
 * process spent per put (from /proc).
 *
 *   npx tsx --conditions=development scripts/bench/raft-trace.ts [seconds=5] [clients=1] [profile]
 *
 * clients 0: no load, prints each node's idle CPU. `profile`: no tracer (for
 * CPU figures or a profiler hooked in through NODE_OPTIONS=--import).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDurableKv } from '@tessera/raft';

interface Ev {
  t: number;
  pid: number;
  e: string;
  node?: string;
  [k: string]: unknown;
}

const seconds = Number(process.argv[2] ?? 5);
const clients = Number(process.argv[3] ?? 1);
/** Unmeasured writes before the run, at 16 clients and then at `clients` (`TESSERA_TRACE_WARM_MS`, default 4 s each). */
const WARM_MS = Number(process.env['TESSERA_TRACE_WARM_MS'] ?? 4000);
const dir = await mkdtemp(join(tmpdir(), 'tessera-raft-trace-'));
// A third argument `profile` runs without the tracer (for --cpu-prof through NODE_OPTIONS).
const tracingOn = process.argv[4] !== 'profile';
if (tracingOn) process.env['TESSERA_RAFT_TRACE'] = dir;
const { startCluster } = await import('@tessera/node/bench');

async function fsyncLatency(): Promise<number[]> {
  const d = await mkdtemp(join(tmpdir(), 'tessera-trace-sync-'));
  const kv = await openDurableKv(d, { crashSim: false });
  const out: number[] = [];
  try {
    for (let i = 0; i < 300; i++) {
      const key = Buffer.alloc(8);
      key.writeBigUInt64BE(BigInt(i));
      const t0 = performance.now();
      await kv.write([{ type: 'put', key, value: new Uint8Array(256) }], { sync: true });
      out.push((performance.now() - t0) * 1000);
    }
  } finally {
    await kv.close();
    await rm(d, { recursive: true, force: true });
  }
  return out.sort((a, b) => a - b);
}

/** CPU seconds (user + system) a process has used, from /proc (Linux). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const pct = (s: readonly number[], p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? 0;

console.log(`load before ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
const syncs = await fsyncLatency();
console.log(`leveldb sync:true 256 B: p50 ${pct(syncs, 50).toFixed(0)} µs p99 ${pct(syncs, 99).toFixed(0)} µs`);
const bench = await startCluster();
const lat: number[] = [];
let measureFrom = 0;
try {
  const sessions = await Promise.all(Array.from({ length: clients }, () => bench.client.openSession()));
  const value = Buffer.alloc(256, 0x5a);
  // As the consensus bench does: writes at 16 clients, then at the measured concurrency, so V8 has compiled the hot path.
  if (clients > 0 && WARM_MS > 0) {
    const warmers = await Promise.all(Array.from({ length: 16 }, () => bench.client.openSession()));
    for (const [group, n] of [[warmers, 16], [sessions, clients]] as const) {
      const until = performance.now() + WARM_MS;
      await Promise.all(group.slice(0, n).map(async (s, w) => {
        for (let i = 0; performance.now() < until; i++) await s.put(Buffer.from(`w/${w}/${i % 64}`), value);
      }));
    }
  }
  const warm = performance.now() + 1000;
  const stop = warm + seconds * 1000;
  measureFrom = Math.round((performance.timeOrigin + warm) * 1000);
  const pids = bench.launcher.nodes().map((n) => [n.id, n.pid ?? 0] as const);
  // CPU counters are read when the warm-up ends.
  const cpuBefore = new Map<string, number>();
  let selfBefore = process.cpuUsage();
  setTimeout(() => {
    selfBefore = process.cpuUsage();
    void (async () => {
      for (const [id, pid] of pids) cpuBefore.set(id, await cpuSeconds(pid));
    })();
  }, 1000);
  const cpuReport = async (): Promise<void> => {
    const self = process.cpuUsage(selfBefore);
    const parts = [`bench client ${((self.user + self.system) / Math.max(1, lat.length)).toFixed(0)} µs`];
    for (const [id, pid] of pids) parts.push(`${id} ${((((await cpuSeconds(pid)) - (cpuBefore.get(id) ?? 0)) * 1e6) / Math.max(1, lat.length)).toFixed(0)} µs`);
    console.log(`CPU per put (user+sys): ${parts.join(', ')}`);
  };
  if (clients === 0) {
    // Idle: what the cluster burns with no load (heartbeats, duties, metrics), per second.
    await new Promise((resolve) => setTimeout(resolve, 1000 + seconds * 1000));
    const parts: string[] = [];
    for (const [id, pid] of pids) parts.push(`${id} ${((((await cpuSeconds(pid)) - (cpuBefore.get(id) ?? 0)) * 1e3) / seconds).toFixed(0)} ms/s`);
    console.log(`idle CPU (user+sys): ${parts.join(', ')}`);
  }
  await Promise.all(sessions.map(async (s, w) => {
    for (let i = 0; performance.now() < stop; i++) {
      const t0 = performance.now();
      await s.put(Buffer.from(`t/${w}/${i % 64}`), value);
      if (t0 > warm) lat.push((performance.now() - t0) * 1000);
    }
  }));
  await cpuReport();
} finally {
  bench.client.close();
  await bench.launcher.shutdown();
}
lat.sort((a, b) => a - b);
console.log(`puts: ${lat.length} in ${seconds} s (${(lat.length / seconds).toFixed(0)}/s), client p50 ${pct(lat, 50).toFixed(0)} µs p99 ${pct(lat, 99).toFixed(0)} µs`);
console.log(`load after ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);

await new Promise((r) => setTimeout(r, 500));
const events: Ev[] = [];
for (const f of await readdir(dir)) {
  for (const line of (await readFile(join(dir, f), 'utf8')).split('\n')) if (line !== '') events.push(JSON.parse(line) as Ev);
}
events.sort((a, b) => a.t - b.t);
// Name each process by the node id it logs.
const nameOf = new Map<number, string>();
for (const e of events) if (typeof e.node === 'string') nameOf.set(e.pid, e.node);
const label = (e: Ev): string => {
  const extra = ['type', 'n', 'entries', 'committed', 'sync', 'to', 'from', 'msgs', 'parallel']
    .filter((k) => e[k] !== undefined)
    .map((k) => `${k}=${String(e[k])}`)
    .join(',');
  return `${nameOf.get(e.pid) ?? e.pid}:${e.e}${extra ? `(${extra})` : ''}`;
};
const measured = events.filter((e) => e.t >= measureFrom);
if (clients === 1) {
  // Segment per put on the leader, from 'put' to 'put-done', and print a few whole timelines.
  const puts: Ev[][] = [];
  let cur: Ev[] | undefined;
  for (const e of measured) {
    if (e.e === 'put') cur = [e];
    else if (cur !== undefined) {
      cur.push(e);
      if (e.e === 'put-done') {
        puts.push(cur);
        cur = undefined;
      }
    }
  }
  for (const p of puts.slice(10, 13)) {
    console.log('--- one put');
    const t0 = p[0]!.t;
    let prev = t0;
    for (const e of p) {
      console.log(`${String(e.t - t0).padStart(7)} µs  +${String(e.t - prev).padStart(6)}  ${label(e)}`);
      prev = e.t;
    }
  }
}
// Per put (segmented on the leader from 'put' to 'put-done'), the phases of its life.
if (clients === 1) {
  const phases = new Map<string, number[]>();
  const add = (k: string, v: number | undefined): void => {
    if (v === undefined || !Number.isFinite(v)) return;
    phases.set(k, [...(phases.get(k) ?? []), v]);
  };
  let segment: Ev[] | undefined;
  let leaderPid = -1;
  for (const e of measured) {
    if (e.e === 'put' && segment === undefined) {
      segment = [e];
      leaderPid = e.pid;
      continue;
    }
    if (segment === undefined) continue;
    segment.push(e);
    if (e.e !== 'put-done' || e.pid !== leaderPid) continue;
    const seg = segment;
    segment = undefined;
    const first = (pred: (x: Ev) => boolean): number | undefined => seg.find(pred)?.t;
    const put = seg[0]!.t;
    const ready = first((x) => x.pid === leaderPid && x.e === 'ready' && Number(x['entries']) > 0);
    const saved = first((x) => x.pid === leaderPid && x.e === 'saved' && x['sync'] === true);
    const ack = first((x) => x.pid === leaderPid && x.e === 'step' && x['type'] === 'appResp');
    const followerRecv = first((x) => x.pid !== leaderPid && x.e === 'recv');
    const followerReady = first((x) => x.pid !== leaderPid && x.e === 'ready' && Number(x['entries']) > 0);
    const followerSaved = first((x) => x.pid !== leaderPid && x.e === 'saved' && x['sync'] === true);
    const followerSend = first((x) => x.pid !== leaderPid && x.e === 'send' && x['type'] === 'appResp');
    const commitReady = first((x) => x.pid === leaderPid && x.e === 'ready' && Number(x['committed']) > 0);
    const applyStart = first((x) => x.pid === leaderPid && x.e === 'apply');
    const applied = first((x) => x.pid === leaderPid && x.e === 'applied');
    const since = (to: number | undefined, from: number | undefined): number | undefined => (to !== undefined && from !== undefined ? to - from : undefined);
    add('1 handler start -> leader Ready with the entry', since(ready, put));
    add('2 leader Ready -> its fsync done', since(saved, ready));
    add('3 leader Ready -> first ack stepped', since(ack, ready));
    add('3a leader Ready -> first follower receives', since(followerRecv, ready));
    add('3b follower receive -> its Ready', since(followerReady, followerRecv));
    add('3c follower Ready -> its fsync done', since(followerSaved, followerReady));
    add('3d follower ack sent -> leader steps it', since(ack, followerSend));
    add('4 max(own fsync, first ack) -> commit Ready', saved !== undefined && ack !== undefined ? since(commitReady, Math.max(saved, ack)) : undefined);
    add('5a commit Ready -> apply starts', since(applyStart, commitReady));
    add('5b state machine apply', since(applied, applyStart));
    add('6 applied -> handler done', since(e.t, applied));
    add('handler total (put -> put-done)', e.t - put);
  }
  console.log('--- phases of a put, µs');
  for (const [k, xs] of [...phases].sort((a, b) => a[0].localeCompare(b[0]))) {
    const sorted = [...xs].sort((a, b) => a - b);
    console.log(`${k.padEnd(48)} n=${String(sorted.length).padStart(4)}  p50 ${String(pct(sorted, 50)).padStart(6)}  p90 ${String(pct(sorted, 90)).padStart(6)}`);
  }
  console.log(`client total p50 ${pct(lat, 50).toFixed(0)} µs (outside the handler: client + gRPC + TLS both ways)`);
}
await rm(dir, { recursive: true, force: true });

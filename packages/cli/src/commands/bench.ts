/**
 * `tessera bench put|get` — a bounded load generator against a running
 * cluster, through the tenant SDK with a tenant client (or tenant admin)
 * certificate, like `rados bench` or `etcdctl check perf`: N concurrent
 * closed-loop clients, a warm-up that is not measured, then a fixed
 * duration (and, with `--count`, at most that many operations) per run,
 * several runs; the median with min and max, MB/s, ops/s, p50/p99. The
 * header names this machine (cores, Node, the disk under its temporary
 * directory) and its load average before and after, since a figure from a
 * loaded client machine measures the client.
 *
 * Objects go under a fresh prefix (`bench/<random>/`): `put` cycles each
 * client over `--names` names, so the data left in the cluster stays at
 * clients × names × size however long it runs; `get` first writes
 * `--objects` objects (not measured) and reads them round robin, checking
 * each one's length. Everything written is deleted at the end unless
 * `--keep`. Every object's content is unique (a counter stamped into each
 * 64 KiB), so no chunk is ever stored once for two puts.
 */
import { randomBytes } from 'node:crypto';
import { InvalidArgumentError, type Command } from 'commander';
import type { TesseraClient } from '@tessera/client';
import { loadAverage, machineInfo, machineLine, runLoad, summarise, type LoadOp, type RunFigures } from '@tessera/common/bench';
import { ErrorCodes, TesseraError } from '@tessera/common';
import type { CliIo } from '../io.js';
import { parseDuration, sizeIn } from '../options.js';
import { parseOutputFormat, type OutputFormat } from '../output.js';
import { DATA_CONNECTION_HELP, connectData, withDataConnection, type DataConnectionOptions } from './data-connection.js';
import { objectIo } from './objects.js';

interface Context {
  readonly io: CliIo;
}

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const MAX_OBJECT_BYTES = GiB;
/** The counter is stamped at every multiple of this offset (any chunk size sees a unique chunk). */
const STAMP_EVERY = 64 * KiB;
const MAX_CLIENTS = 1024;
/** Connections to the nodes: the loops share them, each connection listing the endpoints from another node first. */
const MAX_CONNECTIONS = 8;

/** `256`, `64KiB`, `4MiB`, `1GiB` → bytes, 1 B to 1 GiB. */
export const parseObjectSize: (value: string) => number = sizeIn(1, MAX_OBJECT_BYTES, 'must be a size from 1 B to 1 GiB, such as 256, 64KiB or 4MiB');

function wholeNumber(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^[0-9]{1,9}$/.test(value) || Number(value) < min || Number(value) > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return Number(value);
  };
}

function seconds(min: number, max: number): (value: string) => number {
  return (value) => {
    // A bare number is seconds here (`--duration 10`); units as elsewhere (`500ms`, `2m`).
    const ms = /^[0-9]{1,6}$/.test(value.trim()) ? Number(value) * 1000 : parseDuration(value);
    if (ms < min || ms > max) throw new InvalidArgumentError(`must be from ${min / 1000} s to ${max / 1000} s`);
    return ms;
  };
}

/** `bench/` followed by 1 to 200 characters of `[A-Za-z0-9._/-]`, ending in `/`. */
export function parsePrefix(value: string): string {
  if (!/^[A-Za-z0-9._/-]{1,200}\/$/.test(value) || value.startsWith('/') || value.includes('//')) {
    throw new InvalidArgumentError('must be 1 to 200 characters of letters, digits, . _ - and /, ending in / (such as bench/run1/)');
  }
  return value;
}

interface BenchOpts extends DataConnectionOptions {
  readonly size: number;
  readonly clients: number;
  readonly duration: number;
  readonly warmup: number;
  readonly runs: number;
  readonly count?: number;
  readonly prefix?: string;
  readonly keep?: boolean;
  readonly retryTimeout?: number;
}

interface PutOpts extends BenchOpts {
  readonly names: number;
}

interface GetOpts extends BenchOpts {
  readonly objects?: number;
}

type Op = 'put' | 'get';

/** The figures of one verb's runs, as printed and as JSON. */
export interface BenchReport {
  readonly op: Op;
  readonly machine: ReturnType<typeof machineInfo>;
  readonly loadAverage: { readonly before: string; readonly after: string };
  readonly size: number;
  readonly clients: number;
  readonly warmupSeconds: number;
  readonly durationSeconds: number;
  readonly maxOpsPerRun: number | null;
  readonly prefix: string;
  readonly kept: boolean;
  readonly runs: ReadonlyArray<RunFigures & { readonly mbPerSec: number }>;
  readonly median: { readonly opsPerSec: number; readonly mbPerSec: number; readonly p50Ms: number; readonly p99Ms: number; readonly opsMin: number; readonly opsMax: number };
}

function common(cmd: Command): Command {
  return withDataConnection(cmd)
    .option('--size <size>', 'object size, 1 B to 1 GiB (such as 256, 64KiB, 4MiB)', parseObjectSize, 4 * MiB)
    .option('--clients <n>', `concurrent closed-loop clients, 1 to ${MAX_CLIENTS}`, wholeNumber(1, MAX_CLIENTS), 16)
    .option('--duration <time>', 'measured time per run (seconds, or 500ms, 2m; 100 ms to 1 h)', seconds(100, 3_600_000), 10_000)
    .option('--warmup <time>', 'unmeasured time before each run (0 to 10 min)', seconds(0, 600_000), 2_000)
    .option('--runs <n>', 'runs; the median is reported with the min and max rate (1 to 100)', wholeNumber(1, 100), 3)
    .option('--count <n>', 'end a run after this many measured operations, if its time has not run out (1 to 10^9)', wholeNumber(1, 1_000_000_000))
    .option('--prefix <prefix>', 'object name prefix, ending in / (default: bench/ and a random id)', parsePrefix)
    .option('--keep', 'keep the objects written (default: deleted at the end)')
    .option('--retry-timeout <time>', 'how long one call keeps retrying other nodes before the run fails (default 30s; 0 to 1 h)', seconds(0, 3_600_000));
}

function help(lines: readonly string[]): string {
  return `${DATA_CONNECTION_HELP}\n\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}\n`;
}

export function registerBenchCommands(program: Command, ctx: Context): void {
  const bench = program
    .command('bench')
    .description('measure puts or gets of your tenant against a running cluster (a bounded load generator)')
    .addHelpText('after', '\nSee: tessera bench put --help, tessera bench get --help. Objects go under a fresh bench/ prefix and are deleted at the end.\n');

  common(bench.command('put').description('closed-loop puts of objects of --size; each client overwrites its own --names names'))
    .option('--names <n>', 'names each client cycles over (bounds what stays stored: clients × names × size), 1 to 1024', wholeNumber(1, 1024), 4)
    .addHelpText('after', help(['tessera bench put --size 4MiB --clients 16 --duration 10s', 'tessera -o json bench put --size 256 --clients 1 --runs 5 --count 2000']))
    .action(async (opts: PutOpts, cmd: Command) => {
      const report = await runBench('put', opts, (clients, prefix, written) => putLoad(clients, prefix, written, opts), progressOf(ctx.io));
      print(ctx.io, parseOutputFormat(cmd.optsWithGlobals()['output']), report);
    });

  common(bench.command('get').description('closed-loop gets of --objects objects of --size, written first (not measured)'))
    .option('--objects <n>', 'objects written first and read round robin, 1 to 4096 (default: --clients)', wholeNumber(1, 4096))
    .addHelpText('after', help(['tessera bench get --size 4MiB --clients 16 --objects 32', 'tessera -o json bench get --size 1KiB --clients 1']))
    .action(async (opts: GetOpts, cmd: Command) => {
      const objects = opts.objects ?? opts.clients;
      const report = await runBench('get', opts, (clients, prefix, written) =>
        getLoad(clients, Array.from({ length: objects }, (_, i) => `${prefix}get/${i}`), written, opts),
      progressOf(ctx.io));
      print(ctx.io, parseOutputFormat(cmd.optsWithGlobals()['output']), report);
    });
}

/** A body per client, stamped with a counter unique to each put. */
function putLoad(clients: readonly TesseraClient[], prefix: string, written: Set<string>, opts: PutOpts): Load {
  const bodies = Array.from({ length: opts.clients }, () => randomBytes(opts.size));
  let seq = 0;
  return {
    op: async (c, i) => {
      const name = `${prefix}put/${c}/${i % opts.names}`;
      stamp(bodies[c]!, seq++);
      await clients[c % clients.length]!.put(bodies[c]!, name);
      written.add(name);
    },
  };
}

function getLoad(clients: readonly TesseraClient[], names: readonly string[], written: Set<string>, opts: GetOpts): Load {
  let next = 0;
  return {
    setup: async () => {
      const body = randomBytes(opts.size);
      for (let i = 0; i < names.length; i++) {
        stamp(body, i);
        await clients[i % clients.length]!.put(body, names[i]!);
        written.add(names[i]!);
      }
    },
    op: async (c) => {
      const name = names[next++ % names.length]!;
      let got = 0;
      for await (const part of await clients[c % clients.length]!.get(name)) got += (part as Buffer).byteLength;
      if (got !== opts.size) throw new TesseraError(ErrorCodes.INTERNAL, `get ${name} returned ${got} bytes, expected ${opts.size}`);
    },
  };
}

function stamp(body: Buffer, n: number): void {
  for (let at = 0; at + 4 <= body.length; at += STAMP_EVERY) body.writeUInt32BE(n >>> 0, at);
  if (body.length < 4) body[0] = n & 0xff;
}

interface Load {
  /** Unmeasured work before the runs. */
  readonly setup?: () => Promise<void>;
  readonly op: LoadOp;
}

/** One line per finished run on stderr, only when it is a terminal: a long bench is not silent, and scripts get clean output. */
function progressOf(io: CliIo): (line: string) => void {
  return objectIo(io).stderrIsTty ? (line) => void io.stderr.write(`${line}\n`) : () => undefined;
}

/**
 * Connects, runs the load `opts.runs` times and reports; deletes every name
 * the load wrote (`written`) unless `--keep`, also after a failure (then
 * only a put whose outcome the failure left unknown may remain under the
 * prefix; an unreachable cluster gets no deletes at all).
 */
async function runBench(
  op: Op,
  opts: BenchOpts,
  load: (clients: readonly TesseraClient[], prefix: string, written: Set<string>) => Load,
  progress: (line: string) => void,
): Promise<BenchReport> {
  const prefix = opts.prefix ?? `bench/${randomBytes(4).toString('hex')}/`;
  const machine = machineInfo();
  const before = loadAverage();
  const connections: TesseraClient[] = [];
  const written = new Set<string>();
  try {
    const count = Math.min(opts.clients, MAX_CONNECTIONS);
    for (let i = 0; i < count; i++) connections.push(await connectData(opts, { rotate: i, ...(opts.retryTimeout !== undefined ? { retryTimeoutMs: opts.retryTimeout } : {}) }));
    const { setup, op: call } = load(connections, prefix, written);
    if (setup !== undefined) {
      progress(`bench ${op}: writing the objects to read under ${prefix}`);
      await setup();
    }
    const runs: RunFigures[] = [];
    for (let r = 0; r < opts.runs; r++) {
      const run = await runLoad({ clients: opts.clients, durationMs: opts.duration, warmupMs: opts.warmup, ...(opts.count !== undefined ? { maxOps: opts.count } : {}) }, call);
      runs.push(run);
      progress(`bench ${op}: run ${r + 1} of ${opts.runs}: ${run.opsPerSec.toFixed(1)} ops/s, p50 ${(run.p50Us / 1000).toFixed(2)} ms`);
    }
    const summary = summarise(runs);
    const mb = (opsPerSec: number): number => (opsPerSec * opts.size) / 1e6;
    const report: BenchReport = {
      op,
      machine,
      loadAverage: { before, after: loadAverage() },
      size: opts.size,
      clients: opts.clients,
      warmupSeconds: opts.warmup / 1000,
      durationSeconds: opts.duration / 1000,
      maxOpsPerRun: opts.count ?? null,
      prefix,
      kept: opts.keep === true,
      runs: runs.map((r) => ({ ...r, mbPerSec: mb(r.opsPerSec) })),
      median: { opsPerSec: summary.opsPerSec, mbPerSec: mb(summary.opsPerSec), p50Ms: summary.p50Us / 1000, p99Ms: summary.p99Us / 1000, opsMin: summary.opsMin, opsMax: summary.opsMax },
    };
    if (opts.keep !== true) await removeAll(connections[0]!, written);
    return report;
  } catch (err) {
    // A failed run still cleans up what it wrote (best effort: the failure is what gets reported).
    if (opts.keep !== true && connections.length > 0) await removeAll(connections[0]!, written).catch(() => undefined);
    throw err;
  } finally {
    for (const c of connections) c.close();
  }
}

async function removeAll(client: TesseraClient, names: Iterable<string>): Promise<void> {
  for (const name of names) await client.delete(name);
}

function print(io: CliIo, format: OutputFormat, r: BenchReport): void {
  if (format === 'json') {
    io.stdout.write(JSON.stringify(r, null, 2) + '\n');
    return;
  }
  const fixed = (n: number, digits: number): string => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  const lines = [
    `tessera bench ${r.op}: ${sizeText(r.size)} objects, ${r.clients} client${r.clients === 1 ? '' : 's'}, ${r.runs.length} run${r.runs.length === 1 ? '' : 's'} of ${r.durationSeconds} s after ${r.warmupSeconds} s of warm-up${r.maxOpsPerRun !== null ? ` (at most ${r.maxOpsPerRun} operations each)` : ''}`,
    `this machine: ${machineLine(r.machine)}; load average (1/5/15 min) before ${r.loadAverage.before}, after ${r.loadAverage.after}`,
    '',
    '  run     ops/s      MB/s    p50 ms    p99 ms   operations',
    ...r.runs.map((run, i) => `  ${String(i + 1).padEnd(4)}${fixed(run.opsPerSec, 1).padStart(9)}${fixed(run.mbPerSec, 1).padStart(10)}${fixed(run.p50Us / 1000, 2).padStart(10)}${fixed(run.p99Us / 1000, 2).padStart(10)}${String(run.ops).padStart(13)}`),
    `  median${fixed(r.median.opsPerSec, 1).padStart(7)}${fixed(r.median.mbPerSec, 1).padStart(10)}${fixed(r.median.p50Ms, 2).padStart(10)}${fixed(r.median.p99Ms, 2).padStart(10)}   ops/s ${fixed(r.median.opsMin, 1)}-${fixed(r.median.opsMax, 1)}`,
    '',
    r.kept ? `objects kept under ${r.prefix}` : `objects under ${r.prefix} deleted`,
  ];
  io.stdout.write(lines.join('\n') + '\n');
}

function sizeText(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= KiB && bytes % KiB === 0) return `${bytes / KiB} KiB`;
  return `${bytes} B`;
}

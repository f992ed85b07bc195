/**
 * scripts/local-cluster: a whole Tessera cluster on loopback in one command
 * (see `scripts/local-cluster --help`). Foreground by default (Ctrl-C stops
 * everything); `--detach` returns once the cluster is ready and leaves a
 * supervisor process running, which `stop` ends from any terminal.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { pollUntil, repositoryRoot } from '@tessera/launcher';
import { httpStatus } from './http.js';
import { renderSummary, shown } from './summary.js';
import { SUPERVISOR_LOG, alive, ours, readState, statePath, writeState, type ClusterState } from './state.js';
import { initCluster, restartCluster, type RunningCluster } from './up.js';

const SUPERVISOR_ENV = 'TESSERA_LOCAL_CLUSTER_SUPERVISOR';
/** Part of every supervisor's command line (how `stop` tells a recycled pid from ours). */
const SCRIPT_MARKER = path.join('scripts', 'cluster', 'main.ts');

const HELP = `Usage:
  scripts/local-cluster [--data DIR] [--nodes N] [--detach]   start (or restart) a local cluster
  scripts/local-cluster status --data DIR [--json]            processes, ports, readiness (exit 1 unless all ready)
  scripts/local-cluster stop --data DIR                       stop a cluster started with --data (any terminal)

Starts a cluster CA and certificates, a key manager (file root provider), N storage
nodes (default 3) with 3 device folders each, on 127.0.0.1 with free ports; waits
until every node's /readyz is 200; registers a demo tenant with its own CA; writes a
CLI config (DIR/tessera.json) and prints endpoints, metrics URLs, certificates and
example commands.

Options:
  --data DIR    keep everything in DIR; a second run on DIR restarts the same cluster
                (default: a temp dir, removed when the cluster stops; --detach needs --data)
  --nodes N     storage nodes, 1 to 9 (default 3; first run only)
  --tenant ID   the demo tenant's id (default demo; first run only)
  --detach      return once the cluster is ready; it keeps running in the background
  --json        status: print the state as JSON
  -h, --help    this help

Exit codes: 0 success, 1 failure, 2 usage error.

Examples:
  scripts/local-cluster                                   # foreground, Ctrl-C stops it
  scripts/local-cluster --detach --data .local-cluster    # background, state kept
  npx tessera --config .local-cluster/tessera.json ls
  scripts/local-cluster stop --data .local-cluster
`;

class UsageError extends Error {}

interface Cli {
  readonly verb: 'start' | 'stop' | 'status';
  readonly data: string | undefined;
  readonly nodes: number;
  readonly tenant: string;
  readonly detach: boolean;
  readonly json: boolean;
  readonly help: boolean;
}

function parse(argv: readonly string[]): Cli {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        nodes: { type: 'string' },
        tenant: { type: 'string' },
        detach: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const { values, positionals } = parsed;
  const verb = positionals[0] ?? 'start';
  if (verb !== 'start' && verb !== 'stop' && verb !== 'status') throw new UsageError(`unknown command ${verb} (start, stop or status)`);
  if (positionals.length > 1) throw new UsageError(`unexpected argument ${positionals[1]!}`);
  const nodes = values.nodes === undefined ? 3 : Number(values.nodes);
  if (!Number.isInteger(nodes) || nodes < 1 || nodes > 9) throw new UsageError('--nodes must be a whole number from 1 to 9');
  const tenant = values.tenant ?? 'demo';
  if (!/^[a-z][a-z0-9-]{0,62}$/.test(tenant)) throw new UsageError('--tenant must be lower-case letters, digits and dashes');
  const cli: Cli = { verb, data: values.data, nodes, tenant, detach: values.detach === true, json: values.json === true, help: values.help === true };
  if (!cli.help && verb !== 'start' && cli.data === undefined) throw new UsageError(`${verb} needs --data DIR (the dir the cluster was started with)`);
  if (!cli.help && cli.detach && cli.data === undefined) throw new UsageError('--detach needs --data DIR (where stop and status find the cluster)');
  return cli;
}

function say(line: string): void {
  process.stdout.write(`local-cluster: ${line}\n`);
}

/** Runs the cluster in this process until SIGINT/SIGTERM (foreground, or as the detached supervisor). */
async function supervise(cli: Cli): Promise<number> {
  const started = Date.now();
  const temp = cli.data === undefined;
  const root = temp ? await mkdtemp(path.join(os.tmpdir(), 'tessera-local-')) : path.resolve(cli.data!);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const previous = await readState(root);
  if (previous !== undefined && (await ours(previous.supervisorPid, root, SCRIPT_MARKER)) && previous.supervisorPid !== process.pid) {
    throw new UsageError(`a cluster already runs in ${shown(root)} (supervisor pid ${previous.supervisorPid}); stop it with: scripts/local-cluster stop --data ${shown(root)}`);
  }
  if (previous === undefined && (await readdir(root)).some((f) => f !== path.basename(SUPERVISOR_LOG) && f !== 'logs')) {
    throw new UsageError(`${shown(root)} is not empty and holds no local cluster; give an empty or new dir to --data`);
  }
  if (previous !== undefined && !previous.initialized) {
    throw new UsageError(`${shown(root)} holds a cluster whose first start did not finish; remove the dir and start again`);
  }

  let running: RunningCluster | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      say('stopping every process');
      if (running !== undefined) {
        await running.save({ phase: 'stopping' }).catch(() => undefined);
        await running.stop();
        await running.save({ phase: 'stopped', processes: running.records() }).catch(() => undefined);
      }
      if (temp) await rm(root, { recursive: true, force: true });
      say('stopped');
    })();
    return stopping;
  };
  const stopped = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop().then(resolve));
  });

  const opts = { root, nodes: cli.nodes, devicesPerNode: 3, tenant: cli.tenant, log: say };
  try {
    say(previous !== undefined ? `restarting the cluster in ${shown(root)}` : `starting a new cluster in ${shown(root)}`);
    const onLauncher = (c: RunningCluster): void => {
      running = c;
    };
    running = previous !== undefined ? await restartCluster(previous, opts, onLauncher) : await initCluster(opts, onLauncher);
  } catch (err) {
    if (stopping !== undefined) {
      await stopping;
      return 0; // stopped while starting
    }
    process.stderr.write(`local-cluster: start failed: ${(err as Error).message}\n`);
    if (running !== undefined) process.stderr.write(`${await running.launcher.logs(20)}\n`);
    await running?.save({ phase: 'failed', error: (err as Error).message }).catch(() => undefined);
    await running?.stop();
    if (temp) await rm(root, { recursive: true, force: true });
    return 1;
  }
  if (stopping === undefined) {
    await running.save({ phase: 'ready', readyMs: Date.now() - started, processes: running.records() });
    process.stdout.write('\n' + renderSummary(running.state, repositoryRoot(), `--data ${shown(root)}`));
    if (temp) say(`state is in a temp dir, removed at exit (use --data DIR to keep it); Ctrl-C stops the cluster`);
    else say('Ctrl-C (or `stop`) stops the cluster');
  }
  await stopped;
  return 0;
}

/** `--detach`: start a supervisor in its own session, wait until it reports ready (or fails), print the summary. */
async function detach(cli: Cli): Promise<number> {
  const root = path.resolve(cli.data!);
  const previous = await readState(root);
  if (previous !== undefined && (await ours(previous.supervisorPid, root, SCRIPT_MARKER))) {
    if (previous.phase === 'ready') {
      say(`already running (supervisor pid ${previous.supervisorPid})`);
      process.stdout.write('\n' + renderSummary(previous, repositoryRoot(), `--data ${shown(root)}`));
      return 0;
    }
    throw new UsageError(`a cluster is ${previous.phase} in ${shown(root)} (supervisor pid ${previous.supervisorPid})`);
  }
  await mkdir(path.join(root, path.dirname(SUPERVISOR_LOG)), { recursive: true, mode: 0o700 });
  const logFile = path.join(root, SUPERVISOR_LOG);
  const fd = openSync(logFile, 'a');
  const args = [...process.execArgv, process.argv[1]!, '--data', root, '--nodes', String(cli.nodes), '--tenant', cli.tenant];
  const child = spawn(process.execPath, args, { cwd: repositoryRoot(), detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, [SUPERVISOR_ENV]: '1' } });
  closeSync(fd);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  child.unref();
  const what = previous?.initialized === true ? `restarting the cluster in ${shown(root)}` : `starting a new cluster in ${shown(root)}`;
  say(`${what} in the background (supervisor pid ${String(child.pid)}, log ${shown(logFile)})`);
  const state = await pollUntil(
    'the cluster to be ready',
    async () => {
      const s = await readState(root).catch(() => undefined);
      if (s !== undefined && s.supervisorPid === child.pid && s.phase === 'ready') return s;
      if (exited || (s !== undefined && s.supervisorPid === child.pid && s.phase === 'failed')) throw new Error('start failed');
      return undefined;
    },
    { timeoutMs: 240_000, intervalMs: 50 },
  ).catch(async (err: unknown) => {
    const log = await readFile(logFile, 'utf8').catch(() => '');
    process.stderr.write(`local-cluster: ${(err as Error).message}; the supervisor's log (${shown(logFile)}) ends with:\n${log.split('\n').slice(-30).join('\n')}\n`);
    return undefined;
  });
  if (state === undefined) {
    if (!exited && child.pid !== undefined) process.kill(child.pid, 'SIGTERM');
    return 1;
  }
  process.stdout.write('\n' + renderSummary(state, repositoryRoot(), `--data ${shown(root)}`));
  return 0;
}

/** Ends `pid` with SIGTERM, then SIGKILL after `graceMs`; resolves once it is gone. */
async function terminate(pid: number, graceMs: number): Promise<void> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  try {
    await pollUntil(`pid ${pid} to exit`, () => !alive(pid), { timeoutMs: graceMs, intervalMs: 50 });
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
    await pollUntil(`pid ${pid} to exit after SIGKILL`, () => !alive(pid), { timeoutMs: 10_000, intervalMs: 50 });
  }
}

async function stopCommand(cli: Cli): Promise<number> {
  const root = path.resolve(cli.data!);
  const state = await readState(root);
  if (state === undefined) throw new UsageError(`no local cluster in ${shown(root)} (no ${path.basename(statePath(root))})`);
  let stoppedSomething = false;
  if (await ours(state.supervisorPid, root, SCRIPT_MARKER)) {
    say(`stopping the supervisor (pid ${state.supervisorPid}) and its processes`);
    await terminate(state.supervisorPid, 60_000);
    stoppedSomething = true;
  }
  // Processes left behind by a supervisor that died without stopping them.
  for (const p of state.processes) {
    if (await ours(p.pid, root, root)) {
      say(`stopping ${p.id} (pid ${String(p.pid)}) left running`);
      await terminate(p.pid!, 15_000);
      stoppedSomething = true;
    }
  }
  const latest = (await readState(root)) ?? state;
  if (latest.phase !== 'stopped') await writeState({ ...latest, phase: 'stopped' });
  say(stoppedSomething ? 'stopped' : 'not running');
  return 0;
}

async function statusCommand(cli: Cli): Promise<number> {
  const root = path.resolve(cli.data!);
  const state = await readState(root);
  if (state === undefined) throw new UsageError(`no local cluster in ${shown(root)}`);
  const supervisor = await ours(state.supervisorPid, root, SCRIPT_MARKER);
  const rows = await Promise.all(
    state.processes.map(async (p) => {
      const up = await ours(p.pid, root, root);
      const ready = up && p.kind === 'node' ? (await httpStatus(p.ports.httpAddress, '/readyz')) === 200 : up;
      return { id: p.id, kind: p.kind, pid: p.pid ?? null, running: up, ready, client: p.ports.clientAddress, peer: p.kind === 'node' ? p.ports.peerAddress : null, http: p.ports.httpAddress ?? null };
    }),
  );
  const healthy = supervisor && state.phase === 'ready' && rows.every((r) => r.ready);
  if (cli.json) {
    process.stdout.write(JSON.stringify({ root, phase: supervisor ? state.phase : 'stopped', supervisorPid: supervisor ? state.supervisorPid : null, healthy, configFile: state.configFile, processes: rows }, null, 2) + '\n');
  } else {
    process.stdout.write(`cluster in ${shown(root)}: ${supervisor ? `${state.phase} (supervisor pid ${state.supervisorPid})` : 'not running'}\n`);
    const table = [['process', 'kind', 'pid', 'state', 'client', 'peer', 'http'], ...rows.map((r) => [r.id, r.kind, r.running ? String(r.pid) : '-', r.ready ? 'ready' : r.running ? 'not ready' : 'stopped', r.client, r.peer ?? '-', r.http ?? '-'])];
    const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
    for (const r of table) process.stdout.write('  ' + r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd() + '\n');
  }
  return healthy ? 0 : 1;
}

async function main(): Promise<number> {
  // The launcher script runs us from the repository root (so `--import tsx` resolves); paths are the caller's.
  const callerCwd = process.env['TESSERA_CALLER_CWD'];
  if (callerCwd !== undefined && callerCwd !== '') process.chdir(callerCwd);
  let cli: Cli;
  try {
    cli = parse(process.argv.slice(2));
    if (cli.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (cli.verb === 'stop') return await stopCommand(cli);
    if (cli.verb === 'status') return await statusCommand(cli);
    if (cli.detach && process.env[SUPERVISOR_ENV] !== '1') return await detach(cli);
    return await supervise(cli);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`local-cluster: ${err.message} (run with --help for usage)\n`);
      return 2;
    }
    process.stderr.write(`local-cluster: ${(err as Error).message}\n`);
    return 1;
  }
}

process.exitCode = await main();
// Library handles (gRPC channels) must not keep a finished command alive.
setTimeout(() => process.exit(), 1_000).unref();

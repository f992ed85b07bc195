/**
 * `tessera node start`: runs a storage node (@tessera/node) in the
 * foreground until SIGTERM/SIGINT. Configuration comes from `--config FILE`
 * (JSON, see @tessera/node's README) with flags taking precedence.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { resolveNodeConfig, runNode, type NodeFlags } from '@tessera/node';
import type { CliIo } from '../io.js';
import { collect } from '../options.js';

interface Context {
  readonly io: CliIo;
}

function positiveInt(value: string): number {
  if (!/^[0-9]{1,12}$/.test(value)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `not a whole number: ${value}`);
  return Number(value);
}

async function readConfigFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `cannot read config file ${file}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `config file ${file} is not JSON`);
  }
}

interface StartOptions extends NodeFlags {
  readonly config?: string;
}

export function registerNodeCommands(program: Command, ctx: Context): Command {
  const node = program.command('node').description('storage node processes');
  node
    .command('start')
    .description('run a storage node in the foreground (JSON log lines on stderr; one ready line on stdout)')
    .option('--config <file>', 'JSON config file (flags win over it)')
    .option('--id <id>', 'node id (must match the certificate; never reused)')
    .option('--data-dir <dir>', 'data directory (raft/, state/, ports.json)')
    .option('--peer-listen <host:port>', 'peer port (Raft), loopback; port 0 picks one (default 127.0.0.1:0)')
    .option('--bulk-listen <host:port>', "bulk port for shard bytes from other nodes (ADR 0026); port 0 picks one (default the peer port's host, port 0)")
    .option('--bulk-advertise <host:port>', "bulk address announced to other nodes (default the --peer-advertise host with the bound bulk port, else the bound address)")
    .option('--client-bulk-listen <host:port>', "bulk port for tenants' chunk uploads (ADR 0026); port 0 picks one (default the client port's host, port 0)")
    .option('--client-bulk-advertise <host:port>', 'client-facing bulk address announced to clients (default the bound address; none for a wildcard host)')
    .option('--no-bulk-port', 'serve no bulk ports: shards and chunk uploads go over gRPC (PutShard, PutChunk)')
    .option('--client-listen <host:port>', 'client port (Admin, Kv), loopback (default 127.0.0.1:0)')
    .option('--peer-advertise <host:port>', 'peer address committed for this node (default: the bound one)')
    .option('--cert <file>', 'node certificate (spiffe://TD/node/ID)')
    .option('--key <file>', 'its private key')
    .option('--ca <file>', 'cluster CA certificate(s)')
    .option('--crl <file>', 'cluster CA CRL(s)')
    .option('--trust-domain <domain>', 'trust domain (default: from the certificate)')
    .option('--bootstrap', 'an empty store starts a new cluster with this node as its only voter')
    .option('--join', 'an empty store waits to be added by the cluster (AddMember with its incarnation id)')
    .option('--cluster-id <id>', 'with --join: the cluster to join (default: learnt from its leader)')
    .option('--peer <id=host:port>', 'peer address override (repeatable; wins over committed addresses)', collect)
    .option('--tick-ms <ms>', 'Raft tick (default 100)', positiveInt)
    .option('--election-ticks <n>', 'election timeout in ticks (default 10)', positiveInt)
    .option('--heartbeat-ticks <n>', 'heartbeat interval in ticks (default 1)', positiveInt)
    .option('--snapshot-entries <n>', 'snapshot after this many applied entries (default 10000)', positiveInt)
    .option('--retain-entries <n>', 'entries kept below a snapshot (default 1000)', positiveInt)
    .option('--sync-every-entries <n>', 'state machine syncs its batch every n applied entries (default 1000)', positiveInt)
    .option('--log-level <level>', 'debug, info, warn or error (default info)')
    .option('--http-listen <host:port>', 'HTTP port for /metrics, /healthz and /readyz, loopback (default 127.0.0.1:0)')
    .option('--gc-grace-ms <ms>', 'chunks unreferenced this long are collected; the group-wide setting the leader keeps (default 600000)', positiveInt)
    .option('--orphan-ttl-ms <ms>', 'shards of an unknown write older than this are reclaimed (default 3600000)', positiveInt)
    .option('--reconcile-interval-ms <ms>', 'how often local shards are reconciled with the committed table (default 30000)', positiveInt)
    .option('--housekeeping-interval-ms <ms>', 'how often the leader proposes GC and compaction (default 2000)', positiveInt)
    .option('--tombstone-ttl-ms <ms>', 'deleted objects\' tombstones are dropped by compaction after this (default 86400000)', positiveInt)
    .option('--allow-non-loopback', 'allow listen addresses beyond loopback (explicit opt-in for deployments)')
    .option('--device <id=path[:capacity]>', 'a device folder and its capacity in bytes (repeatable; default d1, d2 under DATA_DIR/devices, 16 GiB each)', collect)
    .option('--device-root <dir>', 'a folder under which `tessera device add` may attach device folders (repeatable; default the devices\' parent folders)', collect)
    .option('--erasure <k+m>', 'Reed-Solomon profile of new chunks (default 4+2)')
    .option('--keymanager <host:port>', 'keys port of a key-manager member (repeatable)', collect)
    .option('--key-ttl-ms <ms>', 'absolute lifetime of cached tenant keys (default 60000)', positiveInt)
    .option('--buffered-io', 'open devices with buffered I/O instead of O_DIRECT (config storage.directIo: false)')
    .option('--pipeline-workers <n>', 'worker threads for hashing, sealing and erasure coding (default 2; 0 runs them inline)', positiveInt)
    .option('--scrub-bytes-per-sec <n>', 'device scrub read rate per node (default 8388608; 0 disables it)', positiveInt)
    .option('--placement-scrub-interval-ms <ms>', 'pause between placement scrub passes and between device scrub rounds (default 3600000)', positiveInt)
    .option('--reencrypt-chunks-per-sec <n>', 're-encryption rate after a system-epoch rotation, on the leader (default 4; 0 disables it)', positiveInt)
    .option('--repair-concurrency <n>', 'repairs the leader runs at once, 1 or 2 (default 1)', positiveInt)
    .option('--down-out-after-ms <ms>', 'mark the devices of a node the leader has not heard from this long failed (default 600000; 0 disables it)', positiveInt)
    .addHelpText(
      'after',
      [
        '',
        'Signals: SIGTERM/SIGINT stop cleanly; SIGUSR2 simulates power loss when TESSERA_CRASHSIM=1; SIGHUP reloads certificates.',
        'Memory: V8 runs with --heap-growing-percent=200 (ADR 0025); TESSERA_HEAP_GROWING_PERCENT=<0-1000> overrides, 0 keeps V8\'s own.',
        '',
        'Examples:',
        '  $ tessera node start --id n1 --data-dir data/n1 --bootstrap --cert pki/n1/node-n1.crt --key pki/n1/node-n1.key --ca pki/ca/ca.crt --crl pki/ca/ca.crl',
        '  $ tessera node start --config n2.json --join --peer n1=127.0.0.1:7001',
        '',
      ].join('\n'),
    )
    .action(async (opts: StartOptions) => {
      const file = opts.config !== undefined ? await readConfigFile(opts.config) : {};
      const baseDir = opts.config !== undefined ? path.dirname(path.resolve(opts.config)) : process.cwd();
      const config = resolveNodeConfig(file, opts, baseDir);
      const code = await runNode(config, { stdout: ctx.io.stdout });
      // The node closed everything it opened; should a library still hold a
      // handle, do not linger as a half-stopped process.
      setTimeout(() => process.exit(code), 2_000).unref();
      if (code !== 0) throw new TesseraError(ErrorCodes.RAFT_STORAGE, 'the node stopped on a failure (see its log)');
    });
  return node;
}

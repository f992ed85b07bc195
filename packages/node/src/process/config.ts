/**
 * Node configuration: a JSON file (`--config FILE`) with command-line flags
 * taking precedence, validated into one `NodeConfig`.
 *
 * File format (every field optional in the file when given as a flag):
 *   {
 *     "id": "n1",
 *     "dataDir": "/var/lib/tessera/n1",
 *     "peerListen": "127.0.0.1:7001",       // host:port, port 0 = any free port
 *     "clientListen": "127.0.0.1:7101",
 *     "peerAdvertise": "127.0.0.1:7001",    // address committed for this node (default: the bound peer address)
 *     "tls": { "cert": "...", "key": "...", "ca": "...", "crl": "..." },
 *     "trustDomain": "prod.example",        // default: from the node certificate
 *     "peers": { "n2": { "address": "127.0.0.1:7002" } },   // win over committed addresses
 *     "raft": { "tickMs": 100, "electionTicks": 10, "heartbeatTicks": 1,
 *               "snapshotEntries": 10000, "retainEntries": 1000 },
 *     "stateMachine": { "syncEveryEntries": 1000 },
 *     "logLevel": "info"
 *   }
 * `--bootstrap` / `--join` are flags only: they decide how an empty store is
 * initialised and are ignored once it is.
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { ErrorCodes, TesseraError, type LogLevel } from '@tessera/common';
import type { TlsFiles } from '@tessera/transport';

export const NODE_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

export interface RaftTuning {
  readonly tickMs: number;
  readonly electionTicks: number;
  readonly heartbeatTicks: number;
  readonly snapshotEntries: number;
  readonly retainEntries: number;
}

export interface NodeConfig {
  readonly id: string;
  readonly dataDir: string;
  readonly peerListen: ListenAddress;
  readonly clientListen: ListenAddress;
  readonly peerAdvertise?: string;
  readonly tls: TlsFiles;
  /** From the certificate when absent. */
  readonly trustDomain?: string;
  /** How an empty Raft store is initialised. */
  readonly init?: 'bootstrap' | 'join';
  /** The cluster a joining node expects (learnt from its first leader when absent). */
  readonly clusterId?: string;
  readonly peers: ReadonlyMap<string, string>;
  readonly raft: RaftTuning;
  readonly syncEveryEntries: number;
  readonly logLevel: LogLevel;
}

export const DEFAULT_RAFT_TUNING: RaftTuning = { tickMs: 100, electionTicks: 10, heartbeatTicks: 1, snapshotEntries: 10_000, retainEntries: 1_000 };

/** What the command line gives (all optional; the file fills the rest). */
export interface NodeFlags {
  readonly id?: string;
  readonly dataDir?: string;
  readonly peerListen?: string;
  readonly clientListen?: string;
  readonly peerAdvertise?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly ca?: string;
  readonly crl?: string;
  readonly trustDomain?: string;
  readonly bootstrap?: boolean;
  readonly join?: boolean;
  readonly clusterId?: string;
  /** `ID=HOST:PORT` each. */
  readonly peer?: readonly string[];
  readonly tickMs?: number;
  readonly electionTicks?: number;
  readonly heartbeatTicks?: number;
  readonly snapshotEntries?: number;
  readonly retainEntries?: number;
  readonly syncEveryEntries?: number;
  readonly logLevel?: string;
}

function usage(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

const LOOPBACK_NAMES = new Set(['localhost']);

function isLoopback(host: string): boolean {
  if (LOOPBACK_NAMES.has(host)) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Parses `host:port` (IPv6 as `[::1]:7001`). */
export function parseHostPort(value: string, what: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]+)):([0-9]{1,5})$/.exec(value);
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (m === null || host === undefined || !Number.isInteger(port) || port > 65535) throw usage(`${what} must be host:port, got ${JSON.stringify(value)}`);
  return { host, port };
}

function parseListen(value: string, what: string): ListenAddress {
  const address = parseHostPort(value, what);
  // This release binds loopback only (tests, local clusters); wider binding comes with deployment support.
  if (!isLoopback(address.host)) throw usage(`${what} must be a loopback address`);
  return address;
}

function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw usage(`${what} must be an object`);
  return value as Record<string, unknown>;
}

function str(value: unknown, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw usage(`${what} must be a non-empty string`);
  return value;
}

function int(value: unknown, what: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw usage(`${what} must be an integer in [${min}, ${max}]`);
  return value;
}

const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Builds the node configuration from a parsed config file (or `{}`) and flags; flags win. */
export function resolveNodeConfig(file: unknown, flags: NodeFlags, baseDir: string = process.cwd()): NodeConfig {
  const f = asRecord(file, 'the config file');
  const tlsFile = asRecord(f['tls'], 'tls');
  const raftFile = asRecord(f['raft'], 'raft');
  const smFile = asRecord(f['stateMachine'], 'stateMachine');
  const resolvePath = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(baseDir, p));

  const id = flags.id ?? str(f['id'], 'id');
  if (id === undefined || !NODE_ID_PATTERN.test(id)) throw usage('--id must be 1-63 characters of [a-z0-9._-], starting with a letter or digit');
  const dataDir = flags.dataDir ?? resolvePath(str(f['dataDir'], 'dataDir'));
  if (dataDir === undefined) throw usage('--data-dir is required');

  const tlsPath = (flag: string | undefined, key: string): string => {
    const p = flag ?? resolvePath(str(tlsFile[key], `tls.${key}`));
    if (p === undefined) throw usage(`--${key} is required`);
    return path.resolve(p);
  };
  const tls: TlsFiles = { certFile: tlsPath(flags.cert, 'cert'), keyFile: tlsPath(flags.key, 'key'), caFile: tlsPath(flags.ca, 'ca'), crlFile: tlsPath(flags.crl, 'crl') };

  if (flags.bootstrap === true && flags.join === true) throw usage('--bootstrap and --join are exclusive');
  const init = flags.bootstrap === true ? 'bootstrap' : flags.join === true ? 'join' : undefined;

  const peers = new Map<string, string>();
  for (const [peerId, entry] of Object.entries(asRecord(f['peers'], 'peers'))) {
    const address = str(asRecord(entry, `peers.${peerId}`)['address'], `peers.${peerId}.address`);
    if (!NODE_ID_PATTERN.test(peerId) || address === undefined) throw usage(`peers.${peerId} needs a valid id and an address`);
    parseHostPort(address, `peers.${peerId}.address`);
    peers.set(peerId, address);
  }
  for (const spec of flags.peer ?? []) {
    const eq = spec.indexOf('=');
    const peerId = spec.slice(0, eq);
    const address = spec.slice(eq + 1);
    if (eq < 1 || !NODE_ID_PATTERN.test(peerId)) throw usage(`--peer must be ID=HOST:PORT, got ${JSON.stringify(spec)}`);
    parseHostPort(address, `--peer ${peerId}`);
    peers.set(peerId, address);
  }
  if (peers.has(id)) throw usage('peers must not name this node');

  const peerAdvertise = flags.peerAdvertise ?? str(f['peerAdvertise'], 'peerAdvertise');
  if (peerAdvertise !== undefined) parseHostPort(peerAdvertise, '--peer-advertise');

  const raft: RaftTuning = {
    tickMs: flags.tickMs ?? int(raftFile['tickMs'], 'raft.tickMs', 1, 60_000) ?? DEFAULT_RAFT_TUNING.tickMs,
    electionTicks: flags.electionTicks ?? int(raftFile['electionTicks'], 'raft.electionTicks', 2, 10_000) ?? DEFAULT_RAFT_TUNING.electionTicks,
    heartbeatTicks: flags.heartbeatTicks ?? int(raftFile['heartbeatTicks'], 'raft.heartbeatTicks', 1, 10_000) ?? DEFAULT_RAFT_TUNING.heartbeatTicks,
    snapshotEntries: flags.snapshotEntries ?? int(raftFile['snapshotEntries'], 'raft.snapshotEntries', 1, 1e9) ?? DEFAULT_RAFT_TUNING.snapshotEntries,
    retainEntries: flags.retainEntries ?? int(raftFile['retainEntries'], 'raft.retainEntries', 0, 1e9) ?? DEFAULT_RAFT_TUNING.retainEntries,
  };
  if (raft.heartbeatTicks >= raft.electionTicks) throw usage('heartbeat ticks must be fewer than election ticks');

  const logLevel = flags.logLevel ?? str(f['logLevel'], 'logLevel') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel as LogLevel)) throw usage(`log level must be one of ${LOG_LEVELS.join(', ')}`);

  const trustDomain = flags.trustDomain ?? str(f['trustDomain'], 'trustDomain');
  const clusterId = flags.clusterId ?? str(f['clusterId'], 'clusterId');
  return {
    id,
    dataDir: path.resolve(dataDir),
    peerListen: parseListen(flags.peerListen ?? str(f['peerListen'], 'peerListen') ?? '127.0.0.1:0', '--peer-listen'),
    clientListen: parseListen(flags.clientListen ?? str(f['clientListen'], 'clientListen') ?? '127.0.0.1:0', '--client-listen'),
    ...(peerAdvertise !== undefined ? { peerAdvertise } : {}),
    tls,
    ...(trustDomain !== undefined ? { trustDomain } : {}),
    ...(init !== undefined ? { init } : {}),
    ...(clusterId !== undefined ? { clusterId } : {}),
    peers,
    raft,
    syncEveryEntries: flags.syncEveryEntries ?? int(smFile['syncEveryEntries'], 'stateMachine.syncEveryEntries', 1, 1e12) ?? 1_000,
    logLevel: logLevel as LogLevel,
  };
}

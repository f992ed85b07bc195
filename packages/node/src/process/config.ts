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
import path from 'node:path';
import type { LogLevel } from '@tessera/common';
import {
  DEFAULT_RAFT_TUNING,
  MEMBER_ID_PATTERN,
  asRecord,
  configInt,
  configLogLevel,
  configString,
  configUsage,
  parseHostPort,
  parseListen,
  resolveInit,
  resolvePeers,
  resolveRaftTuning,
  resolveTlsFiles,
  type ListenAddress,
  type RaftTuning,
  type TlsFiles,
} from '@tessera/transport';

export { DEFAULT_RAFT_TUNING, parseHostPort };
export type { ListenAddress, RaftTuning };

export const NODE_ID_PATTERN = MEMBER_ID_PATTERN;

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

/** Builds the node configuration from a parsed config file (or `{}`) and flags; flags win. */
export function resolveNodeConfig(file: unknown, flags: NodeFlags, baseDir: string = process.cwd()): NodeConfig {
  const f = asRecord(file, 'the config file');
  const smFile = asRecord(f['stateMachine'], 'stateMachine');
  const resolvePath = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(baseDir, p));

  const id = flags.id ?? configString(f['id'], 'id');
  if (id === undefined || !NODE_ID_PATTERN.test(id)) throw configUsage('--id must be 1-63 characters of [a-z0-9._-], starting with a letter or digit');
  const dataDir = flags.dataDir ?? resolvePath(configString(f['dataDir'], 'dataDir'));
  if (dataDir === undefined) throw configUsage('--data-dir is required');
  const tls: TlsFiles = resolveTlsFiles(asRecord(f['tls'], 'tls'), flags, baseDir);
  const init = resolveInit(flags);
  const peers = resolvePeers(asRecord(f['peers'], 'peers'), flags.peer, id);

  const peerAdvertise = flags.peerAdvertise ?? configString(f['peerAdvertise'], 'peerAdvertise');
  if (peerAdvertise !== undefined) parseHostPort(peerAdvertise, '--peer-advertise');
  const raft: RaftTuning = resolveRaftTuning(asRecord(f['raft'], 'raft'), flags);
  const logLevel: LogLevel = configLogLevel(flags.logLevel, f['logLevel']);

  const trustDomain = flags.trustDomain ?? configString(f['trustDomain'], 'trustDomain');
  const clusterId = flags.clusterId ?? configString(f['clusterId'], 'clusterId');
  return {
    id,
    dataDir: path.resolve(dataDir),
    peerListen: parseListen(flags.peerListen ?? configString(f['peerListen'], 'peerListen') ?? '127.0.0.1:0', '--peer-listen'),
    clientListen: parseListen(flags.clientListen ?? configString(f['clientListen'], 'clientListen') ?? '127.0.0.1:0', '--client-listen'),
    ...(peerAdvertise !== undefined ? { peerAdvertise } : {}),
    tls,
    ...(trustDomain !== undefined ? { trustDomain } : {}),
    ...(init !== undefined ? { init } : {}),
    ...(clusterId !== undefined ? { clusterId } : {}),
    peers,
    raft,
    syncEveryEntries: flags.syncEveryEntries ?? configInt(smFile['syncEveryEntries'], 'stateMachine.syncEveryEntries', 1, 1e12) ?? 1_000,
    logLevel,
  };
}

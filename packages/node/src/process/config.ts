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
 *     "bulkListen": "127.0.0.1:0",          // bulk port for shard bytes (ADR 0026; default: the peer host, any free port)
 *     "bulkAdvertise": "n1:7201",           // bulk address announced to peers (default: peerAdvertise's host and the bound port, else the bound address)
 *     "bulkPort": true,                     // false (--no-bulk-port): no bulk ports; shards and uploads go over gRPC
 *     "clientBulkListen": "127.0.0.1:0",    // bulk port for tenants' chunk uploads (default: the client host, any free port)
 *     "clientBulkAdvertise": "n1:7301",     // announced to clients (default: the bound address; none for a wildcard host)
 *     "tls": { "cert": "...", "key": "...", "ca": "...", "crl": "..." },
 *     "trustDomain": "prod.example",        // default: from the node certificate
 *     "peers": { "n2": { "address": "127.0.0.1:7002", "bulkAddress": "127.0.0.1:7202" } },   // win over committed / announced addresses
 *     "raft": { "tickMs": 100, "electionTicks": 10, "heartbeatTicks": 1,
 *               "snapshotEntries": 10000, "retainEntries": 1000 },
 *     "stateMachine": { "syncEveryEntries": 1000 },
 *     "httpListen": "127.0.0.1:9101",       // /healthz, /readyz (no tenant data); port 0 = any free port
 *     "devices": [ { "id": "d1", "path": "devices/d1", "capacityBytes": 17179869184, "pool": "default" } ],
 *     "storage": { "directIo": true },                                          // O_DIRECT devices (--buffered-io: false)
 *     "deviceRoots": [ "/srv/tessera" ],    // where Admin AddDevice may create device folders (default: the devices' parent folders)
 *     "erasure": { "k": 4, "m": 2 },        // profile of new chunks in the pool
 *     "keyManagers": [ "127.0.0.1:7300" ],  // keys ports of the key manager members
 *     "keys": { "ttlMs": 60000 },           // absolute TTL of cached tenant keys on this node
 *     "pipeline": { "workers": 2 },         // worker threads for hashing, sealing and Reed-Solomon (0: inline)
 *     "maintenance": { "scrubBytesPerSec": 8388608, "placementScrubIntervalMs": 3600000,
 *                      "reencryptChunksPerSec": 4, "repairConcurrency": 1,
 *                      "downOutAfterMs": 600000 },                            // issue #8
 *     "housekeeping": { "gcGraceMs": 600000, "orphanTtlMs": 3600000, "reconcileIntervalMs": 30000,
 *                       "leaderIntervalMs": 2000, "tombstoneTtlMs": 86400000 },
 *     "logLevel": "info"
 *   }
 * Devices default to two folders under `<dataDir>/devices` (d1, d2) of
 * 16 GiB configured capacity each, in pool "default": a 3-node cluster can
 * then hold the default 4+2 profile with at most 2 shards per node.
 * `--bootstrap` / `--join` are flags only: they decide how an empty store is
 * initialised and are ignored once it is.
 */
import path from 'node:path';
import type { LogLevel } from '@tessera/common';
import { DEFAULT_HOUSEKEEPING, type HousekeepingConfig } from './housekeeping.js';
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
  configBool,
  resolveInit,
  resolvePeers,
  resolveRaftTuning,
  resolveTlsFiles,
  type ListenAddress,
  type RaftTuning,
  type TlsFiles,
} from '@tessera/transport';
import { DEFAULT_MAINTENANCE, type MaintenanceSettings } from '../maintenance/settings.js';

export { DEFAULT_RAFT_TUNING, parseHostPort };
export type { ListenAddress, RaftTuning };

export const NODE_ID_PATTERN = MEMBER_ID_PATTERN;

export interface NodeConfig {
  readonly id: string;
  readonly dataDir: string;
  readonly peerListen: ListenAddress;
  readonly clientListen: ListenAddress;
  readonly peerAdvertise?: string;
  /** Where the bulk port listens (ADR 0026); absent: the node serves none. */
  readonly bulkListen?: ListenAddress;
  /** The bulk address announced to peers (default: peerAdvertise's host with the bound port, else the bound address). */
  readonly bulkAdvertise?: string;
  /** Where the client-facing bulk port (tenants' chunk uploads) listens; absent: none. */
  readonly clientBulkListen?: ListenAddress;
  /** The client-facing bulk address announced to clients (default: the bound address, unless the host is a wildcard). */
  readonly clientBulkAdvertise?: string;
  /** Bulk ports of peers that win over what they announce (the chaos suite routes them through proxies). */
  readonly bulkPeers: ReadonlyMap<string, string>;
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
  readonly httpListen: ListenAddress;
  readonly devices: readonly NodeDeviceConfig[];
  /**
   * Absolute folders under which Admin AddDevice may attach a device folder
   * (issue #9): a remote admin must never make the node create files
   * anywhere else. Default: the parent folders of the configured devices.
   */
  readonly deviceRoots: readonly string[];
  readonly erasure: { readonly k: number; readonly m: number };
  readonly keyManagers: readonly string[];
  readonly keyTtlMs: number;
  readonly pipelineWorkers: number;
  /**
   * Open devices with O_DIRECT (ADR 0009 amendment): shard writes bypass the
   * page cache, about 3x the durable write rate of buffered devices on this
   * machine's disk; a device whose filesystem refuses it (tmpfs) falls back
   * to buffered I/O and says so in its open report.
   */
  readonly directIo: boolean;
  /** GC, compaction and shard reconciliation (issue #8). */
  readonly housekeeping: HousekeepingConfig;
  /** Scrub, repair and re-encryption rates (issue #8: src/maintenance). */
  readonly maintenance: MaintenanceSettings;
}

export interface NodeDeviceConfig {
  readonly id: string;
  readonly path: string;
  readonly capacityBytes: number;
  readonly pool: string;
}

export const DEFAULT_POOL = 'default';
export const DEFAULT_DEVICE_CAPACITY = 16 * 1024 ** 3;
const DEVICE_ID = /^[a-z0-9][a-z0-9._-]{0,62}$/;

/** What the command line gives (all optional; the file fills the rest). */
export interface NodeFlags {
  readonly id?: string;
  readonly dataDir?: string;
  readonly peerListen?: string;
  readonly clientListen?: string;
  readonly peerAdvertise?: string;
  readonly bulkListen?: string;
  readonly bulkAdvertise?: string;
  readonly clientBulkListen?: string;
  readonly clientBulkAdvertise?: string;
  /** false (`--no-bulk-port`): serve no bulk port. */
  readonly bulkPort?: boolean;
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
  /** Open devices with buffered I/O instead of O_DIRECT. */
  readonly bufferedIo?: boolean;
  readonly logLevel?: string;
  /** Listen beyond loopback (explicit opt-in). */
  readonly allowNonLoopback?: boolean;
  readonly httpListen?: string;
  /** `ID=PATH[:CAPACITY_BYTES]` each. */
  readonly device?: readonly string[];
  /** Absolute folders each (`--device-root`, repeatable). */
  readonly deviceRoot?: readonly string[];
  /** `K+M`. */
  readonly erasure?: string;
  readonly keymanager?: readonly string[];
  readonly keyTtlMs?: number;
  readonly pipelineWorkers?: number;
  readonly gcGraceMs?: number;
  readonly orphanTtlMs?: number;
  readonly reconcileIntervalMs?: number;
  readonly housekeepingIntervalMs?: number;
  readonly scrubBytesPerSec?: number;
  readonly placementScrubIntervalMs?: number;
  readonly reencryptChunksPerSec?: number;
  readonly repairConcurrency?: number;
  readonly downOutAfterMs?: number;
  readonly tombstoneTtlMs?: number;
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
  const allowNonLoopback = flags.allowNonLoopback ?? configBool(f['allowNonLoopback'], 'allowNonLoopback') ?? false;
  const logLevel: LogLevel = configLogLevel(flags.logLevel, f['logLevel']);

  const trustDomain = flags.trustDomain ?? configString(f['trustDomain'], 'trustDomain');
  const clusterId = flags.clusterId ?? configString(f['clusterId'], 'clusterId');
  const devices = resolveDevices(f['devices'], flags.device, path.resolve(dataDir), resolvePath);
  const peerListen = parseListen(flags.peerListen ?? configString(f['peerListen'], 'peerListen') ?? '127.0.0.1:0', '--peer-listen', { allowNonLoopback });
  const bulkPort = flags.bulkPort === false ? false : (configBool(f['bulkPort'], 'bulkPort') ?? true);
  const bulkListen = bulkPort
    ? parseListen(flags.bulkListen ?? configString(f['bulkListen'], 'bulkListen') ?? listenString(peerListen.host, 0), '--bulk-listen', { allowNonLoopback })
    : undefined;
  const bulkAdvertise = flags.bulkAdvertise ?? configString(f['bulkAdvertise'], 'bulkAdvertise');
  if (bulkAdvertise !== undefined) parseHostPort(bulkAdvertise, '--bulk-advertise');
  const clientListen = parseListen(flags.clientListen ?? configString(f['clientListen'], 'clientListen') ?? '127.0.0.1:0', '--client-listen', { allowNonLoopback });
  const clientBulkListen = bulkPort
    ? parseListen(flags.clientBulkListen ?? configString(f['clientBulkListen'], 'clientBulkListen') ?? listenString(clientListen.host, 0), '--client-bulk-listen', { allowNonLoopback })
    : undefined;
  const clientBulkAdvertise = flags.clientBulkAdvertise ?? configString(f['clientBulkAdvertise'], 'clientBulkAdvertise');
  if (clientBulkAdvertise !== undefined) parseHostPort(clientBulkAdvertise, '--client-bulk-advertise');
  return {
    id,
    dataDir: path.resolve(dataDir),
    peerListen,
    ...(bulkListen !== undefined ? { bulkListen } : {}),
    ...(bulkListen !== undefined && bulkAdvertise !== undefined ? { bulkAdvertise } : {}),
    bulkPeers: resolveBulkPeers(asRecord(f['peers'], 'peers')),
    clientListen,
    ...(clientBulkListen !== undefined ? { clientBulkListen } : {}),
    ...(clientBulkListen !== undefined && clientBulkAdvertise !== undefined ? { clientBulkAdvertise } : {}),
    ...(peerAdvertise !== undefined ? { peerAdvertise } : {}),
    tls,
    ...(trustDomain !== undefined ? { trustDomain } : {}),
    ...(init !== undefined ? { init } : {}),
    ...(clusterId !== undefined ? { clusterId } : {}),
    peers,
    raft,
    syncEveryEntries: flags.syncEveryEntries ?? configInt(smFile['syncEveryEntries'], 'stateMachine.syncEveryEntries', 1, 1e12) ?? 1_000,
    logLevel,
    httpListen: parseListen(flags.httpListen ?? configString(f['httpListen'], 'httpListen') ?? '127.0.0.1:0', '--http-listen', { allowNonLoopback }),
    devices,
    deviceRoots: resolveDeviceRoots(f['deviceRoots'], flags.deviceRoot, devices, resolvePath),
    erasure: resolveErasure(flags.erasure, asRecord(f['erasure'], 'erasure')),
    keyManagers: resolveKeyManagers(f['keyManagers'], flags.keymanager),
    // Flags get the same bounds as the file.
    keyTtlMs: configInt(flags.keyTtlMs ?? asRecord(f['keys'], 'keys')['ttlMs'], 'keys.ttlMs (--key-ttl-ms)', 1_000, 24 * 3600_000) ?? 60_000,
    pipelineWorkers: configInt(flags.pipelineWorkers ?? asRecord(f['pipeline'], 'pipeline')['workers'], 'pipeline.workers (--pipeline-workers)', 0, 64) ?? 2,
    directIo: flags.bufferedIo === true ? false : (configBool(asRecord(f['storage'], 'storage')['directIo'], 'storage.directIo') ?? true),
    housekeeping: resolveHousekeeping(asRecord(f['housekeeping'], 'housekeeping'), flags),
    maintenance: resolveMaintenance(asRecord(f['maintenance'], 'maintenance'), flags),
  };
}

function resolveDevices(file: unknown, flags: readonly string[] | undefined, dataDir: string, resolvePath: (p: string | undefined) => string | undefined): NodeDeviceConfig[] {
  let devices: NodeDeviceConfig[];
  if (flags !== undefined && flags.length > 0) {
    devices = flags.map((spec) => {
      const eq = spec.indexOf('=');
      if (eq <= 0) throw configUsage(`--device ${spec}: expected ID=PATH[:CAPACITY_BYTES]`);
      const id = spec.slice(0, eq);
      let rest = spec.slice(eq + 1);
      let capacityBytes = DEFAULT_DEVICE_CAPACITY;
      const colon = rest.lastIndexOf(':');
      if (colon > 0 && /^[0-9]+$/.test(rest.slice(colon + 1))) {
        capacityBytes = configInt(Number(rest.slice(colon + 1)), `--device ${id} capacity`, 1, Number.MAX_SAFE_INTEGER) ?? DEFAULT_DEVICE_CAPACITY;
        rest = rest.slice(0, colon);
      }
      // path.resolve('') would silently name the working directory.
      if (rest === '') throw configUsage(`--device ${spec}: expected ID=PATH[:CAPACITY_BYTES]`);
      return { id, path: path.resolve(rest), capacityBytes, pool: DEFAULT_POOL };
    });
  } else if (file !== undefined) {
    if (!Array.isArray(file)) throw configUsage('devices must be a list');
    devices = file.map((entry: unknown, i) => {
      const d = asRecord(entry, `devices[${i}]`);
      const id = configString(d['id'], `devices[${i}].id`);
      const p = resolvePath(configString(d['path'], `devices[${i}].path`));
      if (id === undefined || p === undefined) throw configUsage(`devices[${i}] needs an id and a path`);
      return {
        id,
        path: p,
        capacityBytes: configInt(d['capacityBytes'], `devices[${i}].capacityBytes`, 1, Number.MAX_SAFE_INTEGER) ?? DEFAULT_DEVICE_CAPACITY,
        pool: configString(d['pool'], `devices[${i}].pool`) ?? DEFAULT_POOL,
      };
    });
  } else {
    devices = ['d1', 'd2'].map((id) => ({ id, path: path.join(dataDir, 'devices', id), capacityBytes: DEFAULT_DEVICE_CAPACITY, pool: DEFAULT_POOL }));
  }
  const seen = new Set<string>();
  for (const d of devices) {
    if (!DEVICE_ID.test(d.id)) throw configUsage(`device id ${JSON.stringify(d.id)} must be 1-63 characters of [a-z0-9._-]`);
    if (seen.has(d.id)) throw configUsage(`device ${d.id} is configured twice`);
    seen.add(d.id);
  }
  if (devices.length === 0) throw configUsage('a node needs at least one device');
  return devices;
}

/** `deviceRoots` (file; relative entries resolve against the config file's folder) or `--device-root` (flags win); default the devices' parents. */
function resolveDeviceRoots(file: unknown, flags: readonly string[] | undefined, devices: readonly NodeDeviceConfig[], resolvePath: (p: string | undefined) => string | undefined): string[] {
  let roots: string[];
  if (flags !== undefined && flags.length > 0) roots = flags.map((r) => path.resolve(r));
  else if (file !== undefined) {
    if (!Array.isArray(file) || !file.every((x): x is string => typeof x === 'string' && x !== '')) throw configUsage('deviceRoots must be a list of folders');
    roots = file.map((r) => resolvePath(r)!);
  } else roots = devices.map((d) => path.dirname(d.path));
  for (const r of roots) {
    // A root of `/` would let AddDevice create a folder anywhere: refuse it outright.
    if (r.includes('\0') || path.parse(r).root === r) throw configUsage(`device root ${JSON.stringify(r)} must be a folder below the file-system root`);
  }
  return [...new Set(roots)];
}

function resolveErasure(flag: string | undefined, file: Record<string, unknown>): { k: number; m: number } {
  if (flag !== undefined) {
    const match = /^([0-9]{1,3})\+([0-9]{1,3})$/.exec(flag);
    if (match === null) throw configUsage('--erasure must be K+M, e.g. 4+2');
    return checkProfile(Number(match[1]), Number(match[2]));
  }
  return checkProfile(configInt(file['k'], 'erasure.k', 1, 255) ?? 4, configInt(file['m'], 'erasure.m', 0, 254) ?? 2);
}

function checkProfile(k: number, m: number): { k: number; m: number } {
  if (k < 1 || m < 1 || k + m > 32) throw configUsage('erasure profile needs k >= 1, m >= 1 and k + m <= 32');
  return { k, m };
}

function resolveKeyManagers(file: unknown, flags: readonly string[] | undefined): string[] {
  let list: string[];
  if (flags !== undefined && flags.length > 0) list = [...flags];
  else if (file === undefined) list = [];
  else {
    if (!Array.isArray(file) || !file.every((x): x is string => typeof x === 'string')) throw configUsage('keyManagers must be a list of host:port');
    list = file;
  }
  for (const a of list) parseHostPort(a, '--keymanager');
  return list;
}

function resolveHousekeeping(file: Record<string, unknown>, flags: NodeFlags): HousekeepingConfig {
  const day = 24 * 3600_000;
  const gcGraceMs = configInt(flags.gcGraceMs ?? file['gcGraceMs'], 'housekeeping.gcGraceMs (--gc-grace-ms)', 1, 30 * day);
  return {
    leaderIntervalMs: configInt(flags.housekeepingIntervalMs ?? file['leaderIntervalMs'], 'housekeeping.leaderIntervalMs (--housekeeping-interval-ms)', 10, 3600_000) ?? DEFAULT_HOUSEKEEPING.leaderIntervalMs,
    reconcileIntervalMs: configInt(flags.reconcileIntervalMs ?? file['reconcileIntervalMs'], 'housekeeping.reconcileIntervalMs (--reconcile-interval-ms)', 10, day) ?? DEFAULT_HOUSEKEEPING.reconcileIntervalMs,
    orphanTtlMs: configInt(flags.orphanTtlMs ?? file['orphanTtlMs'], 'housekeeping.orphanTtlMs (--orphan-ttl-ms)', 1, 30 * day) ?? DEFAULT_HOUSEKEEPING.orphanTtlMs,
    tombstoneTtlMs: configInt(flags.tombstoneTtlMs ?? file['tombstoneTtlMs'], 'housekeeping.tombstoneTtlMs (--tombstone-ttl-ms)', 0, 365 * day) ?? DEFAULT_HOUSEKEEPING.tombstoneTtlMs,
    ...(gcGraceMs !== undefined ? { gcGraceMs } : {}),
  };
}

/** `maintenance: {scrubBytesPerSec, placementScrubIntervalMs, reencryptChunksPerSec, repairConcurrency, downOutAfterMs}`; flags win. */
function resolveMaintenance(file: Record<string, unknown>, flags: NodeFlags): MaintenanceSettings {
  const d = DEFAULT_MAINTENANCE;
  return {
    scrubBytesPerSec: configInt(flags.scrubBytesPerSec ?? file['scrubBytesPerSec'], 'maintenance.scrubBytesPerSec (--scrub-bytes-per-sec)', 0, 10 * 1024 ** 3) ?? d.scrubBytesPerSec,
    placementScrubIntervalMs:
      configInt(flags.placementScrubIntervalMs ?? file['placementScrubIntervalMs'], 'maintenance.placementScrubIntervalMs (--placement-scrub-interval-ms)', 100, 30 * 24 * 3600_000) ?? d.placementScrubIntervalMs,
    reencryptChunksPerSec: configInt(flags.reencryptChunksPerSec ?? file['reencryptChunksPerSec'], 'maintenance.reencryptChunksPerSec (--reencrypt-chunks-per-sec)', 0, 10_000) ?? d.reencryptChunksPerSec,
    repairConcurrency: configInt(flags.repairConcurrency ?? file['repairConcurrency'], 'maintenance.repairConcurrency (--repair-concurrency)', 1, 2) ?? d.repairConcurrency,
    // 0 disables it; otherwise at least a second (several election timeouts: one missed heartbeat is no death).
    downOutAfterMs: downOutAfter(configInt(flags.downOutAfterMs ?? file['downOutAfterMs'], 'maintenance.downOutAfterMs (--down-out-after-ms)', 0, 30 * 24 * 3600_000) ?? d.downOutAfterMs),
  };
}

function downOutAfter(ms: number): number {
  if (ms !== 0 && ms < 1_000) throw configUsage('maintenance.downOutAfterMs (--down-out-after-ms) must be 0 (off) or at least 1000');
  return ms;
}

function listenString(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** `peers.<id>.bulkAddress` of the config file (checked like `address`). */
function resolveBulkPeers(peersFile: Record<string, unknown>): Map<string, string> {
  const bulk = new Map<string, string>();
  for (const [peerId, entry] of Object.entries(peersFile)) {
    const address = configString(asRecord(entry, `peers.${peerId}`)['bulkAddress'], `peers.${peerId}.bulkAddress`);
    if (address === undefined) continue;
    parseHostPort(address, `peers.${peerId}.bulkAddress`);
    bulk.set(peerId, address);
  }
  return bulk;
}

/**
 * The bulk address a node announces: the configured one, else the peer
 * advertise host (what peers already resolve for this node) with the bulk
 * port's bound port, else the bound address.
 */
export function announcedBulkAddress(config: Pick<NodeConfig, 'bulkAdvertise' | 'peerAdvertise'>, bound: { readonly address: string; readonly port: number }): string {
  if (config.bulkAdvertise !== undefined) return config.bulkAdvertise;
  if (config.peerAdvertise === undefined) return bound.address;
  const host = config.peerAdvertise.slice(0, config.peerAdvertise.lastIndexOf(':'));
  return `${host}:${bound.port}`;
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::']);

/**
 * The client-facing bulk address a node announces: the configured one, else
 * the bound address; none for a wildcard host without one (clients then
 * upload over gRPC PutChunk rather than dial an address that means nothing
 * to them).
 */
export function announcedClientBulkAddress(config: Pick<NodeConfig, 'clientBulkAdvertise'>, bound: { readonly host: string; readonly address: string }): string | undefined {
  if (config.clientBulkAdvertise !== undefined) return config.clientBulkAdvertise;
  return WILDCARD_HOSTS.has(bound.host) ? undefined : bound.address;
}

/**
 * Key-manager configuration: a JSON file (`--config FILE`) with flags taking
 * precedence, validated into one `KeyManagerConfig`. The shared pieces
 * (listen address, TLS files, peers, Raft tuning, log level) are the storage
 * node's, from @tessera/transport.
 *
 * File format (every field optional in the file when given as a flag):
 *   {
 *     "id": "km1",
 *     "dataDir": "/var/lib/tessera/km1",
 *     "listen": "127.0.0.1:7300",            // the keys port (Keys and Raft); port 0 = any free port
 *     "advertise": "127.0.0.1:7300",         // address committed for this member (default: the bound one)
 *     "httpListen": "127.0.0.1:9300",        // /metrics, /healthz, /readyz (no tenant data); port 0 = any free port
 *     "tls": { "cert": "...", "key": "...", "ca": "...", "crl": "..." },
 *     "trustDomain": "prod.example",         // default: from the key-manager certificate
 *     "peers": { "km2": { "address": "127.0.0.1:7301" } },
 *     "raft": { "tickMs": 100, "electionTicks": 10, "heartbeatTicks": 1, "snapshotEntries": 10000, "retainEntries": 1000 },
 *     "provider": { "kind": "file", "keyring": "/etc/tessera/keyring" }
 *               | { "kind": "pkcs11", "library": "/usr/lib/softhsm/libsofthsm2.so", "tokenLabel": "tessera",
 *                   "pinFile": "/etc/tessera/token.pin", "labelPrefix": "tessera" },
 *     "keyTtlMs": 60000,                     // absolute TTL handed out with every key
 *     "audit": { "denialWindowMs": 60000 },  // repeated denials aggregated per (principal, method, window)
 *     "logLevel": "info"
 *   }
 * The PKCS#11 PIN comes from `pinFile` or, when none is given, from the
 * TESSERA_PKCS11_PIN environment variable — never from the command line.
 */
import path from 'node:path';
import type { LogLevel } from '@tessera/common';
import {
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

export const PKCS11_PIN_ENV = 'TESSERA_PKCS11_PIN';
export const DEFAULT_AUDIT_DENIAL_WINDOW_MS = 60_000;

export type ProviderConfig =
  | { readonly kind: 'file'; readonly keyring: string }
  | {
      readonly kind: 'pkcs11';
      readonly library: string;
      readonly tokenLabel: string;
      /** File holding the user PIN; absent: TESSERA_PKCS11_PIN. */
      readonly pinFile?: string;
      readonly labelPrefix?: string;
    };

export interface KeyManagerConfig {
  readonly id: string;
  readonly dataDir: string;
  readonly listen: ListenAddress;
  readonly advertise?: string;
  /** The HTTP port: /metrics, /healthz, /readyz. */
  readonly httpListen: ListenAddress;
  readonly tls: TlsFiles;
  readonly trustDomain?: string;
  readonly init?: 'bootstrap' | 'join';
  readonly clusterId?: string;
  readonly peers: ReadonlyMap<string, string>;
  readonly raft: RaftTuning;
  readonly provider: ProviderConfig;
  readonly keyTtlMs: number;
  readonly auditDenialWindowMs: number;
  readonly logLevel: LogLevel;
}

/** What the command line gives. */
export interface KeyManagerFlags {
  readonly id?: string;
  readonly dataDir?: string;
  readonly listen?: string;
  readonly advertise?: string;
  readonly httpListen?: string;
  readonly cert?: string;
  readonly key?: string;
  readonly ca?: string;
  readonly crl?: string;
  readonly trustDomain?: string;
  readonly bootstrap?: boolean;
  readonly join?: boolean;
  readonly clusterId?: string;
  readonly peer?: readonly string[];
  readonly tickMs?: number;
  readonly electionTicks?: number;
  readonly heartbeatTicks?: number;
  readonly snapshotEntries?: number;
  readonly retainEntries?: number;
  readonly provider?: string;
  readonly keyring?: string;
  readonly pkcs11Library?: string;
  readonly tokenLabel?: string;
  readonly pinFile?: string;
  readonly labelPrefix?: string;
  readonly keyTtlMs?: number;
  readonly auditWindowMs?: number;
  readonly logLevel?: string;
  /** Listen beyond loopback (explicit opt-in). */
  readonly allowNonLoopback?: boolean;
}

/** The root provider part alone (shared by `keymanager init` and `start`). */
export function resolveProviderConfig(file: Record<string, unknown>, flags: KeyManagerFlags, baseDir: string): ProviderConfig {
  const resolvePath = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(baseDir, p));
  const kind = flags.provider ?? configString(file['kind'], 'provider.kind');
  if (kind === 'file') {
    const keyring = flags.keyring !== undefined ? path.resolve(flags.keyring) : resolvePath(configString(file['keyring'], 'provider.keyring'));
    if (keyring === undefined) throw configUsage('the file provider needs --keyring DIR');
    return { kind, keyring };
  }
  if (kind === 'pkcs11') {
    const library = flags.pkcs11Library ?? configString(file['library'], 'provider.library');
    const tokenLabel = flags.tokenLabel ?? configString(file['tokenLabel'], 'provider.tokenLabel');
    if (library === undefined || tokenLabel === undefined) throw configUsage('the pkcs11 provider needs --pkcs11-library and --token-label');
    const pinFile = flags.pinFile !== undefined ? path.resolve(flags.pinFile) : resolvePath(configString(file['pinFile'], 'provider.pinFile'));
    const labelPrefix = flags.labelPrefix ?? configString(file['labelPrefix'], 'provider.labelPrefix');
    return { kind, library, tokenLabel, ...(pinFile !== undefined ? { pinFile } : {}), ...(labelPrefix !== undefined ? { labelPrefix } : {}) };
  }
  throw configUsage('--provider must be file or pkcs11');
}

/** Builds the configuration from a parsed config file (or `{}`) and flags; flags win. */
export function resolveKeyManagerConfig(file: unknown, flags: KeyManagerFlags, baseDir: string = process.cwd()): KeyManagerConfig {
  const f = asRecord(file, 'the config file');
  const auditFile = asRecord(f['audit'], 'audit');
  const resolvePath = (p: string | undefined): string | undefined => (p === undefined ? undefined : path.resolve(baseDir, p));

  const id = flags.id ?? configString(f['id'], 'id');
  if (id === undefined || !MEMBER_ID_PATTERN.test(id)) throw configUsage('--id must be 1-63 characters of [a-z0-9._-], starting with a letter or digit');
  const dataDir = flags.dataDir !== undefined ? path.resolve(flags.dataDir) : resolvePath(configString(f['dataDir'], 'dataDir'));
  if (dataDir === undefined) throw configUsage('--data-dir is required');
  const advertise = flags.advertise ?? configString(f['advertise'], 'advertise');
  if (advertise !== undefined) parseHostPort(advertise, '--advertise');
  const provider = resolveProviderConfig(asRecord(f['provider'], 'provider'), flags, baseDir);
  const init = resolveInit(flags);
  if (provider.kind === 'file' && init === 'join') throw configUsage('the file provider serves a one-member key manager: --join needs the pkcs11 provider');
  const trustDomain = flags.trustDomain ?? configString(f['trustDomain'], 'trustDomain');
  const clusterId = flags.clusterId ?? configString(f['clusterId'], 'clusterId');
  const allowNonLoopback = flags.allowNonLoopback ?? configBool(f['allowNonLoopback'], 'allowNonLoopback') ?? false;
  return {
    id,
    dataDir,
    listen: parseListen(flags.listen ?? configString(f['listen'], 'listen') ?? '127.0.0.1:0', '--listen', { allowNonLoopback }),
    ...(advertise !== undefined ? { advertise } : {}),
    httpListen: parseListen(flags.httpListen ?? configString(f['httpListen'], 'httpListen') ?? '127.0.0.1:0', '--http-listen', { allowNonLoopback }),
    tls: resolveTlsFiles(asRecord(f['tls'], 'tls'), flags, baseDir),
    ...(trustDomain !== undefined ? { trustDomain } : {}),
    ...(init !== undefined ? { init } : {}),
    ...(clusterId !== undefined ? { clusterId } : {}),
    peers: resolvePeers(asRecord(f['peers'], 'peers'), flags.peer, id),
    raft: resolveRaftTuning(asRecord(f['raft'], 'raft'), flags),
    provider,
    keyTtlMs: configInt(flags.keyTtlMs ?? f['keyTtlMs'], 'the key TTL (ms)', 1_000, 24 * 3600 * 1000) ?? 60_000,
    auditDenialWindowMs: configInt(flags.auditWindowMs ?? auditFile['denialWindowMs'], 'the audit denial window (ms)', 100, 3600 * 1000) ?? DEFAULT_AUDIT_DENIAL_WINDOW_MS,
    logLevel: configLogLevel(flags.logLevel, f['logLevel']),
  };
}

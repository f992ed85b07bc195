/**
 * Pieces every Tessera process configuration shares (storage node, key
 * manager): validated values from a JSON config file or flags — listen
 * addresses (loopback only in this release), member ids, peer address
 * overrides, TLS files, Raft tuning, log level. Every failure is an
 * INVALID_ARGUMENT naming the setting (a usage error, exit code 2).
 */
import { isIP } from 'node:net';
import path from 'node:path';
import { ErrorCodes, TesseraError, type LogLevel } from '@tessera/common';
import type { TlsFiles } from '../tls/material.js';

/** Ids of Raft members (nodes, key managers): as the SPIFFE id's last segment allows. */
export const MEMBER_ID_PATTERN = /^[a-z0-9][a-z0-9._-]{0,62}$/;

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

export const DEFAULT_RAFT_TUNING: RaftTuning = { tickMs: 100, electionTicks: 10, heartbeatTicks: 1, snapshotEntries: 10_000, retainEntries: 1_000 };

/** The configured tuning as `RaftNode.start` options (one mapping for every process kind). */
export function raftNodeTuning(t: RaftTuning): {
  readonly tickMs: number;
  readonly electionTick: number;
  readonly heartbeatTick: number;
  readonly snapshotEntries: number;
  readonly retainEntries: number;
} {
  return { tickMs: t.tickMs, electionTick: t.electionTicks, heartbeatTick: t.heartbeatTicks, snapshotEntries: t.snapshotEntries, retainEntries: t.retainEntries };
}

/** Raft flags as the command line gives them. */
export interface RaftTuningFlags {
  readonly tickMs?: number;
  readonly electionTicks?: number;
  readonly heartbeatTicks?: number;
  readonly snapshotEntries?: number;
  readonly retainEntries?: number;
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export function configUsage(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

const LOOPBACK_NAMES = new Set(['localhost']);

export function isLoopback(host: string): boolean {
  if (LOOPBACK_NAMES.has(host)) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

/** Parses `host:port` (IPv6 as `[::1]:7001`). */
export function parseHostPort(value: string, what: string): ListenAddress {
  const m = /^(?:\[([0-9a-fA-F:]+)\]|([^:[\]]+)):([0-9]{1,5})$/.exec(value);
  const host = m?.[1] ?? m?.[2];
  const port = Number(m?.[3]);
  if (m === null || host === undefined || !Number.isInteger(port) || port > 65535) throw configUsage(`${what} must be host:port, got ${JSON.stringify(value)}`);
  return { host, port };
}

/** A listen address; this release binds loopback only (tests, local clusters), wider binding comes with deployment support. */
/**
 * A listen address. Loopback unless the operator opted in with
 * `allowNonLoopback` (config) / `--allow-non-loopback` (flag): a process never
 * listens beyond the host by accident (deployments behind a container network
 * or a Kubernetes Service opt in explicitly).
 */
export function parseListen(value: string, what: string, options: { readonly allowNonLoopback?: boolean } = {}): ListenAddress {
  const address = parseHostPort(value, what);
  if (!isLoopback(address.host) && options.allowNonLoopback !== true) {
    throw configUsage(`${what} must be a loopback address (set allowNonLoopback / --allow-non-loopback to listen beyond this host)`);
  }
  return address;
}

export function configBool(value: unknown, what: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') throw configUsage(`${what} must be true or false`);
  return value;
}

export function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw configUsage(`${what} must be an object`);
  return value as Record<string, unknown>;
}

export function configString(value: unknown, what: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw configUsage(`${what} must be a non-empty string`);
  return value;
}

export function configInt(value: unknown, what: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) throw configUsage(`${what} must be an integer in [${min}, ${max}]`);
  return value;
}

export function configLogLevel(flag: string | undefined, file: unknown): LogLevel {
  const level = flag ?? configString(file, 'logLevel') ?? 'info';
  if (!LOG_LEVELS.includes(level as LogLevel)) throw configUsage(`log level must be one of ${LOG_LEVELS.join(', ')}`);
  return level as LogLevel;
}

/** TLS files from flags or the file's `tls` object (relative paths resolved against `baseDir`). */
export function resolveTlsFiles(tlsFile: Record<string, unknown>, flags: { cert?: string; key?: string; ca?: string; crl?: string }, baseDir: string): TlsFiles {
  const pick = (flag: string | undefined, key: string): string => {
    const fromFile = configString(tlsFile[key], `tls.${key}`);
    const p = flag ?? (fromFile === undefined ? undefined : path.resolve(baseDir, fromFile));
    if (p === undefined) throw configUsage(`--${key} is required`);
    return path.resolve(p);
  };
  return { certFile: pick(flags.cert, 'cert'), keyFile: pick(flags.key, 'key'), caFile: pick(flags.ca, 'ca'), crlFile: pick(flags.crl, 'crl') };
}

/** Peer address overrides: the file's `peers.<id>.address` and `--peer ID=HOST:PORT` flags (which win). */
export function resolvePeers(peersFile: Record<string, unknown>, flagSpecs: readonly string[] | undefined, selfId: string): Map<string, string> {
  const peers = new Map<string, string>();
  for (const [peerId, entry] of Object.entries(peersFile)) {
    const address = configString(asRecord(entry, `peers.${peerId}`)['address'], `peers.${peerId}.address`);
    if (!MEMBER_ID_PATTERN.test(peerId) || address === undefined) throw configUsage(`peers.${peerId} needs a valid id and an address`);
    parseHostPort(address, `peers.${peerId}.address`);
    peers.set(peerId, address);
  }
  for (const spec of flagSpecs ?? []) {
    const eq = spec.indexOf('=');
    const peerId = spec.slice(0, eq);
    const address = spec.slice(eq + 1);
    if (eq < 1 || !MEMBER_ID_PATTERN.test(peerId)) throw configUsage(`--peer must be ID=HOST:PORT, got ${JSON.stringify(spec)}`);
    parseHostPort(address, `--peer ${peerId}`);
    peers.set(peerId, address);
  }
  if (peers.has(selfId)) throw configUsage('peers must not name this member');
  return peers;
}

/** Raft tuning from flags, else the file's `raft` object, else the defaults. */
export function resolveRaftTuning(raftFile: Record<string, unknown>, flags: RaftTuningFlags): RaftTuning {
  const raft: RaftTuning = {
    tickMs: flags.tickMs ?? configInt(raftFile['tickMs'], 'raft.tickMs', 1, 60_000) ?? DEFAULT_RAFT_TUNING.tickMs,
    electionTicks: flags.electionTicks ?? configInt(raftFile['electionTicks'], 'raft.electionTicks', 2, 10_000) ?? DEFAULT_RAFT_TUNING.electionTicks,
    heartbeatTicks: flags.heartbeatTicks ?? configInt(raftFile['heartbeatTicks'], 'raft.heartbeatTicks', 1, 10_000) ?? DEFAULT_RAFT_TUNING.heartbeatTicks,
    snapshotEntries: flags.snapshotEntries ?? configInt(raftFile['snapshotEntries'], 'raft.snapshotEntries', 1, 1e9) ?? DEFAULT_RAFT_TUNING.snapshotEntries,
    retainEntries: flags.retainEntries ?? configInt(raftFile['retainEntries'], 'raft.retainEntries', 0, 1e9) ?? DEFAULT_RAFT_TUNING.retainEntries,
  };
  if (raft.heartbeatTicks >= raft.electionTicks) throw configUsage('heartbeat ticks must be fewer than election ticks');
  return raft;
}

/** How an empty Raft store is initialised, from the exclusive `--bootstrap` / `--join` flags. */
export function resolveInit(flags: { bootstrap?: boolean; join?: boolean }): 'bootstrap' | 'join' | undefined {
  if (flags.bootstrap === true && flags.join === true) throw configUsage('--bootstrap and --join are exclusive');
  return flags.bootstrap === true ? 'bootstrap' : flags.join === true ? 'join' : undefined;
}

/**
 * The connection config file (`tessera --config FILE …` or
 * TESSERA_CONFIG=FILE): endpoints and certificate paths, so an operator —
 * or `scripts/local-cluster`, which writes one — need not repeat them on
 * every command. Admin verbs (key managers) take `endpoints` and the
 * `admin` identity; object verbs (nodes' client ports) take
 * `dataEndpoints` and the `tenant` identity. Relative paths are resolved
 * against the file's directory. Flags win over the environment, which wins
 * over the file.
 *
 * ```json
 * {
 *   "endpoints": ["127.0.0.1:7300"],
 *   "dataEndpoints": ["n1=127.0.0.1:7101", "n2=127.0.0.1:7102"],
 *   "ca": "pki/ca/ca.crt",
 *   "crl": "pki/ca/ca.crl",
 *   "admin": { "cert": "pki/admin.crt", "key": "pki/admin.key" },
 *   "tenant": { "cert": "acme/app.crt", "key": "acme/app.key" }
 * }
 * ```
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ErrorCodes, TesseraError } from '@tessera/common';

export interface IdentityFiles {
  readonly cert?: string;
  readonly key?: string;
}

export interface ConnectionConfig {
  /** Key-manager keys ports (admin verbs), like TESSERA_ENDPOINT. */
  readonly endpoints?: readonly string[];
  /** Node client ports, `host:port` or `ID=host:port` (object verbs), like TESSERA_DATA_ENDPOINT. */
  readonly dataEndpoints?: readonly string[];
  /** The cluster CA certificate and its CRL. */
  readonly ca?: string;
  readonly crl?: string;
  /** Identity for admin verbs (a cluster admin, or a tenant admin). */
  readonly admin?: IdentityFiles;
  /** Identity for object verbs (a tenant client or tenant admin). */
  readonly tenant?: IdentityFiles;
}

/** Environment variable naming the config file when `--config` is absent. */
export const CONFIG_ENV = 'TESSERA_CONFIG';
/** A config file larger than this is certainly not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;

const TOP_KEYS = new Set(['endpoints', 'dataEndpoints', 'ca', 'crl', 'admin', 'tenant']);
const IDENTITY_KEYS = new Set(['cert', 'key']);

function bad(file: string, what: string): TesseraError {
  return new TesseraError(ErrorCodes.CLI_USAGE, `config file ${file}: ${what}`);
}

function stringList(file: string, value: unknown, key: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string' && v.trim() !== '')) throw bad(file, `"${key}" must be a list of host:port strings`);
  return value.map((v) => v.trim());
}

function filePath(file: string, value: unknown, key: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value === '') throw bad(file, `"${key}" must be a file path`);
  return path.resolve(path.dirname(file), value);
}

function identity(file: string, value: unknown, key: string): IdentityFiles | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw bad(file, `"${key}" must be an object with "cert" and "key"`);
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !IDENTITY_KEYS.has(k));
  if (unknown !== undefined) throw bad(file, `unknown setting "${key}.${unknown}" (known: cert, key)`);
  const cert = filePath(file, o['cert'], `${key}.cert`);
  const keyFile = filePath(file, o['key'], `${key}.key`);
  return { ...(cert !== undefined ? { cert } : {}), ...(keyFile !== undefined ? { key: keyFile } : {}) };
}

/** Validates a parsed config document (`file` names it in errors and anchors relative paths). */
export function parseConnectionConfig(file: string, doc: unknown): ConnectionConfig {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad(file, 'must be a JSON object');
  const o = doc as Record<string, unknown>;
  const unknown = Object.keys(o).find((k) => !TOP_KEYS.has(k));
  if (unknown !== undefined) throw bad(file, `unknown setting "${unknown}" (known: ${[...TOP_KEYS].join(', ')})`);
  const entries = {
    endpoints: stringList(file, o['endpoints'], 'endpoints'),
    dataEndpoints: stringList(file, o['dataEndpoints'], 'dataEndpoints'),
    ca: filePath(file, o['ca'], 'ca'),
    crl: filePath(file, o['crl'], 'crl'),
    admin: identity(file, o['admin'], 'admin'),
    tenant: identity(file, o['tenant'], 'tenant'),
  };
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as ConnectionConfig;
}

export async function loadConnectionConfig(file: string): Promise<ConnectionConfig> {
  const abs = path.resolve(file);
  let bytes: Buffer;
  try {
    bytes = await readFile(abs);
  } catch {
    throw bad(file, 'cannot be read (check the path given to --config or TESSERA_CONFIG)');
  }
  if (bytes.length > MAX_CONFIG_BYTES) throw bad(file, 'is larger than 1 MiB');
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw bad(file, 'is not valid JSON');
  }
  return parseConnectionConfig(abs, doc);
}

/** The config of the command being run (one per runCli call, so in-process runs never mix). */
const current = new AsyncLocalStorage<ConnectionConfig>();
/** The config of the process's own command (`scope: 'process'`). */
let processConfig: ConnectionConfig | undefined;

/**
 * Runs `fn` with `config` as the active config. `scope: 'call'` (tests
 * running several commands in one process) keeps each run's config apart
 * with an AsyncLocalStorage. `scope: 'process'` (the `tessera` executable,
 * which runs one command) uses a module variable instead: on Node 20 an
 * AsyncLocalStorage in use installs promise hooks for the rest of the
 * process, and a node or key manager started by the command would pay them
 * on every promise for its whole life (about 3 % of a follower's CPU per
 * Raft round, issue #12).
 */
export function runWithConfig<T>(config: ConnectionConfig, fn: () => Promise<T>, scope: 'call' | 'process' = 'call'): Promise<T> {
  if (scope === 'process') {
    processConfig = config;
    return fn();
  }
  return current.run(config, fn);
}

/** The config file's settings for this command ({} without one). */
export function activeConfig(): ConnectionConfig {
  return current.getStore() ?? processConfig ?? {};
}

/** `flag`, else the environment variable `env`, else the config file's `fromFile`: the precedence every connection setting follows. */
export function pick(flag: string | undefined, env: string, fromFile: string | undefined): string | undefined {
  if (flag !== undefined && flag !== '') return flag;
  const fromEnv = process.env[env];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return fromFile;
}

/** A list setting with the same precedence (the environment holds a comma list). */
export function pickList(flag: readonly string[] | undefined, env: string, fromFile: readonly string[] | undefined): string[] {
  if (flag !== undefined && flag.length > 0) return [...flag];
  const fromEnv = (process.env[env] ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (fromEnv.length > 0) return fromEnv;
  return [...(fromFile ?? [])];
}

/**
 * How admin verbs reach the key managers: `--endpoint HOST:PORT`
 * (repeatable, or a comma list in TESSERA_ENDPOINT), the caller's
 * certificate and key (`--cert`/`--key`, TESSERA_CERT/TESSERA_KEY), the
 * cluster CA that vouches for the servers (`--ca`, TESSERA_CA) and its CRL
 * (`--crl`, TESSERA_CRL; default `ca.crl` beside the CA file). Flags win
 * over the environment, which wins over the config file (`--config`,
 * TESSERA_CONFIG: its `endpoints`, `ca`, `crl` and `admin` identity).
 * Tenant admins use a certificate issued by their own tenant CA and still
 * the cluster CA to check the key managers.
 */
import path from 'node:path';
import type { Command } from 'commander';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { KeyManagerClient } from '@tessera/keymanager';
import { certificateIdentity } from '@tessera/transport';
import { readFile } from 'node:fs/promises';
import { activeConfig, pick, pickList } from '../config-file.js';
import { collect } from '../options.js';

export const CONNECTION_ENV_HELP = [
  '',
  'Connection: --endpoint (repeatable) or TESSERA_ENDPOINT=host:port[,host:port]; --cert/--key or TESSERA_CERT/TESSERA_KEY;',
  '--ca or TESSERA_CA (the cluster CA); --crl or TESSERA_CRL (default: ca.crl beside the CA file).',
  'Or a config file: tessera --config FILE … (or TESSERA_CONFIG=FILE); flags win over the environment, which wins over the file.',
].join('\n');

export interface ConnectionOptions {
  readonly endpoint?: readonly string[];
  readonly cert?: string;
  readonly key?: string;
  readonly ca?: string;
  readonly crl?: string;
}

/**
 * Adds the connection flags. A command whose own `--ca`/`--crl` mean
 * something else (`tenant create`: the tenant's CA) takes the cluster CA as
 * `--cluster-ca`/`--cluster-crl` instead.
 */
export function withConnection(cmd: Command, names: { readonly clusterCaFlags?: boolean } = {}): Command {
  const prefix = names.clusterCaFlags === true ? 'cluster-' : '';
  return cmd
    .option('--endpoint <host:port>', 'a key manager keys port (repeatable)', collect)
    .option('--cert <file>', 'your certificate (cluster admin, or tenant admin)')
    .option('--key <file>', 'its private key')
    .option(`--${prefix}ca <file>`, 'the cluster CA certificate (checks the key managers)')
    .option(`--${prefix}crl <file>`, 'the cluster CA CRL');
}

function usage(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CLI_USAGE, message);
}

function required(value: string | undefined, env: string, name: string): string {
  if (value === undefined || value === '') throw usage(`${name} is required (flag, ${env}, or the config file)`);
  return value;
}

/** The caller's certificate for admin verbs: flag, TESSERA_CERT, or the config file's `admin.cert`. */
function certOf(opts: ConnectionOptions): string | undefined {
  return pick(opts.cert, 'TESSERA_CERT', activeConfig().admin?.cert);
}

export async function connect(opts: ConnectionOptions): Promise<KeyManagerClient> {
  const config = activeConfig();
  const endpoints = pickList(opts.endpoint, 'TESSERA_ENDPOINT', config.endpoints);
  if (endpoints.length === 0) throw usage('--endpoint is required (flag, TESSERA_ENDPOINT, or the config file)');
  const caFile = path.resolve(required(pick(opts.ca, 'TESSERA_CA', config.ca), 'TESSERA_CA', '--ca'));
  const crlFile = path.resolve(pick(opts.crl, 'TESSERA_CRL', config.crl) ?? path.join(path.dirname(caFile), 'ca.crl'));
  const tls = {
    certFile: path.resolve(required(certOf(opts), 'TESSERA_CERT', '--cert')),
    keyFile: path.resolve(required(pick(opts.key, 'TESSERA_KEY', config.admin?.key), 'TESSERA_KEY', '--key')),
    caFile,
    crlFile,
  };
  return KeyManagerClient.create({ tls, endpoints });
}

/** The tenant of the caller's certificate when it is a tenant admin (the default `--tenant`). */
export async function ownTenant(opts: ConnectionOptions): Promise<string | undefined> {
  const certFile = certOf(opts);
  if (certFile === undefined) return undefined;
  try {
    const identity = certificateIdentity(await readFile(certFile));
    return identity?.principal.kind === 'tenant-admin' ? identity.principal.tenant : undefined;
  } catch {
    return undefined;
  }
}

/** Runs `fn` with a connected client and closes it. */
export async function withClient<T>(opts: ConnectionOptions, fn: (client: KeyManagerClient) => Promise<T>): Promise<T> {
  const client = await connect(opts);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

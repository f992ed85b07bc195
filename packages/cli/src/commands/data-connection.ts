/**
 * How the object verbs (`put|get|ls|stat|rm`) reach the nodes' client
 * ports: `--endpoint HOST:PORT` or `ID=HOST:PORT` (repeatable; naming the
 * node lets the client follow a leader hint straight to it), or a comma
 * list in TESSERA_DATA_ENDPOINT (TESSERA_ENDPOINT names the key managers
 * for the admin verbs, so it is not reused here); the tenant client or
 * tenant admin certificate and key (`--cert`/`--key`, TESSERA_CERT and
 * TESSERA_KEY); the cluster CA that vouches for the nodes (`--ca`,
 * TESSERA_CA) and its CRL (`--crl`, TESSERA_CRL; default `ca.crl` beside
 * the CA file). Flags win over the environment, which wins over the config
 * file (`--config`, TESSERA_CONFIG: its `dataEndpoints`, `ca`, `crl` and
 * `tenant` identity).
 *
 * `--tenant T` is for a cluster admin under a grant a tenant admin of T
 * approved (`tessera access request`): the verbs then act on T's objects
 * (the grant's prefix and mode permitting; every call is audited to T's
 * trail), with the cluster admin certificate (the config file's `admin`
 * identity when no --cert is given).
 */
import path from 'node:path';
import type { Command } from 'commander';
import { TesseraClient } from '@tessera/client';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { activeConfig, pick, pickList } from '../config-file.js';
import { collect } from '../options.js';

export const DATA_CONNECTION_HELP = [
  '',
  'Connection: --endpoint (repeatable; host:port or ID=host:port of a node client port) or TESSERA_DATA_ENDPOINT=host:port[,host:port];',
  '--cert/--key (a tenant client or tenant admin certificate) or TESSERA_CERT/TESSERA_KEY; --ca or TESSERA_CA (the cluster CA);',
  '--crl or TESSERA_CRL (default: ca.crl beside the CA file).',
  'A cluster admin acts on a tenant\'s objects only under an approved grant: --tenant T (see tessera access --help).',
  'Or a config file: tessera --config FILE … (or TESSERA_CONFIG=FILE); flags win over the environment, which wins over the file.',
].join('\n');

export interface DataConnectionOptions {
  readonly endpoint?: readonly string[];
  readonly cert?: string;
  readonly key?: string;
  readonly ca?: string;
  readonly crl?: string;
  /** A cluster admin under a grant: the tenant whose objects to act on. */
  readonly tenant?: string;
}

export function withDataConnection(cmd: Command): Command {
  return cmd
    .option('--endpoint <host:port>', 'a node client port, host:port or ID=host:port (repeatable)', collect)
    .option('--cert <file>', 'your tenant client (or tenant admin) certificate')
    .option('--key <file>', 'its private key')
    .option('--ca <file>', 'the cluster CA certificate (checks the nodes)')
    .option('--crl <file>', 'the cluster CA CRL')
    .option('--tenant <id>', 'as a cluster admin under an approved grant: the tenant whose objects to act on');
}

function usage(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CLI_USAGE, message);
}

function required(value: string | undefined, env: string, name: string): string {
  if (value === undefined || value === '') throw usage(`${name} is required (flag, ${env}, or the config file)`);
  return value;
}

export interface DataConnectionExtra {
  readonly chunkSize?: number;
  /** Start the endpoint list this many places later (`tessera bench` spreads its connections over the nodes). */
  readonly rotate?: number;
  /** How long one call keeps retrying (the SDK's `retryTimeoutMs`; default its own). */
  readonly retryTimeoutMs?: number;
}

export async function connectData(opts: DataConnectionOptions, extra: DataConnectionExtra = {}): Promise<TesseraClient> {
  const config = activeConfig();
  const listed = pickList(opts.endpoint, 'TESSERA_DATA_ENDPOINT', config.dataEndpoints);
  if (listed.length === 0) throw usage('--endpoint is required (flag, TESSERA_DATA_ENDPOINT, or the config file)');
  const k = (extra.rotate ?? 0) % listed.length;
  const endpoints = [...listed.slice(k), ...listed.slice(0, k)];
  const caFile = path.resolve(required(pick(opts.ca, 'TESSERA_CA', config.ca), 'TESSERA_CA', '--ca'));
  const crl = pick(opts.crl, 'TESSERA_CRL', config.crl);
  // Under a grant the caller is a cluster admin: the config file's admin identity, not its tenant one.
  const identity = opts.tenant !== undefined ? config.admin : config.tenant;
  return TesseraClient.connect({
    tls: {
      certFile: path.resolve(required(pick(opts.cert, 'TESSERA_CERT', identity?.cert), 'TESSERA_CERT', '--cert')),
      keyFile: path.resolve(required(pick(opts.key, 'TESSERA_KEY', identity?.key), 'TESSERA_KEY', '--key')),
      caFile,
      ...(crl !== undefined && crl !== '' ? { crlFile: path.resolve(crl) } : {}),
    },
    endpoints,
    ...(extra.chunkSize !== undefined ? { chunkSize: extra.chunkSize } : {}),
    ...(extra.retryTimeoutMs !== undefined ? { retryTimeoutMs: extra.retryTimeoutMs } : {}),
    ...(opts.tenant !== undefined ? { grantTenant: opts.tenant } : {}),
  });
}

/** Runs `fn` with a connected client and closes it. */
export async function withDataClient<T>(opts: DataConnectionOptions, fn: (client: TesseraClient) => Promise<T>, extra: DataConnectionExtra = {}): Promise<T> {
  const client = await connectData(opts, extra);
  try {
    return await fn(client);
  } finally {
    client.close();
  }
}

/**
 * How the operator verbs (`cluster status|members|add|remove|transfer-leader`,
 * `device …`, `tenant usage|set-quota`)
 * reach the Admin service on the nodes' client ports: `--endpoint HOST:PORT`
 * or `ID=HOST:PORT` (repeatable), else TESSERA_DATA_ENDPOINT, else the config
 * file's `dataEndpoints`; the caller's certificate and key (--cert/--key,
 * TESSERA_CERT/TESSERA_KEY, else the config file's `admin` identity); the
 * cluster CA (--ca, TESSERA_CA) and its CRL (--crl, TESSERA_CRL; default
 * `ca.crl` beside the CA file). Nodes are tried in turn while one is
 * unreachable, not ready or not the leader (a membership change goes to the
 * leader: list every node's client port and the verbs find it). A call
 * meant for one node (`device add --node n1`) goes only to a server whose
 * certificate is that node's: the endpoints named `n1=HOST:PORT`, else every
 * endpoint, where the TLS check refuses the other nodes.
 *
 * (`access …` keeps its own copy of this in access.ts for now.)
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import type { Command } from 'commander';
import { ErrorCodes, TesseraError, toTesseraError } from '@tessera/common';
import { ClientTls, RpcFailure, certificateIdentity, createClient, rpcFailure } from '@tessera/transport';
import { tesseraV1, type AdminClient } from '@tessera/wire';
import { activeConfig, pick, pickList } from '../config-file.js';
import { collect } from '../options.js';

export interface NodeAdminOptions {
  readonly endpoint?: readonly string[];
  readonly cert?: string;
  readonly key?: string;
  readonly ca?: string;
  readonly crl?: string;
}

const CALL_MS = 15_000;

export const NODE_ADMIN_HELP = [
  '',
  'Connection: --endpoint (repeatable; host:port or ID=host:port of a node client port) or TESSERA_DATA_ENDPOINT;',
  '--cert/--key (a cluster admin) or TESSERA_CERT/TESSERA_KEY; --ca or TESSERA_CA (the cluster CA);',
  '--crl or TESSERA_CRL (default: ca.crl beside the CA file). Or a config file (its dataEndpoints and admin identity).',
].join('\n');

function usage(message: string): TesseraError {
  return new TesseraError(ErrorCodes.CLI_USAGE, message);
}

export function withNodeAdminConnection(cmd: Command): Command {
  return cmd
    .option('--endpoint <host:port>', 'a node client port, host:port or ID=host:port (repeatable)', collect)
    .option('--cert <file>', 'your certificate (cluster admin)')
    .option('--key <file>', 'its private key')
    .option('--ca <file>', 'the cluster CA certificate (checks the nodes)')
    .option('--crl <file>', 'the cluster CA CRL');
}

/** An Admin call on one node: the generated client's method with its callback. */
export type AdminInvoke<Res> = (client: AdminClient, options: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: Res) => void) => unknown;

export class NodeAdmin {
  private constructor(
    private readonly tls: ClientTls,
    private readonly clients: readonly AdminClient[],
  ) {}

  /** `node`: talk only to that node (its certificate is checked), through the endpoints named for it if any. */
  static async connect(opts: NodeAdminOptions, node?: string): Promise<NodeAdmin> {
    const config = activeConfig();
    const listed = pickList(opts.endpoint, 'TESSERA_DATA_ENDPOINT', config.dataEndpoints);
    const named = node === undefined ? [] : listed.filter((e) => e.startsWith(`${node}=`));
    const endpoints = (named.length > 0 ? named : listed).map((e) => e.replace(/^[^=]*=/, ''));
    if (endpoints.length === 0) throw usage('--endpoint is required (flag, TESSERA_DATA_ENDPOINT, or the config file)');
    const required = (value: string | undefined, env: string, name: string): string => {
      if (value === undefined || value === '') throw usage(`${name} is required (flag, ${env}, or the config file)`);
      return path.resolve(value);
    };
    const caFile = required(pick(opts.ca, 'TESSERA_CA', config.ca), 'TESSERA_CA', '--ca');
    const certFile = required(pick(opts.cert, 'TESSERA_CERT', config.admin?.cert), 'TESSERA_CERT', '--cert');
    const files = {
      certFile,
      keyFile: required(pick(opts.key, 'TESSERA_KEY', config.admin?.key), 'TESSERA_KEY', '--key'),
      caFile,
      crlFile: path.resolve(pick(opts.crl, 'TESSERA_CRL', config.crl) ?? path.join(path.dirname(caFile), 'ca.crl')),
    };
    let pem: Buffer;
    try {
      pem = await readFile(certFile);
    } catch {
      throw usage(`cannot read the certificate ${certFile}`);
    }
    const identity = certificateIdentity(pem);
    if (identity === undefined) throw usage('the certificate names no Tessera identity');
    const expect = node === undefined ? { kinds: ['node' as const] } : { spiffeId: `spiffe://${identity.trustDomain}/node/${node}` };
    const tls = await ClientTls.create({ trustDomain: identity.trustDomain, tls: files, expect });
    return new NodeAdmin(
      tls,
      endpoints.map((address) => createClient(tesseraV1().Admin, address, tls)),
    );
  }

  /** `timeoutMs` per node: a call that waits on the cluster (a learner catching up) needs longer than the default. */
  async call<Res>(invoke: AdminInvoke<Res>, options: { readonly timeoutMs?: number } = {}): Promise<Res> {
    const timeoutMs = options.timeoutMs ?? CALL_MS;
    let last: TesseraError | undefined;
    for (const client of this.clients) {
      try {
        return await new Promise<Res>((resolve, reject) => {
          invoke(client, { deadline: Date.now() + timeoutMs }, (err, res) => {
            if (err !== null) reject(rpcFailure(err));
            else if (res === undefined) reject(new TesseraError(ErrorCodes.INTERNAL, 'empty response'));
            else resolve(res);
          });
        });
      } catch (err) {
        last = toTesseraError(err);
        // Unreachable or not ready (or not the leader): the next node may answer. Anything else is the answer.
        if (!(err instanceof RpcFailure) || !err.retriable) throw last;
      }
    }
    throw last ?? new TesseraError(ErrorCodes.TRANSPORT_PEER_UNREACHABLE, 'no node answered');
  }

  /**
   * A server-streaming Admin call (audit export): every message of the
   * stream, from the first node that answers; the next node is tried on the
   * same conditions as `call`.
   */
  async collect<Msg>(open: (client: AdminClient, options: grpc.CallOptions) => grpc.ClientReadableStream<Msg>, options: { readonly timeoutMs?: number } = {}): Promise<Msg[]> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    let last: TesseraError | undefined;
    for (const client of this.clients) {
      try {
        return await new Promise<Msg[]>((resolve, reject) => {
          const messages: Msg[] = [];
          const stream = open(client, { deadline: Date.now() + timeoutMs });
          stream.on('data', (m: Msg) => messages.push(m));
          stream.on('error', (err: grpc.ServiceError) => reject(rpcFailure(err)));
          stream.on('end', () => resolve(messages));
        });
      } catch (err) {
        last = toTesseraError(err);
        if (!(err instanceof RpcFailure) || !err.retriable) throw last;
      }
    }
    throw last ?? new TesseraError(ErrorCodes.TRANSPORT_PEER_UNREACHABLE, 'no node answered');
  }

  close(): void {
    for (const c of this.clients) c.close();
    this.tls.close();
  }
}

export async function withNodeAdmin<T>(opts: NodeAdminOptions, fn: (admin: NodeAdmin) => Promise<T>): Promise<T> {
  const admin = await NodeAdmin.connect(opts);
  try {
    return await fn(admin);
  } finally {
    admin.close();
  }
}

/** Like withNodeAdmin, but only the named node may answer (a node-local change such as `device add`). */
export async function withNodeAdminOn<T>(opts: NodeAdminOptions, node: string, fn: (admin: NodeAdmin) => Promise<T>): Promise<T> {
  const admin = await NodeAdmin.connect(opts, node);
  try {
    return await fn(admin);
  } catch (err) {
    const e = toTesseraError(err);
    if (e instanceof RpcFailure && e.retriable) {
      throw new TesseraError(ErrorCodes.TRANSPORT_PEER_UNREACHABLE, `node ${node} did not answer on any endpoint (name its client port: --endpoint ${node}=HOST:PORT): ${e.message}`, { retriable: true });
    }
    throw e;
  } finally {
    admin.close();
  }
}

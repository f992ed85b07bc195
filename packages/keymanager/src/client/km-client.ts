/**
 * A client of the key managers' keys ports, for nodes (the gRPC
 * `KeyFetcher` and watch), the CLI and tests. mTLS with the caller's own
 * certificate; every answer must come from a `keymanager` identity of the
 * trust domain.
 *
 * Calls go to the leader: a follower answers UNAVAILABLE naming the leader
 * (and its address, `tessera-leader-address`), and the client goes there;
 * an unreachable member makes it try the next endpoint after a short,
 * growing pause, until the retry deadline. Only idempotent calls (reads,
 * compare-and-set mutations, key fetches) are retried after an outcome that
 * may have happened (a dropped connection, a deadline, ABORTED); other calls
 * only when the server said for sure it did nothing (not the leader,
 * starting up).
 */
import * as grpc from '@grpc/grpc-js';
import { readFile } from 'node:fs/promises';
import { ErrorCodes, TesseraError } from '@tessera/common';
import { ClientTls, RpcFailure, certificateIdentity, createClient, rpcFailure, type TlsFiles } from '@tessera/transport';
import {
  tesseraV1,
  type AddMemberRequest,
  type AddMemberResponse__Output,
  type ApproveShredRequest,
  type AuditHead__Output,
  type AuditTrailPart__Output,
  type CancelShredRequest,
  type ClusterStatusRequest,
  type ClusterStatusResponse__Output,
  type CreateTenantKeysRequest,
  type CreateTenantRequest,
  type DataKey__Output,
  type DedupKey__Output,
  type ExportAuditRequest,
  type GetAuditHeadRequest,
  type GetDataKeyRequest,
  type GetDedupKeyRequest,
  type GetIndexKeyRequest,
  type GetKeyHealthRequest,
  type GetMasterKeyRequest,
  type GetTenantRequest,
  type IndexKey__Output,
  type KeyEvent__Output,
  type KeyHealth__Output,
  type KeysClient,
  type ListNodesRequest,
  type ListNodesResponse__Output,
  type ListTenantsRequest,
  type DisableTenantRequest,
  type EnableTenantRequest,
  type ListTenantsResponse__Output,
  type MasterKey__Output,
  type NewTenantEpochRequest,
  type NodePin__Output,
  type RemoveNodeRequest,
  type RemoveNodeResponse__Output,
  type ReplaceTenantCaRequest,
  type ReportMinDecryptEpochRequest,
  type ReportMinDecryptEpochResponse__Output,
  type RequestShredRequest,
  type RotateKekRequest,
  type RotateSystemEpochRequest,
  type SetNodePinRequest,
  type ShredStatus__Output,
  type SignAuditHeadRequest,
  type SystemEpoch__Output,
  type Tenant__Output,
  type WatchRequest,
} from '@tessera/wire';
import { LEADER_ADDRESS_METADATA } from '../grpc/rpc.js';

/** Request and response types of every unary Keys method a client calls. */
export interface KeysUnaryMethods {
  GetMasterKey: [GetMasterKeyRequest, MasterKey__Output];
  GetDedupKey: [GetDedupKeyRequest, DedupKey__Output];
  GetDataKey: [GetDataKeyRequest, DataKey__Output];
  GetIndexKey: [GetIndexKeyRequest, IndexKey__Output];
  /** The metadata leader's report; a repeat is a no-op, so call it with `idempotent: true`. */
  ReportMinDecryptEpoch: [ReportMinDecryptEpochRequest, ReportMinDecryptEpochResponse__Output];
  CreateTenantKeys: [CreateTenantKeysRequest, Tenant__Output];
  RotateKek: [RotateKekRequest, Tenant__Output];
  NewTenantEpoch: [NewTenantEpochRequest, Tenant__Output];
  ApproveShred: [ApproveShredRequest, ShredStatus__Output];
  CancelShred: [CancelShredRequest, ShredStatus__Output];
  ReplaceTenantCa: [ReplaceTenantCaRequest, Tenant__Output];
  RequestShred: [RequestShredRequest, ShredStatus__Output];
  GetTenant: [GetTenantRequest, Tenant__Output];
  GetAuditHead: [GetAuditHeadRequest, AuditHead__Output];
  CreateTenant: [CreateTenantRequest, Tenant__Output];
  ListTenants: [ListTenantsRequest, ListTenantsResponse__Output];
  DisableTenant: [DisableTenantRequest, Tenant__Output];
  EnableTenant: [EnableTenantRequest, Tenant__Output];
  RotateSystemEpoch: [RotateSystemEpochRequest, SystemEpoch__Output];
  SetNodePin: [SetNodePinRequest, NodePin__Output];
  RemoveNode: [RemoveNodeRequest, RemoveNodeResponse__Output];
  ListNodes: [ListNodesRequest, ListNodesResponse__Output];
  GetKeyHealth: [GetKeyHealthRequest, KeyHealth__Output];
  KeyManagerStatus: [ClusterStatusRequest, ClusterStatusResponse__Output];
  AddKeyManager: [AddMemberRequest, AddMemberResponse__Output];
  /** A storage node asks for its metadata group's audit head to be signed (idempotent: a signature is all it returns). */
  SignAuditHead: [SignAuditHeadRequest, AuditHead__Output];
}
export type KeysUnaryMethod = keyof KeysUnaryMethods;

export interface KeyManagerClientOptions {
  /** The caller's certificate and key, the cluster CA and its CRL. */
  readonly tls: TlsFiles;
  /** Keys-port addresses (host:port) of one or more key managers. */
  readonly endpoints: readonly string[];
  /** Default: the trust domain of the caller's certificate. */
  readonly trustDomain?: string;
  /** Deadline of one attempt. Default 5 s. */
  readonly attemptTimeoutMs?: number;
  /** How long a call keeps retrying (other members, elections). Default 15 s. */
  readonly retryTimeoutMs?: number;
}

export interface CallOptions {
  /** The call may be repeated after an unknown outcome (reads, compare-and-set, key fetches). */
  readonly idempotent?: boolean;
  readonly attemptTimeoutMs?: number;
  readonly retryTimeoutMs?: number;
}

type UnaryFn = (request: unknown, metadata: grpc.Metadata, options: grpc.CallOptions, callback: (err: grpc.ServiceError | null, res?: unknown) => void) => unknown;

/** A failure the server certainly did not act on. */
function certainlyNotDone(f: RpcFailure): boolean {
  return (
    f.status === grpc.status.UNAVAILABLE &&
    (f.code === ErrorCodes.RAFT_NOT_LEADER || f.code === ErrorCodes.KM_UNAVAILABLE || f.code === ErrorCodes.RAFT_REJECTED)
  );
}

function maybeDone(f: RpcFailure): boolean {
  return f.status === grpc.status.UNAVAILABLE || f.status === grpc.status.DEADLINE_EXCEEDED || f.status === grpc.status.ABORTED || f.status === grpc.status.CANCELLED;
}

function leaderAddressOf(err: grpc.ServiceError): string | undefined {
  const value = err.metadata?.get(LEADER_ADDRESS_METADATA)[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The trust domain named by a certificate file. */
export async function trustDomainOf(certFile: string): Promise<string> {
  let pem: Buffer;
  try {
    pem = await readFile(certFile);
  } catch (cause) {
    throw new TesseraError(ErrorCodes.TRANSPORT_TLS_MATERIAL, `cannot read certificate ${certFile}`, { cause });
  }
  const identity = certificateIdentity(pem);
  if (identity === undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'the certificate names no Tessera identity');
  return identity.trustDomain;
}

export class KeyManagerClient {
  readonly trustDomain: string;
  readonly #tls: ClientTls;
  readonly #addresses: string[];
  readonly #clients = new Map<string, KeysClient>();
  readonly #attemptTimeoutMs: number;
  readonly #retryTimeoutMs: number;
  #preferred = 0;
  #closed = false;

  private constructor(trustDomain: string, tls: ClientTls, options: KeyManagerClientOptions) {
    this.trustDomain = trustDomain;
    this.#tls = tls;
    this.#addresses = [...new Set(options.endpoints)];
    this.#attemptTimeoutMs = options.attemptTimeoutMs ?? 5_000;
    this.#retryTimeoutMs = options.retryTimeoutMs ?? 15_000;
  }

  static async create(options: KeyManagerClientOptions): Promise<KeyManagerClient> {
    if (options.endpoints.length === 0) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'at least one key-manager endpoint is needed');
    const trustDomain = options.trustDomain ?? (await trustDomainOf(options.tls.certFile));
    const tls = await ClientTls.create({ trustDomain, tls: options.tls, expect: { kinds: ['keymanager'] } });
    return new KeyManagerClient(trustDomain, tls, options);
  }

  /** Addresses tried so far (the configured endpoints plus leaders learnt from answers). */
  get endpoints(): readonly string[] {
    return this.#addresses;
  }

  /** The address calls go to first (the last one that answered). */
  get preferred(): string {
    return this.#addresses[this.#preferred]!;
  }

  #client(address: string): KeysClient {
    if (this.#closed) throw new TesseraError(ErrorCodes.TRANSPORT_CLOSED, 'the key-manager client is closed');
    let client = this.#clients.get(address);
    if (client === undefined) {
      client = createClient(tesseraV1().Keys, address, this.#tls, { 'grpc.use_local_subchannel_pool': 1 });
      this.#clients.set(address, client);
    }
    return client;
  }

  #indexOf(address: string): number {
    let i = this.#addresses.indexOf(address);
    if (i < 0) {
      this.#addresses.push(address);
      i = this.#addresses.length - 1;
    }
    return i;
  }

  /** One unary call, following the leader and retrying as `options` allows. */
  async call<M extends KeysUnaryMethod>(method: M, request: KeysUnaryMethods[M][0], options: CallOptions = {}): Promise<KeysUnaryMethods[M][1]> {
    const deadline = Date.now() + (options.retryTimeoutMs ?? this.#retryTimeoutMs);
    const attemptMs = options.attemptTimeoutMs ?? this.#attemptTimeoutMs;
    let at = this.#preferred;
    let pauseMs = 25;
    for (;;) {
      const address = this.#addresses[at]!;
      const client = this.#client(address);
      const fn = (client as unknown as Record<string, UnaryFn>)[method]!.bind(client) as UnaryFn;
      try {
        const response = await new Promise<unknown>((resolve, reject) => {
          fn(request, new grpc.Metadata(), { deadline: Date.now() + attemptMs }, (err, res) => (err === null ? resolve(res) : reject(err)));
        });
        this.#preferred = at;
        return response as KeysUnaryMethods[M][1];
      } catch (err) {
        const serviceError = err as grpc.ServiceError;
        const failure = rpcFailure(serviceError);
        const retry = certainlyNotDone(failure) || (options.idempotent === true && maybeDone(failure));
        if (!retry || Date.now() + pauseMs > deadline) throw failure;
        const hinted = leaderAddressOf(serviceError);
        if (hinted !== undefined && hinted !== address) {
          at = this.#indexOf(hinted);
          continue;
        }
        at = (at + 1) % this.#addresses.length;
        await new Promise((resolve) => setTimeout(resolve, pauseMs));
        pauseMs = Math.min(pauseMs * 2, 500);
      }
    }
  }

  /** Opens a watch stream on `address` (default: the preferred member). */
  watch(request: WatchRequest = {}, address: string = this.preferred): grpc.ClientReadableStream<KeyEvent__Output> {
    return this.#client(address).Watch(request);
  }

  /**
   * Every entry of one audit chain (the leader serves it; a follower's
   * NotLeader is followed as for unary calls). Returns the chain id and the
   * encoded entries in order.
   */
  async exportAudit(request: ExportAuditRequest): Promise<{ chain: string; entries: Buffer[] }> {
    const deadline = Date.now() + this.#retryTimeoutMs;
    let at = this.#preferred;
    for (;;) {
      const address = this.#addresses[at]!;
      try {
        const result = await new Promise<{ chain: string; entries: Buffer[] }>((resolve, reject) => {
          const stream = this.#client(address).ExportAudit(request, { deadline: Date.now() + 60_000 });
          let chain = '';
          const entries: Buffer[] = [];
          stream.on('data', (part: AuditTrailPart__Output) => {
            chain = part.chain;
            entries.push(...part.entries);
          });
          stream.on('error', (err: grpc.ServiceError) => reject(err));
          stream.on('end', () => resolve({ chain, entries }));
        });
        this.#preferred = at;
        return result;
      } catch (err) {
        const failure = rpcFailure(err as grpc.ServiceError);
        if (!certainlyNotDone(failure) || Date.now() > deadline) throw failure;
        const hinted = leaderAddressOf(err as grpc.ServiceError);
        at = hinted !== undefined ? this.#indexOf(hinted) : (at + 1) % this.#addresses.length;
        if (hinted === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  /** The next endpoint after `address` (for a watch that lost its member). */
  nextEndpoint(address: string): string {
    const i = this.#addresses.indexOf(address);
    return this.#addresses[(i + 1) % this.#addresses.length]!;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const c of this.#clients.values()) c.close();
    this.#clients.clear();
    this.#tls.close();
  }
}

export { RpcFailure };

/**
 * The `tessera.v1.Data` service on the client port (tenant principals).
 * The tenant is always the caller's, from its verified certificate: no
 * request names one (DESIGN A1). Bodies stream in frames of at most 1 MiB.
 *
 * Cluster admins reach a tenant's objects only under a grant (DESIGN A2,
 * ADR 0018): they name the tenant in the `tessera-tenant` request header and
 * the access gate (../access/gate.ts) decides and audits every call before
 * it is served; without a gate, or a grant, every method refuses them.
 */
import type * as grpc from '@grpc/grpc-js';
import { performance } from 'node:perf_hooks';
import { ErrorCodes, TesseraError, type Logger } from '@tessera/common';
import { outcomeOf, tenantOf, toStatus, unary, type BulkHandler, type CallWithAuthContext, type Principal } from '@tessera/transport';
import {
  putChunkCodec,
  u64Number,
  u64String,
  type DataSession__Output,
  type DescribeDataBulkRequest__Output,
  type DescribeDataBulkResponse,
  type DeleteObjectRequest__Output,
  type DeleteObjectResponse,
  type GetObjectFrame,
  type GetObjectRequest__Output,
  type ListObjectsRequest__Output,
  type ListObjectsResponse,
  type ObjectMeta,
  type OpenDataSessionRequest__Output,
  type OpenDataSessionResponse,
  type PutChunkFrame__Output,
  type PutChunkResponse,
  type PutObjectRequest__Output,
  type StatObjectRequest__Output,
} from '@tessera/wire';
import { TENANT_HEADER, type GrantGate, type GrantedCall } from '../access/index.js';
import type { MetadataMachine } from '../metadata/machine.js';
import { tenantServesData, type SessionRef, type TenantRecord } from '../metadata/types.js';
import { AssemblyPool, type AssemblyLease } from './assembly-pool.js';
import type { ChunkStore } from './chunk-store.js';
import type { DataOperation } from './data-path-stats.js';
import type { ObjectMetaView, ObjectService } from './objects.js';
import type { MetadataProposer } from './proposer.js';

/** Largest chunk a client may upload (the SDK cuts 4 MiB chunks by default). */
export const MAX_CHUNK_BYTES = 16 * 1024 * 1024;
/** Chunks up to this size (the client's default chunk size) are assembled in reused buffers. */
const POOLED_CHUNK_BYTES = 4 * 1024 * 1024;
/** Assembly buffers kept while idle: 16 MiB. */
const POOLED_FREE_BUFFERS = 4;
export const FRAME_BYTES = 1024 * 1024;

export interface DataServiceDeps {
  readonly principalOf: (call: CallWithAuthContext) => Principal;
  readonly machine: MetadataMachine;
  readonly readBarrier: () => Promise<void>;
  readonly proposer: MetadataProposer;
  readonly chunks: ChunkStore;
  readonly objects: ObjectService;
  /** Throws KM_UNAVAILABLE while the node has no system keys (not ready for data). */
  readonly assertReady: () => void;
  readonly clock: () => number;
  readonly logger: Logger;
  /** Cluster admins' calls under grants (issue #9); absent: every method refuses cluster admins. */
  readonly grants?: GrantGate;
  /** host:port of the client-facing bulk port (ADR 0026), answered by DescribeBulk; absent when there is none. */
  readonly bulkAddress?: () => string | undefined;
}

/** A handler's call: its certificate and its request headers. */
type DataCall = CallWithAuthContext & { readonly metadata: grpc.Metadata };

export function dataService(deps: DataServiceDeps): grpc.UntypedServiceImplementation {
  return dataPorts(deps).service;
}

/** The kind of a chunk upload on the client-facing bulk port (ADR 0026). */
export const BULK_PUT_CHUNK = 2;


/**
 * The Data service and, for the client-facing bulk port, its chunk upload:
 * the header is the PutChunk header message, the payload the whole chunk,
 * the answer the PutChunkResponse. Tenant principals only (a cluster admin
 * under a grant uploads over gRPC PutChunk, where the grant gate runs); the
 * tenant is the caller's, from its certificate, as on every Data method.
 */
export function dataPorts(deps: DataServiceDeps): { service: grpc.UntypedServiceImplementation; bulkPutChunk: BulkHandler } {
  const assembly = new AssemblyPool(POOLED_CHUNK_BYTES, POOLED_FREE_BUFFERS);
  /** Unexpected failures are logged here (no message or stack reaches the caller: O1). */
  const report = (method: string, err: unknown): unknown => {
    if (!(err instanceof TesseraError) || err.code === ErrorCodes.INTERNAL) {
      deps.logger.error('internal error', { method, error: err instanceof Error ? `${err.name}: ${err.message}` : 'non-error thrown' });
    }
    return err;
  };
  const guarded = <Req, Res>(method: string, handler: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>) =>
    unary<Req, Res>((req, call) => handler(req, call).catch((err: unknown) => Promise.reject(report(method, err))));

  /** Reports one client operation to the data-path stats: kind, outcome class, seconds, payload bytes. */
  const measured = async <T>(op: DataOperation, work: () => Promise<T>, bytesOf: (result: T) => number = () => 0): Promise<T> => {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    try {
      const result = await work();
      deps.chunks.stats.dataPath.operation(op, 'ok', seconds(), bytesOf(result));
      return result;
    } catch (err) {
      deps.chunks.stats.dataPath.operation(op, outcomeOf(err), seconds(), 0);
      throw err;
    }
  };

  /**
   * The tenant the call acts on, committed and active: the caller's own, or
   * for a cluster admin the one its grant covers (the gate also narrows a
   * listing to the grant's prefix). A tenant principal naming another tenant
   * in the header is refused.
   */
  const targetFor = async (call: DataCall, granted: GrantedCall): Promise<{ tenant: TenantRecord; listPrefix?: string }> => {
    deps.assertReady();
    const principal = deps.principalOf(call);
    const named = call.metadata.get(TENANT_HEADER);
    const header = named.length === 0 ? undefined : named.length === 1 && typeof named[0] === 'string' ? named[0] : '';
    if (principal.kind === 'admin') {
      if (deps.grants === undefined) throw new TesseraError(ErrorCodes.TRANSPORT_PERMISSION_DENIED, 'permission denied');
      const access = await deps.grants.authorize(principal.name, header, granted);
      return { tenant: await committedTenant(access.tenant), ...(access.listPrefix !== undefined ? { listPrefix: access.listPrefix } : {}) };
    }
    const id = tenantOf(principal);
    if (id === undefined) throw new TesseraError(ErrorCodes.TRANSPORT_PERMISSION_DENIED, 'a tenant identity is required');
    if (header !== undefined && header !== id) throw new TesseraError(ErrorCodes.TRANSPORT_PERMISSION_DENIED, 'permission denied');
    return { tenant: await committedTenant(id) };
  };

  const tenantFor = async (call: DataCall, granted: GrantedCall): Promise<TenantRecord> => (await targetFor(call, granted)).tenant;

  const committedTenant = async (id: string): Promise<TenantRecord> => {
    let tenant = deps.machine.tenant(id);
    if (tenant === undefined) {
      await deps.readBarrier();
      tenant = deps.machine.tenant(id);
    }
    if (tenant === undefined) throw new TesseraError(ErrorCodes.NOT_FOUND, 'unknown tenant');
    if (!tenantServesData(tenant.state)) throw new TesseraError(ErrorCodes.TENANT_NOT_ACTIVE, 'tenant is not active');
    return tenant;
  };

  const bulkPutChunk: BulkHandler = {
    name: 'put_chunk',
    allow: ['tenant-client', 'tenant-admin'],
    maxPayloadBytes: MAX_CHUNK_BYTES,
    // The chunk store copies the plaintext into its pipeline and keeps no reference: the buffer is reused.
    leasePayload: (length) => assembly.lease(length),
    handle: ({ principal, header, payload }) =>
      measured(
        'put_chunk',
        async () => {
          deps.assertReady();
          let frame: PutChunkFrame__Output;
          try {
            frame = putChunkCodec().requestDeserialize(header);
          } catch {
            throw invalid('malformed chunk header');
          }
          if (frame.kind !== 'header') throw invalid('the request carries no chunk header');
          const session = sessionOf(frame.header?.session ?? null);
          const size = u64Number(frame.header?.size ?? '0');
          if (size < 1 || size > MAX_CHUNK_BYTES) throw invalid(`a chunk is 1 byte to ${MAX_CHUNK_BYTES} bytes`);
          if (payload.length !== size) throw invalid('payload length does not match the header');
          const id = tenantOf(principal);
          if (id === undefined) throw new TesseraError(ErrorCodes.TRANSPORT_PERMISSION_DENIED, 'permission denied');
          const { chunkId, size: stored } = await deps.chunks.put(await committedTenant(id), session, payload);
          return { chunkId, size: stored };
        },
        (res) => res.size,
      ).then(
        (res) => putChunkCodec().responseSerialize({ chunkId: res.chunkId, size: u64String(res.size) }),
        (err: unknown) => Promise.reject(report('PutChunk', err)),
      ),
  };

  const service: grpc.UntypedServiceImplementation = {
    DescribeBulk: guarded<DescribeDataBulkRequest__Output, DescribeDataBulkResponse>('DescribeBulk', () => Promise.resolve({ address: deps.bulkAddress?.() ?? '' })),

    OpenSession: guarded<OpenDataSessionRequest__Output, OpenDataSessionResponse>('OpenSession', async (_req, call) => {
      const tenant = await tenantFor(call, { method: 'OpenSession' });
      // The session belongs to the caller's tenant: the metadata group refuses its use by any other.
      const result = await deps.proposer.propose({ op: 'openSession', timeMs: deps.clock(), tenant: tenant.id });
      if (result.kind !== 'session') throw new TesseraError(result.kind === 'error' ? result.code : ErrorCodes.INTERNAL, 'could not open a session', { retriable: true });
      return { clientId: u64String(result.clientId) };
    }),

    PutChunk: (call: grpc.ServerReadableStream<PutChunkFrame__Output, PutChunkResponse>, callback: grpc.sendUnaryData<PutChunkResponse>) => {
      measured('put_chunk', () => putChunk(call), (res) => Number(res.size ?? 0)).then(
        (res) => callback(null, res),
        (err: unknown) => callback(toStatus(report('PutChunk', err))),
      );
    },

    PutObject: guarded<PutObjectRequest__Output, ObjectMeta>('PutObject', (req, call) =>
      measured(
        'put_object',
        async () => {
          const tenant = await tenantFor(call, { method: 'PutObject', name: req.name });
          const attributes = new Map(Object.entries(req.attributes ?? {}));
          const meta = await deps.objects.put(tenant, sessionOf(req.session), req.name, req.chunkIds, attributes, req.inlineData);
          return toMeta(meta);
        },
        () => req.inlineData.byteLength,
      ),
    ),

    GetObject: (call: grpc.ServerWritableStream<GetObjectRequest__Output, GetObjectFrame>) => {
      measured('get_object', () => getObject(call), (bytes) => bytes).then(
        () => call.end(),
        // Emitting 'error' with a status object is how grpc-js ends a server stream with that
        // status; destroy() would leave the caller waiting for its deadline.
        (err: unknown) => {
          if (!call.cancelled) call.emit('error', toStatus(report('GetObject', err)));
        },
      );
    },

    StatObject: guarded<StatObjectRequest__Output, ObjectMeta>('StatObject', (req, call) =>
      measured('stat', async () => {
        const tenant = await tenantFor(call, { method: 'StatObject', name: req.name });
        return toMeta(await deps.objects.stat(tenant, req.name));
      }),
    ),

    DeleteObject: guarded<DeleteObjectRequest__Output, DeleteObjectResponse>('DeleteObject', (req, call) =>
      measured('delete', async () => {
        const tenant = await tenantFor(call, { method: 'DeleteObject', name: req.name });
        return { existed: await deps.objects.delete(tenant, sessionOf(req.session), req.name) };
      }),
    ),

    ListObjects: guarded<ListObjectsRequest__Output, ListObjectsResponse>('ListObjects', (req, call) =>
      measured('list', async () => {
        const { tenant, listPrefix } = await targetFor(call, { method: 'ListObjects', listPrefix: req.prefix });
        const page = await deps.objects.list(tenant, listPrefix ?? req.prefix, req.limit, req.pageToken === '' ? undefined : req.pageToken);
        return {
          objects: page.objects.map((o) => ({ name: o.name, size: u64String(o.size), modifiedMs: u64String(o.modifiedMs), etag: '', attributes: {}, chunks: o.chunks })),
          nextPageToken: page.nextToken ?? '',
        };
      }),
    ),
  };
  return { service, bulkPutChunk };

  async function putChunk(call: grpc.ServerReadableStream<PutChunkFrame__Output, PutChunkResponse>): Promise<PutChunkResponse> {
    const tenant = await tenantFor(call, { method: 'PutChunk' });
    let session: SessionRef | undefined;
    let lease: AssemblyLease | undefined;
    let filled = 0;
    try {
      // grpc-js serves a client stream as a Duplex whose writable side is still open here: a plain
      // `for await` destroys the call when the frames end, which builds an AbortError (stack trace
      // included) and runs grpc-js's error path on every upload. The call ends with our answer instead.
      for await (const frame of call.iterator({ destroyOnReturn: false }) as AsyncIterable<PutChunkFrame__Output>) {
        if (frame.kind === 'header') {
          if (session !== undefined) throw invalid('the header frame comes once, first');
          session = sessionOf(frame.header?.session ?? null);
          const size = u64Number(frame.header?.size ?? '0');
          if (size < 1 || size > MAX_CHUNK_BYTES) throw invalid(`a chunk is 1 byte to ${MAX_CHUNK_BYTES} bytes`);
          lease = assembly.lease(size);
        } else if (frame.kind === 'data') {
          if (lease === undefined) throw invalid('the header frame comes first');
          const data = frame.data ?? Buffer.alloc(0);
          if (data.byteLength > FRAME_BYTES) throw invalid('a data frame is at most 1 MiB');
          if (filled + data.byteLength > lease.bytes.byteLength) throw invalid('more data than the header announced');
          data.copy(lease.bytes, filled);
          filled += data.byteLength;
        } else {
          throw invalid('empty frame');
        }
      }
      if (session === undefined || lease === undefined) throw invalid('no header frame');
      if (filled !== lease.bytes.byteLength) throw invalid('less data than the header announced');
      // The chunk store copies the plaintext into its pipeline before this resolves and keeps no reference.
      const { chunkId, size } = await deps.chunks.put(tenant, session, lease.bytes);
      return { chunkId, size: u64String(size) };
    } finally {
      lease?.release();
    }
  }

  /** Streams the object; resolves with the data bytes sent. */
  async function getObject(call: grpc.ServerWritableStream<GetObjectRequest__Output, GetObjectFrame>): Promise<number> {
    const tenant = await tenantFor(call, { method: 'GetObject', name: call.request.name });
    const offset = u64Number(call.request.range?.offset ?? '0');
    const length = u64Number(call.request.range?.length ?? '0');
    const read = await deps.objects.get(tenant, call.request.name, offset, length);
    await write(call, { info: toMeta(read.meta) });
    let sent = 0;
    for await (const part of read.parts) {
      for (let at = 0; at < part.byteLength; at += FRAME_BYTES) {
        if (call.cancelled) return sent;
        const frame = part.subarray(at, Math.min(part.byteLength, at + FRAME_BYTES));
        await write(call, { data: frame });
        sent += frame.byteLength;
      }
    }
    return sent;
  }
}

/** Writes one frame, waiting for the stream to drain when its buffer is full. */
function write(call: grpc.ServerWritableStream<GetObjectRequest__Output, GetObjectFrame>, frame: GetObjectFrame): Promise<void> {
  return new Promise((resolve, reject) => {
    if (call.write(frame)) {
      resolve();
      return;
    }
    const onDrain = (): void => {
      call.off('error', onError);
      resolve();
    };
    const onError = (err: Error): void => {
      call.off('drain', onDrain);
      reject(err);
    };
    call.once('drain', onDrain);
    call.once('error', onError);
  });
}

function sessionOf(s: DataSession__Output | null): SessionRef {
  if (s === null) throw invalid('a write needs a session (OpenSession, then client id and seq)');
  const session = { clientId: u64Number(s.clientId), seq: u64Number(s.seq), ackedThrough: u64Number(s.ackedThrough) };
  if (session.clientId < 1 || session.seq < 1) throw invalid('a session needs a client id and a positive seq');
  return session;
}

function toMeta(meta: ObjectMetaView): ObjectMeta {
  return {
    name: meta.name,
    size: u64String(meta.size),
    modifiedMs: u64String(meta.modifiedMs),
    etag: meta.etag,
    attributes: Object.fromEntries(meta.attributes),
    chunks: meta.chunks,
  };
}

function invalid(message: string): TesseraError {
  return new TesseraError(ErrorCodes.INVALID_ARGUMENT, message);
}

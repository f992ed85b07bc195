/**
 * A fake node client port serving the Data API from a FakeDataStore, over
 * the real Tessera server (mTLS, tenant-CA registry, authorization table),
 * for SDK and CLI tests. Faults can be queued per method: fail the next N
 * calls with a chosen error, optionally after applying the write (a lost
 * reply), or cut a read after some bytes.
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError, toTesseraError, type ErrorCode } from '@tessera/common';
import { ERROR_CODE_METADATA, LEADER_METADATA, startTesseraServer, toStatus, type TenantCaRegistry, type TesseraServer, type TlsFiles } from '@tessera/transport';
import {
  FRAME_BYTES,
  u64Number,
  type DataHandlers,
  type DeleteObjectRequest__Output,
  type DeleteObjectResponse,
  type GetObjectFrame,
  type GetObjectRequest__Output,
  type ListObjectsRequest__Output,
  type ListObjectsResponse,
  type ObjectMeta,
  type DescribeDataBulkRequest__Output,
  type DescribeDataBulkResponse,
  type OpenDataSessionRequest__Output,
  type OpenDataSessionResponse,
  type PutChunkFrame__Output,
  type PutChunkResponse,
  type PutObjectRequest__Output,
  type StatObjectRequest__Output,
} from '@tessera/wire';
import { FakeDataStore, metaOf, type DataMethod } from './fake-data-store.js';

export type FaultKind =
  /** The node is unreachable or restarting (UNAVAILABLE, no Tessera code). */
  | 'unavailable'
  /** Too few healthy devices (retriable INSUFFICIENT_DEVICES). */
  | 'insufficient-devices'
  /** The node is not the leader (UNAVAILABLE, RAFT_NOT_LEADER, with `leader` as hint). */
  | 'not-leader'
  /** The node cannot tell whether the write committed (ABORTED, RAFT_UNKNOWN_OUTCOME). */
  | 'unknown-outcome'
  /** The client's deadline passes (DEADLINE_EXCEEDED). */
  | 'deadline'
  /** The HTTP/2 stream broke (INTERNAL, no Tessera code), as grpc-js reports a reset stream. */
  | 'broken-stream'
  /** A gateway's definite refusal that does not consult the session (NOT_FOUND: a chunk it cannot see). */
  | 'chunk-not-found';

export interface Fault {
  readonly method: DataMethod;
  readonly kind: FaultKind;
  /** How many calls fail (default 1; Infinity for every call). */
  readonly times?: number;
  /** Writes: apply first, then fail (the reply is lost). */
  readonly afterApply?: boolean;
  /** not-leader: the leader id the node names. */
  readonly leader?: string;
  /** GetObject: fail after sending this many data bytes. */
  readonly afterBytes?: number;
}

const MAX_LIST = 1_000;

function faultStatus(fault: Fault): Partial<grpc.StatusObject> {
  const metadata = new grpc.Metadata();
  const withCode = (code: ErrorCode): void => metadata.set(ERROR_CODE_METADATA, code);
  switch (fault.kind) {
    case 'unavailable':
      return { code: grpc.status.UNAVAILABLE, details: 'node restarting', metadata };
    case 'insufficient-devices':
      withCode(ErrorCodes.INSUFFICIENT_DEVICES);
      return { code: grpc.status.UNAVAILABLE, details: 'too few healthy devices', metadata };
    case 'not-leader':
      withCode(ErrorCodes.RAFT_NOT_LEADER);
      if (fault.leader !== undefined) metadata.set(LEADER_METADATA, fault.leader);
      return { code: grpc.status.UNAVAILABLE, details: 'not the leader', metadata };
    case 'unknown-outcome':
      withCode(ErrorCodes.RAFT_UNKNOWN_OUTCOME);
      return { code: grpc.status.ABORTED, details: 'outcome unknown', metadata };
    case 'deadline':
      return { code: grpc.status.DEADLINE_EXCEEDED, details: 'deadline exceeded', metadata };
    case 'broken-stream':
      return { code: grpc.status.INTERNAL, details: 'Received RST_STREAM with code 2', metadata };
    case 'chunk-not-found':
      withCode(ErrorCodes.NOT_FOUND);
      return { code: grpc.status.NOT_FOUND, details: 'chunk not found', metadata };
  }
}

function pageToken(name: string): string {
  return name === '' ? '' : Buffer.from(name, 'utf8').toString('base64url');
}

function afterName(token: string): string {
  return token === '' ? '' : Buffer.from(token, 'base64url').toString('utf8');
}

export interface FakeDataServerOptions {
  readonly trustDomain: string;
  /** The node's TLS files (a node certificate of the cluster CA). */
  readonly tls: TlsFiles;
  /** Registry holding the tenant CA(s) whose clients may call. */
  readonly tenantCas: TenantCaRegistry;
  /** Shared with other fake servers to act as one cluster; a new one by default. */
  readonly store?: FakeDataStore;
  /** Names this server in the call log. */
  readonly label?: string;
  /** Data bytes per GetObject frame (default 1 MiB); small values exercise many frames. */
  readonly frameBytes?: number;
}

export class FakeDataServer {
  private readonly faults: Fault[] = [];

  private constructor(
    readonly server: TesseraServer,
    readonly store: FakeDataStore,
    readonly label: string,
  ) {}

  static async start(options: FakeDataServerOptions): Promise<FakeDataServer> {
    const store = options.store ?? new FakeDataStore();
    const label = options.label ?? 'node';
    let self: FakeDataServer | undefined;
    const handlers = dataHandlers(store, label, options.frameBytes ?? FRAME_BYTES, (method) => self!.takeFault(method));
    const server = await startTesseraServer({
      port: 'client',
      trustDomain: options.trustDomain,
      tls: options.tls,
      tenantCas: options.tenantCas,
      services: { Data: handlers },
      // PutObject may name only chunks the caller's tenant holds: here, any chunk the store has.
      resources: { holds: (_tenant, kind, id) => kind === 'chunk' && store.chunks.has(id) },
      watch: false,
    });
    self = new FakeDataServer(server, store, label);
    return self;
  }

  get address(): string {
    return this.server.address;
  }

  /** Queues a fault: the next matching calls fail as described. */
  inject(fault: Fault): void {
    this.faults.push(fault);
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  private takeFault(method: DataMethod): Fault | undefined {
    this.store.attempts.push({ server: this.label, method });
    const i = this.faults.findIndex((f) => f.method === method);
    if (i < 0) return undefined;
    const fault = this.faults[i]!;
    const left = (fault.times ?? 1) - 1;
    if (left <= 0) this.faults.splice(i, 1);
    else this.faults[i] = { ...fault, times: left };
    return fault;
  }

  close(): Promise<void> {
    return this.server.close(0);
  }
}

type Callback<T> = (error: Partial<grpc.StatusObject> | null, value?: T) => void;

/** Runs a unary handler body with an optional fault (before, or after applying when `afterApply`). */
function answer<T>(fault: Fault | undefined, callback: Callback<T>, body: () => T): void {
  if (fault !== undefined && fault.afterApply !== true) return callback(faultStatus(fault));
  let value: T;
  try {
    value = body();
  } catch (err) {
    return callback(toStatus(toTesseraError(err)));
  }
  if (fault !== undefined) return callback(faultStatus(fault));
  callback(null, value);
}

function dataHandlers(store: FakeDataStore, label: string, frameBytes: number, faultFor: (method: DataMethod) => Fault | undefined): DataHandlers {
  return {
    // No bulk port: the client uploads over PutChunk (the path these fakes exercise).
    DescribeBulk(_call: grpc.ServerUnaryCall<DescribeDataBulkRequest__Output, DescribeDataBulkResponse>, callback: Callback<DescribeDataBulkResponse>) {
      callback(null, { address: '' });
    },

    OpenSession(_call: grpc.ServerUnaryCall<OpenDataSessionRequest__Output, OpenDataSessionResponse>, callback: Callback<OpenDataSessionResponse>) {
      answer(faultFor('OpenSession'), callback, () => ({ clientId: store.openSession() }));
    },

    PutChunk(call: grpc.ServerReadableStream<PutChunkFrame__Output, PutChunkResponse>, callback: Callback<PutChunkResponse>) {
      const parts: Buffer[] = [];
      let header: PutChunkFrame__Output['header'];
      let failed = false;
      const fail = (err: TesseraError): void => {
        if (failed) return;
        failed = true;
        callback(toStatus(err));
      };
      call.on('data', (frame: PutChunkFrame__Output) => {
        if (header === undefined) {
          if (frame.header === undefined || frame.header === null) return fail(new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'the first frame must be the header'));
          header = frame.header;
        } else if (frame.data !== undefined) {
          if (frame.data.length > FRAME_BYTES) return fail(new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'a data frame is at most 1 MiB'));
          parts.push(frame.data);
        } else {
          fail(new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'one header only'));
        }
      });
      call.on('end', () => {
        if (failed) return;
        const bytes = Buffer.concat(parts);
        answer(faultFor('PutChunk'), callback, () => {
          if (header === undefined || header === null) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'no header');
          const size = u64Number(header.size);
          if (size < 1 || size > 16 * 1024 * 1024 || size !== bytes.length) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'the data does not match the declared size');
          return store.sessionWrite(label, 'PutChunk', header.session, () => ({ chunkId: store.putChunk(bytes), size: header!.size }));
        });
      });
    },

    PutObject(call: grpc.ServerUnaryCall<PutObjectRequest__Output, ObjectMeta>, callback: Callback<ObjectMeta>) {
      const r = call.request;
      answer(faultFor('PutObject'), callback, () => store.sessionWrite(label, 'PutObject', r.session, () => store.putObject(r.name, r.attributes, r.chunkIds, r.inlineData)));
    },

    GetObject(call: grpc.ServerWritableStream<GetObjectRequest__Output, GetObjectFrame>) {
      const fault = faultFor('GetObject');
      const fail = (status: Partial<grpc.StatusObject>): void => {
        call.emit('error', status);
      };
      if (fault !== undefined && fault.afterBytes === undefined) return fail(faultStatus(fault));
      let bytes: Buffer;
      let meta: ObjectMeta;
      try {
        const object = store.object(call.request.name);
        const offset = call.request.range === null || call.request.range === undefined ? 0 : u64Number(call.request.range.offset);
        const length = call.request.range === null || call.request.range === undefined ? 0 : u64Number(call.request.range.length);
        if (offset > object.size) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'the range starts after the end of the object');
        bytes = store.bytesOf(object, offset, length);
        meta = metaOf(object, true);
      } catch (err) {
        return fail(toStatus(toTesseraError(err)));
      }
      void (async () => {
        const send = async (frame: GetObjectFrame): Promise<void> => {
          if (!call.write(frame)) await new Promise((resolve) => call.once('drain', resolve));
        };
        await send({ info: meta });
        for (let at = 0; at < bytes.length; at += frameBytes) {
          if (fault?.afterBytes !== undefined && at >= fault.afterBytes) return fail(faultStatus(fault));
          await send({ data: bytes.subarray(at, at + frameBytes) });
        }
        call.end();
      })().catch(() => call.destroy());
    },

    StatObject(call: grpc.ServerUnaryCall<StatObjectRequest__Output, ObjectMeta>, callback: Callback<ObjectMeta>) {
      answer(faultFor('StatObject'), callback, () => metaOf(store.object(call.request.name), true));
    },

    ListObjects(call: grpc.ServerUnaryCall<ListObjectsRequest__Output, ListObjectsResponse>, callback: Callback<ListObjectsResponse>) {
      answer(faultFor('ListObjects'), callback, () => {
        const limit = call.request.limit === 0 ? MAX_LIST : call.request.limit;
        if (limit > MAX_LIST) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'at most 1,000 per page');
        const page = store.list(call.request.prefix, limit, afterName(call.request.pageToken));
        return { objects: page.objects, nextPageToken: pageToken(page.next) };
      });
    },

    DeleteObject(call: grpc.ServerUnaryCall<DeleteObjectRequest__Output, DeleteObjectResponse>, callback: Callback<DeleteObjectResponse>) {
      const r = call.request;
      answer(faultFor('DeleteObject'), callback, () => store.sessionWrite(label, 'DeleteObject', r.session, () => ({ existed: store.delete(r.name) })));
    },
  };
}

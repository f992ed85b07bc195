/**
 * Chunk uploads over a node's client-facing bulk port (ADR 0026): the same
 * PutChunk header and answer messages, the chunk as raw bytes after them,
 * instead of 1 MiB gRPC messages (about a third less CPU per byte on both
 * ends). Each node is asked once where its port is (Data.DescribeBulk);
 * until the answer is in, for a node without one, and for a while after a
 * connection to it could not be made, uploads use PutChunk. Failures come
 * back as the RpcFailure the gRPC call would have given, so the router
 * judges and retries them alike.
 */
import type * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError, toTesseraError } from '@tessera/common';
import { BulkClients, BulkConnectError, failureFields, failureFromFields, isBulkAddress, type ReloadableChannelCredentials } from '@tessera/transport';
import { putChunkCodec, u64Number, u64String, type DataClient, type DataSession, type DescribeDataBulkResponse__Output, type PutChunkResponse__Output } from '@tessera/wire';

/** The upload kind on a client-facing bulk port. */
const BULK_PUT_CHUNK = 2;
const CHUNK_ID_BYTES = 32;
const DESCRIBE_TIMEOUT_MS = 5_000;
/** How long a node without a usable bulk port is left on PutChunk before it is asked again. */
const RETRY_MS = 60_000;


type Entry = { readonly kind: 'known'; readonly address: string } | { readonly kind: 'asking' } | { readonly kind: 'none'; readonly until: number };

export class BulkUploads {
  private readonly clients: BulkClients;
  private readonly entries = new Map<string, Entry>();

  constructor(credentials: ReloadableChannelCredentials) {
    this.clients = new BulkClients({ credentials });
  }

  /** The bulk port of the node at `endpoint`, when known; asks the node (in the background) when not. */
  addressFor(endpoint: string, data: DataClient): string | undefined {
    const entry = this.entries.get(endpoint);
    if (entry?.kind === 'known') return entry.address;
    if (entry?.kind === 'asking' || (entry?.kind === 'none' && entry.until > Date.now())) return undefined;
    this.entries.set(endpoint, { kind: 'asking' });
    const none = (): void => void this.entries.set(endpoint, { kind: 'none', until: Date.now() + RETRY_MS });
    const client = data as unknown as grpc.Client & DataClient;
    client.DescribeBulk({}, { deadline: Date.now() + DESCRIBE_TIMEOUT_MS }, (err: grpc.ServiceError | null, res?: DescribeDataBulkResponse__Output) => {
      const address = err === null ? (res?.address ?? '') : '';
      if (address === '' || !isBulkAddress(address)) none();
      else this.entries.set(endpoint, { kind: 'known', address });
    });
    return undefined;
  }

  /**
   * Uploads one chunk over the bulk port at `address`. Resolves with the
   * chunk id; rejects with BulkConnectError when no connection could be made
   * (nothing was sent: the caller may use PutChunk at once), else with an
   * RpcFailure.
   */
  async put(endpoint: string, address: string, session: DataSession, bytes: Buffer, timeoutMs: number, signal: AbortSignal | undefined): Promise<Buffer> {
    const header = putChunkCodec().requestSerialize({ header: { session, size: u64String(bytes.length) } });
    let body: Buffer;
    try {
      body = await this.clients.request(address, BULK_PUT_CHUNK, header, bytes, timeoutMs, signal);
    } catch (err) {
      if (err instanceof BulkConnectError) {
        this.entries.set(endpoint, { kind: 'none', until: Date.now() + RETRY_MS });
        throw err;
      }
      throw failureFromFields(failureFields(toTesseraError(err)));
    }
    let res: PutChunkResponse__Output;
    try {
      res = putChunkCodec().responseDeserialize(body);
    } catch {
      throw unexpected();
    }
    if (res.chunkId.length !== CHUNK_ID_BYTES || u64Number(res.size) !== bytes.length) throw unexpected();
    return Buffer.from(res.chunkId);
  }

  close(): void {
    this.clients.close();
  }
}

function unexpected(): TesseraError {
  return new TesseraError(ErrorCodes.INTERNAL, 'the node answered a bulk upload with an unexpected chunk');
}

/**
 * The tenant SDK: put, get, stat, list and delete the objects of the
 * tenant named by the client's certificate, over mTLS to any node's client
 * port.
 *
 * Writes run in one data session per client, opened on the first write:
 * each carries (client id, seq, acked through). A PutObject or DeleteObject
 * whose outcome is uncertain (dropped connection, deadline, an "unknown
 * outcome" answer) is retried with the same seq, which the cluster answers
 * from its session table if the first attempt was applied; when the retry
 * deadline passes first, the call fails with RAFT_UNKNOWN_OUTCOME. Chunk
 * uploads are idempotent by content, so their retries take a fresh seq.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';
import { BulkConnectError, ClientTls, certificateIdentity, rpcFailure } from '@tessera/transport';
import { BulkUploads } from './bulk-upload.js';
import { FRAME_BYTES, type DataClient, type DataSession, type DeleteObjectResponse__Output, type ListObjectsResponse__Output, type ObjectMeta__Output, type OpenDataSessionResponse__Output } from '@tessera/wire';
import { objectInfoFromWire, type ObjectInfo } from './object-info.js';
import {
  INLINE_MAX_BYTES,
  MAX_PAGE_SIZE,
  MAX_UNARY_ATTEMPT_MS,
  checkName,
  resolveOptions,
  type Endpoint,
  type ResolvedOptions,
  type TesseraClientOptions,
} from './options.js';
import { checkRange, openObject, type ByteRangeOption, type ObjectReadable } from './read.js';
import { Router, type RetryMode } from './router.js';
import { SessionSeqs } from './session.js';
import { ByteReader, sourceIterator, type PutSource } from './source.js';
import { putChunkAttempt, uploadChunks } from './upload.js';

export interface PutOptions {
  /** User attributes stored (encrypted) with this version. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** Called after each chunk upload with its size (progress display). */
  readonly onProgress?: (bytesUploaded: number) => void;
}

export interface ListOptions {
  /** Only names starting with this. */
  readonly prefix?: string;
  /** Names per page fetched from the node, 1 to 1,000 (default 1,000). */
  readonly pageSize?: number;
}

type Invoke<Res> = (options: grpc.CallOptions, callback: (err: grpc.ServiceError | null, res?: Res) => void) => unknown;

function unary<Res>(invoke: Invoke<Res>, timeoutMs: number): Promise<Res> {
  return new Promise<Res>((resolve, reject) => {
    invoke({ deadline: Date.now() + timeoutMs }, (err, res) => {
      if (err !== null) reject(rpcFailure(err));
      else if (res === undefined) reject(new TesseraError(ErrorCodes.INTERNAL, 'empty response'));
      else resolve(res);
    });
  });
}

/** The certificate's trust domain; a cluster admin certificate only with `grantTenant` (it acts under a grant). */
async function trustDomainOf(certFile: string, underGrant: boolean): Promise<string> {
  let pem: Buffer;
  try {
    pem = await readFile(certFile);
  } catch (cause) {
    throw new TesseraError(ErrorCodes.TRANSPORT_TLS_MATERIAL, `cannot read certificate ${certFile}`, { cause });
  }
  const identity = certificateIdentity(pem);
  if (identity === undefined) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'the certificate names no Tessera identity');
  const kind = identity.principal.kind;
  if (underGrant && kind !== 'admin') throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'grantTenant is for a cluster admin certificate (tenant certificates act on their own tenant)');
  if (!underGrant && kind !== 'tenant-client' && kind !== 'tenant-admin') {
    throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'objects are reached with a tenant client or tenant admin certificate (or a cluster admin one with grantTenant)');
  }
  return identity.trustDomain;
}

export class TesseraClient {
  private session: Promise<SessionSeqs> | undefined;
  private readonly unaryTimeoutMs: number;

  /** Chunk uploads over bulk ports (ADR 0026); absent under a grant or with `bulk: false`. */
  private readonly bulk: BulkUploads | undefined;

  private constructor(
    private readonly options: ResolvedOptions,
    private readonly tls: ClientTls,
    private readonly router: Router,
  ) {
    this.unaryTimeoutMs = Math.min(options.attemptTimeoutMs, MAX_UNARY_ATTEMPT_MS);
    this.bulk = options.bulk && options.grantTenant === undefined ? new BulkUploads(tls.credentials) : undefined;
  }

  /**
   * Checks the options and loads the TLS files; connections are made on the
   * first call. The CRL defaults to `ca.crl` beside the CA file.
   */
  static async connect(options: TesseraClientOptions): Promise<TesseraClient> {
    const resolved = resolveOptions(options);
    const trustDomain = await trustDomainOf(options.tls.certFile, resolved.grantTenant !== undefined);
    const tlsFiles = {
      certFile: options.tls.certFile,
      keyFile: options.tls.keyFile,
      caFile: options.tls.caFile,
      crlFile: options.tls.crlFile ?? path.join(path.dirname(options.tls.caFile), 'ca.crl'),
    };
    const tls = await ClientTls.create({ trustDomain, tls: tlsFiles, expect: { kinds: ['node'] } });
    return new TesseraClient(resolved, tls, new Router(resolved.endpoints, tls, resolved.grantTenant));
  }

  /** The node calls go to first (the last one that answered). */
  get endpoint(): string {
    return this.router.preferred.address;
  }

  /**
   * Stores an object. Up to 4 KiB it travels inline; larger objects are cut
   * into `chunkSize` chunks uploaded `concurrency` at a time (a stream is
   * never held whole), then committed by one PutObject. A Uint8Array source
   * must not change until the put resolves.
   */
  async put(source: PutSource, name: string, options: PutOptions = {}): Promise<ObjectInfo> {
    checkName(name);
    const attributes = { ...(options.attributes ?? {}) };
    const reader = new ByteReader(sourceIterator(source, Math.min(this.options.chunkSize, FRAME_BYTES)));
    const head = await reader.read(INLINE_MAX_BYTES + 1);
    if (head.length <= INLINE_MAX_BYTES) {
      const inlineData = Buffer.from(head);
      const meta = await this.sessionWrite<ObjectMeta__Output>('the put', (data, session) => (o, cb) => data.PutObject({ session, name, attributes, inlineData }, o, cb));
      options.onProgress?.(inlineData.length);
      return objectInfoFromWire(meta);
    }
    reader.unshift(head);
    const seqs = await this.openSession();
    const chunkIds = await uploadChunks(reader, this.options.chunkSize, this.options.concurrency, (bytes, signal) => this.uploadChunk(seqs, bytes, signal), options.onProgress);
    const meta = await this.sessionWrite<ObjectMeta__Output>('the put', (data, session) => (o, cb) => data.PutObject({ session, name, attributes, chunkIds }, o, cb));
    return objectInfoFromWire(meta);
  }

  /**
   * Reads an object or a byte range of it as a Node Readable of Buffers
   * (also an AsyncIterable<Buffer>), with the version's metadata as `info`.
   * Resolves once the node has answered (a missing object rejects here with
   * NOT_FOUND); a node failing mid-read is replaced transparently.
   */
  async get(name: string, range?: ByteRangeOption): Promise<ObjectReadable> {
    checkName(name);
    checkRange(range);
    return openObject(this.router, name, range, { retryTimeoutMs: this.options.retryTimeoutMs, idleTimeoutMs: this.options.attemptTimeoutMs });
  }

  /** `get`, collected into one Buffer. */
  async getBuffer(name: string, range?: ByteRangeOption): Promise<Buffer> {
    const parts: Buffer[] = [];
    for await (const part of await this.get(name, range)) parts.push(part as Buffer);
    return Buffer.concat(parts);
  }

  async stat(name: string): Promise<ObjectInfo> {
    checkName(name);
    const meta = await this.read<ObjectMeta__Output>((data) => (o, cb) => data.StatObject({ name }, o, cb));
    return objectInfoFromWire(meta);
  }

  /** Deletes an object; `existed` is false when there was none (nothing is written then). */
  async delete(name: string): Promise<{ existed: boolean }> {
    checkName(name);
    const res = await this.sessionWrite<DeleteObjectResponse__Output>('the delete', (data, session) => (o, cb) => data.DeleteObject({ session, name }, o, cb));
    return { existed: res.existed };
  }

  /** Every object (without attributes) whose name starts with `prefix`, sorted by name, page by page. */
  async *list(options: ListOptions = {}): AsyncGenerator<ObjectInfo> {
    const limit = options.pageSize ?? MAX_PAGE_SIZE;
    if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `pageSize must be 1 to ${MAX_PAGE_SIZE}`);
    const prefix = options.prefix ?? '';
    let pageToken = '';
    for (;;) {
      const token = pageToken;
      const page = await this.read<ListObjectsResponse__Output>((data) => (o, cb) => data.ListObjects({ prefix, limit, pageToken: token }, o, cb));
      for (const meta of page.objects) yield objectInfoFromWire(meta);
      if (page.nextPageToken === '') return;
      pageToken = page.nextPageToken;
    }
  }

  close(): void {
    this.router.close();
    this.bulk?.close();
    this.tls.close();
  }

  // ----- plumbing -----

  private run<T>(mode: RetryMode, what: string, attempt: (data: DataClient, endpoint: Endpoint) => Promise<T>, signal?: AbortSignal): Promise<T> {
    return this.router.run(attempt, { mode, what, retryTimeoutMs: this.options.retryTimeoutMs, ...(signal !== undefined ? { signal } : {}) });
  }

  private read<Res>(build: (data: DataClient) => Invoke<Res>): Promise<Res> {
    return this.run('idempotent', 'a read', (data) => unary(build(data), this.unaryTimeoutMs));
  }

  /** The client's data session, opened once (a failed open is tried again by the next write). */
  private openSession(): Promise<SessionSeqs> {
    if (this.session === undefined) {
      const opening = this.read<OpenDataSessionResponse__Output>((data) => (o, cb) => data.OpenSession({}, o, cb)).then((res) => new SessionSeqs(res.clientId));
      opening.catch(() => {
        if (this.session === opening) this.session = undefined;
      });
      this.session = opening;
    }
    return this.session;
  }

  /** After the cluster has forgotten the session (expired), the next write opens a new one. */
  private forgetLostSession(seqs: SessionSeqs, err: unknown): void {
    const lost = (e: unknown): boolean => isTesseraError(e) && (e.code === ErrorCodes.RAFT_SESSION_EXPIRED || e.code === ErrorCodes.RAFT_SESSION_STALE);
    if (!lost(err) && !(isTesseraError(err) && lost(err.cause))) return;
    void this.session?.then((current) => {
      if (current === seqs) this.session = undefined;
    });
  }

  /** A session write: one seq for every attempt, settled once answered or given up on. */
  private async sessionWrite<Res>(what: string, build: (data: DataClient, session: DataSession) => Invoke<Res>): Promise<Res> {
    const seqs = await this.openSession();
    const seq = seqs.begin();
    try {
      // The acked mark is recomputed per attempt: other writes may have settled meanwhile.
      return await this.run('session', what, (data) => unary(build(data, seqs.wire(seq)), this.unaryTimeoutMs));
    } catch (err) {
      this.forgetLostSession(seqs, err);
      throw err;
    } finally {
      seqs.settle(seq);
    }
  }

  /** Uploads one chunk, each attempt under a fresh seq (the upload is idempotent by content). */
  private uploadChunk(seqs: SessionSeqs, bytes: Buffer, signal: AbortSignal): Promise<Buffer> {
    return this.run(
      'idempotent',
      'a chunk upload',
      async (data, endpoint) => {
        const seq = seqs.begin();
        try {
          const bulk = this.bulk?.addressFor(endpoint.address, data);
          if (bulk !== undefined) {
            try {
              return await this.bulk!.put(endpoint.address, bulk, seqs.wire(seq), bytes, this.options.attemptTimeoutMs, signal);
            } catch (err) {
              // Nothing was sent: the same attempt goes over PutChunk.
              if (!(err instanceof BulkConnectError)) throw err;
            }
          }
          return await putChunkAttempt(data, seqs.wire(seq), bytes, this.options.attemptTimeoutMs, signal);
        } catch (err) {
          this.forgetLostSession(seqs, err);
          throw err;
        } finally {
          seqs.settle(seq);
        }
      },
      signal,
    );
  }
}


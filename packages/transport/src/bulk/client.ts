/**
 * Client side of the bulk port (ADR 0026): a pool of mTLS connections per
 * address, one request at a time on each. Connections are made with the
 * same reloadable context and server identity check as the process's gRPC
 * channels (a bulk port must prove the expected principal, e.g. a node).
 * A payload is written as is (never copied): it must stay unchanged until
 * its request settles. A connection that carried an error answer is closed
 * (the server may still be dropping the rest of the refused request).
 */
import type tls from 'node:tls';
import { ErrorCodes, TesseraError, isTesseraError } from '@tessera/common';
import type { ReloadableChannelCredentials } from '../tls/channel-credentials.js';
import { ANSWER_ERROR, ANSWER_MAGIC, ANSWER_OK, decodeErrorAnswer, encodeRequestHead, FrameReader, MAX_ANSWER_BYTES } from './frame.js';
import { BULK_ALPN } from './server.js';

const DEFAULT_IDLE_PER_ADDRESS = 64;
const CONNECT_TIMEOUT_MS = 10_000;

export interface BulkClientsOptions {
  readonly credentials: ReloadableChannelCredentials;
  /** Idle connections kept per address (default 64). */
  readonly maxIdlePerAddress?: number;
}

function unreachable(message: string): TesseraError {
  return new TesseraError(ErrorCodes.TRANSPORT_PEER_UNREACHABLE, message, { retriable: true });
}

/**
 * No connection to the bulk port could be made (nothing was sent): a caller
 * with another path (gRPC) may take it at once.
 */
export class BulkConnectError extends TesseraError {
  constructor() {
    super(ErrorCodes.TRANSPORT_PEER_UNREACHABLE, 'cannot connect to the bulk port', { retriable: true });
    this.name = 'BulkConnectError';
  }
}

/** `host:port` or `[v6]:port` → its parts; anything else is INVALID_ARGUMENT. */
export function parseBulkAddress(address: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(address);
  const port = m === null ? NaN : Number(m[3]);
  if (m === null || !(port >= 1 && port <= 65535)) throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, 'bulk address must be host:port');
  return { host: m[1] ?? m[2]!, port };
}

/** Whether `address` is a bulk address this client can dial (an announcement from a peer is checked with it). */
export function isBulkAddress(address: string): boolean {
  try {
    parseBulkAddress(address);
    return true;
  } catch {
    return false;
  }
}

class BulkConnection {
  private readonly reader = new FrameReader({
    magic: ANSWER_MAGIC,
    maxHeaderBytes: MAX_ANSWER_BYTES,
    maxPayloadBytes: (status) => (status === ANSWER_OK || status === ANSWER_ERROR ? 0 : undefined),
  });
  private pending: { resolve: (body: Buffer) => void; reject: (err: TesseraError) => void } | undefined;
  closed = false;

  constructor(private readonly socket: tls.TLSSocket) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('end', () => (this.closed = true));
    socket.on('close', () => this.fail(unreachable('bulk connection closed')));
  }

  request(head: Buffer, payload: Uint8Array, timeoutMs: number, signal: AbortSignal | undefined): Promise<Buffer> {
    return new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => this.fail(unreachable('peer did not answer the bulk request in time')), timeoutMs);
      const onAbort = (): void => this.fail(new TesseraError(ErrorCodes.TRANSPORT_CLOSED, 'the bulk request was cancelled'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      this.pending = {
        resolve: (body) => {
          settle();
          resolve(body);
        },
        reject: (err) => {
          settle();
          reject(err);
        },
      };
      if (signal?.aborted === true) {
        onAbort();
        return;
      }
      this.socket.cork();
      this.socket.write(head);
      if (payload.length > 0) this.socket.write(payload);
      this.socket.uncork();
    });
  }

  destroy(): void {
    this.fail(new TesseraError(ErrorCodes.TRANSPORT_CLOSED, 'bulk clients are closed'));
  }

  private onData(chunk: Buffer): void {
    let frames;
    try {
      frames = this.reader.push(chunk);
    } catch (err) {
      this.fail(isTesseraError(err) ? err : unreachable('malformed bulk answer'));
      return;
    }
    for (const frame of frames) {
      const pending = this.pending;
      this.pending = undefined;
      if (pending === undefined) {
        this.fail(new TesseraError(ErrorCodes.CODEC_TRAILING_BYTES, 'bulk answer without a request'));
        return;
      }
      if (frame.kind === ANSWER_OK) {
        pending.resolve(frame.header);
      } else {
        // The server may be dropping the rest of a refused request: this connection is done.
        this.fail(decodeErrorAnswer(frame.header), pending);
        return;
      }
    }
  }

  private fail(err: TesseraError, pending = this.pending): void {
    this.closed = true;
    this.pending = undefined;
    this.socket.destroy();
    pending?.reject(err);
  }
}

export class BulkClients {
  private readonly idle = new Map<string, BulkConnection[]>();
  private readonly active = new Set<BulkConnection>();
  private closed = false;

  constructor(private readonly options: BulkClientsOptions) {}

  /**
   * Sends one request of `kind` to the bulk port at `address`; resolves with
   * the answer body, or rejects with the TesseraError the server answered,
   * BulkConnectError when no connection could be made, TRANSPORT_PEER_UNREACHABLE
   * (retriable) when the connection failed or no answer came within
   * `timeoutMs`, TRANSPORT_CLOSED when `signal` aborted it.
   */
  async request(address: string, kind: number, header: Uint8Array, payload: Uint8Array, timeoutMs: number, signal?: AbortSignal): Promise<Buffer> {
    const head = encodeRequestHead(kind, header, payload.length);
    const connection = await this.connection(address);
    this.active.add(connection);
    try {
      const body = await connection.request(head, payload, timeoutMs, signal);
      this.release(address, connection);
      return body;
    } finally {
      this.active.delete(connection);
    }
  }

  /** Closes every connection; later requests fail with TRANSPORT_CLOSED. */
  close(): void {
    this.closed = true;
    for (const list of this.idle.values()) for (const c of list) c.destroy();
    for (const c of this.active) c.destroy();
    this.idle.clear();
  }

  private release(address: string, connection: BulkConnection): void {
    const list = this.idle.get(address) ?? [];
    if (this.closed || connection.closed || list.length >= (this.options.maxIdlePerAddress ?? DEFAULT_IDLE_PER_ADDRESS)) {
      connection.destroy();
      return;
    }
    list.push(connection);
    this.idle.set(address, list);
  }

  private async connection(address: string): Promise<BulkConnection> {
    if (this.closed) throw new TesseraError(ErrorCodes.TRANSPORT_CLOSED, 'bulk clients are closed');
    const list = this.idle.get(address);
    while (list !== undefined && list.length > 0) {
      const c = list.pop()!;
      if (!c.closed) return c;
    }
    const { host, port } = parseBulkAddress(address);
    let socket: tls.TLSSocket;
    try {
      socket = await withTimeout(this.options.credentials.connectTls(host, port, BULK_ALPN), CONNECT_TIMEOUT_MS, (late) => late.destroy());
    } catch {
      throw new BulkConnectError();
    }
    if (this.closed) {
      socket.destroy();
      throw new TesseraError(ErrorCodes.TRANSPORT_CLOSED, 'bulk clients are closed');
    }
    return new BulkConnection(socket);
  }
}

/** `promise`, or a rejection after `ms`; a value that arrives later goes to `onLate` (to be closed). */
function withTimeout<T>(promise: Promise<T>, ms: number, onLate: (value: T) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      reject(new Error('timed out'));
    }, ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        if (timedOut) onLate(v);
        else resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error('connect failed'));
      },
    );
  });
}

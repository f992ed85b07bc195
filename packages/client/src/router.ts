/**
 * Which node a call goes to, and the retry loop around every call.
 *
 * Any node serves the Data API (it forwards metadata writes to the Raft
 * leader), so calls stick to the node that answered last. A node that is
 * unreachable, or that says it is not the leader and cannot forward, sends
 * the client elsewhere: straight to the leader it names when that id was
 * given with an endpoint (`ID=host:port`), to the next endpoint otherwise.
 * Retries pause with a growing, jittered backoff until the call's retry
 * deadline.
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorCodes, TesseraError, toTesseraError } from '@tessera/common';
import { RpcFailure, createClient, type ClientTls } from '@tessera/transport';
import { tesseraV1, type DataClient } from '@tessera/wire';
import { judge, outcomeUnknown } from './failures.js';
import type { Endpoint } from './options.js';

/** How a call may be repeated after a failure whose outcome is not known. */
export type RetryMode =
  /** Reads and idempotent uploads: repeat after any retriable failure. */
  | 'idempotent'
  /** Session writes: repeated with the same seq only; giving up after a maybe-applied attempt is "outcome unknown". */
  | 'session';

export interface RunOptions {
  readonly mode: RetryMode;
  readonly retryTimeoutMs: number;
  /** Names the operation in an outcome-unknown error (never object bytes). */
  readonly what: string;
  readonly signal?: AbortSignal;
}

const FIRST_PAUSE_MS = 25;
const MAX_PAUSE_MS = 1_000;

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted === true) return reject(abortReason(signal));
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function aborted(signal: AbortSignal | undefined): signal is AbortSignal {
  return signal?.aborted === true;
}

export function abortReason(signal: AbortSignal): TesseraError {
  const reason: unknown = signal.reason;
  return reason instanceof TesseraError ? reason : new TesseraError(ErrorCodes.TRANSPORT_CLOSED, 'the operation was cancelled');
}

/** Adds the `tessera-tenant` header to every call (a cluster admin acting under a grant). */
function tenantHeader(tenant: string): grpc.Interceptor {
  return (options, nextCall) =>
    new grpc.InterceptingCall(nextCall(options), {
      start(metadata, listener, next) {
        metadata.set('tessera-tenant', tenant);
        next(metadata, listener);
      },
    });
}

export class Router {
  private readonly endpoints: Endpoint[];
  private readonly clients = new Map<string, DataClient>();
  private current = 0;
  private closed = false;

  constructor(
    endpoints: readonly Endpoint[],
    private readonly tls: ClientTls,
    /** A cluster admin's tenant under a grant: sent with every call as `tessera-tenant`. */
    private readonly grantTenant?: string,
  ) {
    this.endpoints = [...endpoints];
  }

  /** The endpoint calls go to first. */
  get preferred(): Endpoint {
    return this.endpoints[this.current]!;
  }

  private client(address: string): DataClient {
    if (this.closed) throw new TesseraError(ErrorCodes.TRANSPORT_CLOSED, 'the client is closed');
    let client = this.clients.get(address);
    if (client === undefined) {
      const tenant = this.grantTenant;
      client = createClient(tesseraV1().Data, address, this.tls, {
        'grpc.use_local_subchannel_pool': 1,
        ...(tenant !== undefined ? { interceptors: [tenantHeader(tenant)] } : {}),
      });
      this.clients.set(address, client);
    }
    return client;
  }

  /** Runs `attempt` until it succeeds, fails for good, or the retry deadline passes. */
  async run<T>(attempt: (data: DataClient, endpoint: Endpoint) => Promise<T>, options: RunOptions): Promise<T> {
    const deadline = Date.now() + options.retryTimeoutMs;
    let pause = FIRST_PAUSE_MS;
    let maybeApplied = false;
    let at = this.current;
    for (;;) {
      if (options.signal?.aborted === true) throw abortReason(options.signal);
      const endpoint = this.endpoints[at]!;
      let failure: TesseraError;
      try {
        const result = await attempt(this.client(endpoint.address), endpoint);
        this.current = at;
        return result;
      } catch (err) {
        failure = toTesseraError(err);
      }
      // (Re-read: the attempt may have been cancelled by the signal while it ran.)
      if (aborted(options.signal)) throw abortReason(options.signal);
      if (!(failure instanceof RpcFailure)) throw failure;
      const verdict = judge(failure);
      if (verdict.outcome === 'maybe-done') maybeApplied = true;
      const giveUp = (): TesseraError => (options.mode === 'session' && maybeApplied ? outcomeUnknown(options.what, failure) : failure);
      // After an attempt that may have been applied, a definite refusal speaks
      // only for its own attempt: a gateway refuses some requests before the
      // session is consulted (a chunk it cannot see yet, an expired session),
      // so the write's outcome stays unknown (chaos: asymmetric-cut).
      if (verdict.outcome === 'final') throw giveUp();
      const hinted = failure.leader === undefined ? -1 : this.endpoints.findIndex((e) => e.id === failure.leader);
      if (hinted >= 0 && hinted !== at) {
        // A named leader we know: go there at once (the next failure pauses).
        if (Date.now() > deadline) throw giveUp();
        at = hinted;
        continue;
      }
      const wait = Math.round(pause * (0.5 + Math.random() / 2));
      if (Date.now() + wait > deadline) throw giveUp();
      if (verdict.move) at = (at + 1) % this.endpoints.length;
      await sleep(wait, options.signal);
      pause = Math.min(pause * 2, MAX_PAUSE_MS);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }
}

/**
 * The client end of one `Kv.Writes` stream (ADR 0023): a session's writes
 * to one node, one request at a time, each answered by a reply naming its
 * seq. Anything unexpected — the stream ends or fails, a reply names
 * another seq, no reply within the attempt timeout — breaks the stream for
 * good and fails the request in flight as an unknown outcome; the session
 * then retries that seq through the unary calls (which the state machine
 * answers from its session table if the first attempt did commit).
 */
import * as grpc from '@grpc/grpc-js';
import { ErrorCodes } from '@tessera/common';
import type { NodeId } from '@tessera/raft';
import { RpcFailure, rpcFailure } from '@tessera/transport';
import type { KvClient, KvWriteReply__Output, KvWriteRequest } from '@tessera/wire';

interface Pending {
  readonly seq: string;
  readonly resolve: (reply: KvWriteReply__Output) => void;
  readonly reject: (err: RpcFailure) => void;
  readonly timer: NodeJS.Timeout;
}

/** The failure a request in flight gets when its stream breaks: its outcome is unknown. */
function brokenStream(message: string): RpcFailure {
  return new RpcFailure(grpc.status.ABORTED, ErrorCodes.RAFT_UNKNOWN_OUTCOME, message, undefined);
}

export class WritesStream {
  private readonly call: grpc.ClientDuplexStream<KvWriteRequest, KvWriteReply__Output>;
  private pending: Pending | undefined;
  private isBroken = false;
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    /** The node this stream writes to. */
    readonly node: NodeId,
    kv: KvClient,
    private readonly timeoutMs: number,
  ) {
    this.call = kv.Writes();
    this.call.on('data', (reply: KvWriteReply__Output) => {
      const pending = this.pending;
      if (pending === undefined || reply.seq !== pending.seq) {
        this.break(brokenStream('the Writes stream answered a request it was not asked'));
        return;
      }
      this.pending = undefined;
      clearTimeout(pending.timer);
      pending.resolve(reply);
    });
    this.call.on('error', (err: grpc.ServiceError) => this.break(rpcFailure(err)));
    this.call.on('end', () => this.break(brokenStream('the Writes stream ended')));
  }

  /** False once the stream failed or was closed: open a new one. */
  get usable(): boolean {
    return !this.isBroken;
  }

  /** Sends one write and resolves with its reply; rejects with an RpcFailure when the stream breaks first. */
  request(request: KvWriteRequest, seq: string): Promise<KvWriteReply__Output> {
    if (this.isBroken) return Promise.reject(brokenStream('the Writes stream is closed'));
    if (this.pending !== undefined) return Promise.reject(new RpcFailure(grpc.status.INVALID_ARGUMENT, ErrorCodes.INVALID_ARGUMENT, 'one request at a time per Writes stream', undefined));
    return new Promise<KvWriteReply__Output>((resolve, reject) => {
      const timer = setTimeout(() => this.break(new RpcFailure(grpc.status.DEADLINE_EXCEEDED, ErrorCodes.RAFT_TIMEOUT, 'no answer on the Writes stream in time', undefined)), this.timeoutMs);
      this.pending = { seq, resolve, reject, timer };
      this.call.write(request);
    });
  }

  /** Ends the stream (the request in flight, if any, fails as an unknown outcome). */
  close(): void {
    this.break(brokenStream('the Writes stream was closed'));
  }

  onClose(listener: () => void): void {
    this.closeListeners.push(listener);
  }

  private break(err: RpcFailure): void {
    if (this.isBroken) return;
    this.isBroken = true;
    const pending = this.pending;
    this.pending = undefined;
    if (pending !== undefined) {
      clearTimeout(pending.timer);
      pending.reject(err);
    }
    this.call.cancel();
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}

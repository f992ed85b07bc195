/**
 * A bounded outbound queue to one peer. Producers (the Raft transport) call
 * `send` and never wait; a pump drains the queue in batches through an async
 * `write` (a gRPC stream write that respects back-pressure). When the queue
 * is full — the peer is slow or gone — new messages are dropped and the peer
 * is reported unreachable, which is what Raft expects from a lossy link: it
 * retries, and it stops optimistic replication to that follower.
 */
import { ErrorCodes, TesseraError } from '@tessera/common';

export type UnreachableReason = 'queue-full' | 'write-failed';

export interface PeerSenderOptions<T> {
  /** Peer id, passed back in `onUnreachable`. */
  readonly peer: string;
  /** Most messages queued (not yet handed to `write`). */
  readonly maxQueuedMessages: number;
  /** Most bytes queued, by `sizeOf`. */
  readonly maxQueuedBytes: number;
  /** Most messages per `write` call. */
  readonly maxBatchMessages: number;
  /** Most bytes per `write` call (a single larger message still goes alone). */
  readonly maxBatchBytes: number;
  readonly sizeOf: (message: T) => number;
  /** Sends one batch; resolves when the link accepted it (back-pressure), rejects when the link failed. */
  readonly write: (batch: readonly T[]) => Promise<void>;
  /** Reported once per episode: again only after a batch was written successfully. */
  readonly onUnreachable: (peer: string, reason: UnreachableReason) => void;
}

export interface PeerSenderStats {
  readonly queuedMessages: number;
  readonly queuedBytes: number;
  readonly sentMessages: number;
  readonly droppedMessages: number;
}

export class PeerSender<T> {
  private queue: { message: T; size: number }[] = [];
  private head = 0;
  private queuedBytes = 0;
  private pumping = false;
  private closed = false;
  private reported = false;
  private sent = 0;
  private dropped = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: PeerSenderOptions<T>) {
    for (const key of ['maxQueuedMessages', 'maxQueuedBytes', 'maxBatchMessages', 'maxBatchBytes'] as const) {
      if (!Number.isSafeInteger(options[key]) || options[key] < 1) {
        throw new TesseraError(ErrorCodes.INVALID_ARGUMENT, `${key} must be a positive integer`);
      }
    }
  }

  /** Queues a message; false when it was dropped (queue full or sender closed). */
  send(message: T): boolean {
    if (this.closed) return false;
    const size = this.options.sizeOf(message);
    const count = this.queue.length - this.head;
    if (count + 1 > this.options.maxQueuedMessages || this.queuedBytes + size > this.options.maxQueuedBytes) {
      this.dropped++;
      this.report('queue-full');
      return false;
    }
    this.queue.push({ message, size });
    this.queuedBytes += size;
    if (!this.pumping) {
      this.pumping = true;
      // Let messages produced in the same tick join the first batch.
      queueMicrotask(() => void this.pump());
    }
    return true;
  }

  stats(): PeerSenderStats {
    return {
      queuedMessages: this.queue.length - this.head,
      queuedBytes: this.queuedBytes,
      sentMessages: this.sent,
      droppedMessages: this.dropped,
    };
  }

  /** Resolves once the queue is empty and no write is in flight (graceful shutdown, tests). */
  flushed(): Promise<void> {
    if (!this.pumping && this.head === this.queue.length) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops everything queued and refuses further messages. */
  close(): void {
    this.closed = true;
    this.dropped += this.queue.length - this.head;
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
    if (!this.pumping) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private report(reason: UnreachableReason): void {
    if (this.reported) return;
    this.reported = true;
    this.options.onUnreachable(this.options.peer, reason);
  }

  private takeBatch(): T[] {
    const batch: T[] = [];
    let bytes = 0;
    while (this.head < this.queue.length && batch.length < this.options.maxBatchMessages) {
      const item = this.queue[this.head];
      if (item === undefined) break;
      if (batch.length > 0 && bytes + item.size > this.options.maxBatchBytes) break;
      batch.push(item.message);
      bytes += item.size;
      this.queuedBytes -= item.size;
      this.head++;
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  private async pump(): Promise<void> {
    try {
      while (!this.closed && this.head < this.queue.length) {
        const batch = this.takeBatch();
        try {
          await this.options.write(batch);
          this.sent += batch.length;
          this.reported = false;
        } catch {
          this.dropped += batch.length;
          this.report('write-failed');
        }
      }
    } finally {
      this.pumping = false;
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
  }
}

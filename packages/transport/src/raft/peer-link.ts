/**
 * The link to one peer: a long-lived `Raft.Exchange` stream carrying batches
 * of envelopes, fed by a bounded `PeerSender` queue, plus at most one
 * `InstallSnapshot` transfer at a time.
 *
 * Nothing here ever blocks the caller. `send` queues and returns; when the
 * queue is full, or the link failed recently (a short, growing back-off), it
 * returns false at once and the Raft driver reports the peer unreachable.
 * A failed stream is replaced by a new one on the next batch after the
 * back-off; whatever was buffered in it is lost, which Raft tolerates (it
 * retries appends, heartbeats and votes).
 */
import type * as grpc from '@grpc/grpc-js';
import { trace, tracing, type NodeId } from '@tessera/raft';
import { channelOptions } from '../client/channel.js';
import { PeerSender } from '../peer-sender.js';
import type { ReloadableChannelCredentials } from '../tls/channel-credentials.js';
import {
  MAX_RAFT_BATCH_BYTES,
  tesseraV1,
  type RaftBatch,
  type RaftClient,
  type RaftEnvelope as WireEnvelopeInput,
  type RaftFeedback__Output,
  type SnapshotFrame,
} from '@tessera/wire';
import type { OutgoingEnvelope } from './envelope.js';
import type { PeerCredentials } from './peer-credentials.js';
import { snapshotFrames } from './snapshot-frames.js';

export interface PeerLinkLimits {
  /** Envelopes queued before `send` drops. */
  readonly maxQueuedMessages: number;
  /** Bytes queued before `send` drops. */
  readonly maxQueuedBytes: number;
  /** Envelopes per RaftBatch. */
  readonly maxBatchMessages: number;
  /** Bytes per RaftBatch (a single larger envelope travels alone). */
  readonly maxBatchBytes: number;
  /** Deadline of one snapshot transfer. */
  readonly snapshotTimeoutMs: number;
  /** First and longest pause after a link failure, during which sends are refused. */
  readonly minBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_LINK_LIMITS: PeerLinkLimits = {
  maxQueuedMessages: 4096,
  maxQueuedBytes: 32 * 1024 * 1024,
  maxBatchMessages: 512,
  maxBatchBytes: MAX_RAFT_BATCH_BYTES,
  snapshotTimeoutMs: 120_000,
  minBackoffMs: 50,
  maxBackoffMs: 1_000,
};

export type LinkEvent =
  | { readonly kind: 'connected'; readonly peer: NodeId }
  | { readonly kind: 'failed'; readonly peer: NodeId; readonly code: number | undefined }
  | { readonly kind: 'refused'; readonly peer: NodeId; readonly reason: string }
  | { readonly kind: 'snapshot'; readonly peer: NodeId; readonly ok: boolean; readonly bytes: number };

export interface PeerLinkStats {
  readonly queuedMessages: number;
  readonly sentMessages: number;
  readonly droppedMessages: number;
  readonly streamsOpened: number;
  readonly snapshotsSent: number;
}

interface StreamState {
  readonly call: grpc.ClientDuplexStream<RaftBatch, RaftFeedback__Output>;
  broken: boolean;
  /** Writers waiting for 'drain'. */
  readonly waiters: Array<{ resolve: () => void; reject: (err: Error) => void }>;
}

export class PeerLink {
  private readonly client: RaftClient;
  private readonly credentials: ReloadableChannelCredentials;
  private readonly sender: PeerSender<OutgoingEnvelope>;
  private stream: StreamState | undefined;
  private seq = 0;
  private downUntil = 0;
  private backoffMs = 0;
  private snapshotInFlight = false;
  private closed = false;
  private streamsOpened = 0;
  private snapshotsSent = 0;

  constructor(
    readonly peer: NodeId,
    readonly address: string,
    private readonly creds: PeerCredentials,
    private readonly limits: PeerLinkLimits,
    private readonly onEvent: (event: LinkEvent) => void,
  ) {
    this.credentials = creds.forPeer(peer);
    const Raft = tesseraV1().Raft;
    this.client = new Raft(address, this.credentials, channelOptions({ 'grpc.use_local_subchannel_pool': 1 }));
    this.sender = new PeerSender<OutgoingEnvelope>({
      peer,
      maxQueuedMessages: limits.maxQueuedMessages,
      maxQueuedBytes: limits.maxQueuedBytes,
      maxBatchMessages: limits.maxBatchMessages,
      maxBatchBytes: limits.maxBatchBytes,
      sizeOf: (e) => e.size,
      write: (batch) => this.writeBatch(batch.map((e) => e.wire)),
      // A full queue is reported by `send` returning false; a failed write by the back-off.
      onUnreachable: () => undefined,
    });
  }

  /** Queues an envelope; false when it was dropped (queue full, link backing off, or closed). */
  send(envelope: OutgoingEnvelope): boolean {
    if (this.closed || Date.now() < this.downUntil) return false;
    return this.sender.send(envelope);
  }

  /**
   * Starts streaming an encoded snap message; false when one is already in
   * flight to this peer or the link is backing off. The outcome arrives as a
   * `snapshot` event; a lost transfer is repaired by Raft itself (the
   * follower stays behind and the leader sends a snapshot again).
   */
  sendSnapshot(envelope: WireEnvelopeInput, encoded: Buffer): boolean {
    if (this.closed || this.snapshotInFlight || Date.now() < this.downUntil) return false;
    this.snapshotInFlight = true;
    this.streamSnapshot(envelope, encoded).then(
      (ok) => {
        if (ok) this.snapshotsSent++;
        this.onEvent({ kind: 'snapshot', peer: this.peer, ok, bytes: encoded.byteLength });
      },
      () => this.onEvent({ kind: 'snapshot', peer: this.peer, ok: false, bytes: encoded.byteLength }),
    ).finally(() => {
      this.snapshotInFlight = false;
    });
    return true;
  }

  stats(): PeerLinkStats {
    const s = this.sender.stats();
    return { queuedMessages: s.queuedMessages, sentMessages: s.sentMessages, droppedMessages: s.droppedMessages, streamsOpened: this.streamsOpened, snapshotsSent: this.snapshotsSent };
  }

  /** Resolves once everything queued was handed to the stream. */
  flushed(): Promise<void> {
    return this.sender.flushed();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.sender.close();
    const stream = this.stream;
    this.stream = undefined;
    if (stream !== undefined) this.breakStream(stream, undefined, false);
    this.client.close();
    this.creds.release(this.credentials);
  }

  // ----- the Exchange stream -----

  private openStream(): StreamState {
    if (this.stream !== undefined && !this.stream.broken) return this.stream;
    const call = this.client.Exchange();
    const state: StreamState = { call, broken: false, waiters: [] };
    this.streamsOpened++;
    call.on('metadata', () => {
      // The server answered: the link works again.
      this.backoffMs = 0;
      this.onEvent({ kind: 'connected', peer: this.peer });
    });
    call.on('data', (feedback: RaftFeedback__Output) => {
      if (feedback.kind === 'refused' && feedback.refused) this.onEvent({ kind: 'refused', peer: this.peer, reason: feedback.refused.reason });
    });
    call.on('error', (err: grpc.ServiceError) => this.breakStream(state, err.code, true));
    call.on('end', () => this.breakStream(state, undefined, true));
    call.on('close', () => this.breakStream(state, undefined, true));
    call.on('drain', () => {
      for (const w of state.waiters.splice(0)) w.resolve();
    });
    this.stream = state;
    return state;
  }

  private breakStream(state: StreamState, code: number | undefined, failed: boolean): void {
    if (state.broken) return;
    state.broken = true;
    if (this.stream === state) this.stream = undefined;
    const err = new Error('raft link failed');
    for (const w of state.waiters.splice(0)) w.reject(err);
    state.call.cancel();
    if (failed && !this.closed) {
      this.backoffMs = Math.min(this.limits.maxBackoffMs, Math.max(this.limits.minBackoffMs, this.backoffMs * 2));
      this.downUntil = Date.now() + this.backoffMs;
      this.onEvent({ kind: 'failed', peer: this.peer, code });
    }
  }

  /** Resolves when the stream took the batch (or buffered it below its high-water mark). */
  private writeBatch(messages: WireEnvelopeInput[]): Promise<void> {
    if (this.closed || Date.now() < this.downUntil) return Promise.reject(new Error('raft link is down'));
    const state = this.openStream();
    if (tracing) trace('write', { to: this.peer, n: messages.length });
    return new Promise<void>((resolve, reject) => {
      const batch: RaftBatch = { seq: String(++this.seq), messages };
      if (state.call.write(batch)) resolve();
      else state.waiters.push({ resolve, reject });
    });
  }

  // ----- InstallSnapshot -----

  private streamSnapshot(envelope: WireEnvelopeInput, encoded: Buffer): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let finished = false;
      const finish = (ok: boolean): void => {
        if (finished) return;
        finished = true;
        resolve(ok);
      };
      const call = this.client.InstallSnapshot({ deadline: Date.now() + this.limits.snapshotTimeoutMs }, (err, receipt) => {
        finish(err === null && receipt?.accepted === true);
      });
      call.on('error', () => finish(false));
      const frames = snapshotFrames(envelope, encoded);
      const pump = (): void => {
        for (;;) {
          if (finished) return;
          const next = frames.next();
          if (next.done === true) {
            call.end();
            return;
          }
          if (!call.write(next.value satisfies SnapshotFrame)) {
            call.once('drain', pump);
            return;
          }
        }
      };
      pump();
    });
  }
}

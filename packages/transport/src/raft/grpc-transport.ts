/**
 * `GrpcRaftTransport`: @tessera/raft's `Transport` over the peer port.
 *
 * Sending: every envelope is encoded with the raft message codec and queued
 * on the link to its recipient (one `Raft.Exchange` stream per peer, carrying
 * batches); snap messages go through `InstallSnapshot` in ≤ 1 MiB frames.
 * The recipient's address is the node config's override (`peers.<id>.address`)
 * when there is one, else the address committed for it in the group's
 * configuration. `send` never waits: a full queue, a link backing off after a
 * failure or an unknown address make it return false, and the driver reports
 * the peer unreachable.
 *
 * Receiving: the service handlers (mounted on the peer port, behind the
 * authorization interceptor that already admits only node and key-manager
 * principals; admission then requires the group's own member kind) check every envelope against the verified principal and the
 * group's committed state (admission.ts), decode it, and hand it to the
 * group's subscriber. Refusals are counted and reported to the sender on the
 * stream; a peer that claims another node's id loses the stream.
 */
import * as grpc from '@grpc/grpc-js';
import { Logger, toTesseraError } from '@tessera/common';
import {
  MessageType,
  decodeMessage,
  encodeMessage,
  type EnvelopeHandler,
  type Message,
  type NodeId,
  type RaftEnvelope,
  type Transport,
  trace,
  tracing,
} from '@tessera/raft';
import type { Principal } from '../identity/principal.js';
import type { CallWithAuthContext } from '../server/server.js';
import type { RaftBatch__Output, RaftFeedback, SnapshotFrame__Output, SnapshotReceipt } from '@tessera/wire';
import { admit, type GroupView, type Refusal } from './admission.js';
import { incarnationOf, toWire, type WireEnvelope } from './envelope.js';
import type { PeerCredentials } from './peer-credentials.js';
import { DEFAULT_LINK_LIMITS, PeerLink, type LinkEvent, type PeerLinkLimits, type PeerLinkStats } from './peer-link.js';
import { SnapshotAssembler } from './snapshot-frames.js';

export interface GrpcRaftTransportOptions {
  readonly localId: NodeId;
  readonly credentials: PeerCredentials;
  /** `peers.<id>.address` from the node config: wins over committed addresses. */
  readonly peerAddresses?: ReadonlyMap<NodeId, string>;
  readonly limits?: Partial<PeerLinkLimits>;
  /** Largest encoded snapshot message accepted from a peer. Default 256 MiB. */
  readonly maxSnapshotBytes?: number;
  readonly logger?: Logger;
}

export interface TransportStats {
  sent: number;
  /** Refused by `send`: queue full, link backing off, no address, unencodable. */
  dropped: number;
  received: number;
  refused: number;
  snapshotsSent: number;
  snapshotsReceived: number;
}

export const DEFAULT_MAX_SNAPSHOT_BYTES = 256 * 1024 * 1024;

type ExchangeCall = grpc.ServerDuplexStream<RaftBatch__Output, RaftFeedback>;
type SnapshotCall = grpc.ServerReadableStream<SnapshotFrame__Output, SnapshotReceipt>;

export class GrpcRaftTransport implements Transport {
  readonly localId: NodeId;
  readonly counters: TransportStats = { sent: 0, dropped: 0, received: 0, refused: 0, snapshotsSent: 0, snapshotsReceived: 0 };
  private readonly handlers = new Map<number, EnvelopeHandler>();
  private readonly views = new Map<number, GroupView>();
  private readonly links = new Map<NodeId, PeerLink>();
  private readonly peerUp = new Map<NodeId, boolean>();
  private readonly overrides: ReadonlyMap<NodeId, string>;
  private readonly limits: PeerLinkLimits;
  private readonly maxSnapshotBytes: number;
  private readonly logger: Logger;
  private readonly calls = new Set<ExchangeCall>();
  private principalOf: ((call: CallWithAuthContext) => Principal) | undefined;
  private closed = false;

  constructor(private readonly options: GrpcRaftTransportOptions) {
    this.localId = options.localId;
    this.overrides = options.peerAddresses ?? new Map();
    this.limits = { ...DEFAULT_LINK_LIMITS, ...options.limits };
    this.maxSnapshotBytes = options.maxSnapshotBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES;
    this.logger = options.logger ?? new Logger({ level: 'warn' });
  }

  // ----- Transport -----

  send(envelope: RaftEnvelope): boolean {
    const ok = this.trySend(envelope);
    if (ok) this.counters.sent++;
    else this.counters.dropped++;
    return ok;
  }

  subscribe(group: number, handler: EnvelopeHandler): () => void {
    this.handlers.set(group, handler);
    return () => {
      if (this.handlers.get(group) === handler) this.handlers.delete(group);
    };
  }

  /** What admission and address resolution need to know about a group served here. */
  registerGroup(group: number, view: GroupView): () => void {
    this.views.set(group, view);
    return () => {
      if (this.views.get(group) === view) this.views.delete(group);
    };
  }

  /** The address used for `peer`: the configured override, else the committed one. */
  addressOf(peer: NodeId, group: number): string | undefined {
    const override = this.overrides.get(peer);
    if (override !== undefined) return override;
    const member = this.views.get(group)?.confState().members?.find((m) => m.id === peer);
    return member !== undefined && member.address !== '' ? member.address : undefined;
  }

  linkStats(): ReadonlyMap<NodeId, PeerLinkStats> {
    return new Map([...this.links].map(([peer, link]) => [peer, link.stats()]));
  }

  /** Drops every link (their queues are lost) and refuses further sends. */
  close(): void {
    this.closed = true;
    for (const link of this.links.values()) link.close();
    this.links.clear();
    for (const call of this.calls) call.end();
    this.calls.clear();
  }

  private trySend(envelope: RaftEnvelope): boolean {
    const message = envelope.message;
    // Only our own messages: a peer ends the stream of a node that speaks for another.
    if (this.closed || message.from !== this.localId || message.to === this.localId) return false;
    const address = this.addressOf(message.to, envelope.group);
    if (address === undefined) return false;
    const link = this.linkFor(message.to, address);
    let encoded: Buffer;
    try {
      encoded = encodeMessage(message);
    } catch (err) {
      this.logger.warn('raft message not encodable', { to: message.to, type: message.type, code: toTesseraError(err).code });
      return false;
    }
    const members = this.views.get(envelope.group)?.confState().members;
    const out = toWire(envelope, incarnationOf(members, message.to), encoded);
    return message.type === MessageType.Snap ? link.sendSnapshot(out.wire, encoded) : link.send(out);
  }

  private linkFor(peer: NodeId, address: string): PeerLink {
    const existing = this.links.get(peer);
    if (existing !== undefined && existing.address === address) return existing;
    existing?.close();
    const link = new PeerLink(peer, address, this.options.credentials, this.limits, (event) => this.onLinkEvent(event));
    this.links.set(peer, link);
    return link;
  }

  private onLinkEvent(event: LinkEvent): void {
    switch (event.kind) {
      case 'connected':
        if (this.peerUp.get(event.peer) !== true) this.logger.info('raft peer connected', { peer: event.peer });
        this.peerUp.set(event.peer, true);
        return;
      case 'failed':
        if (this.peerUp.get(event.peer) !== false) this.logger.info('raft peer unreachable', { peer: event.peer, grpcCode: event.code ?? null });
        this.peerUp.set(event.peer, false);
        return;
      case 'refused':
        this.logger.debug('raft peer refused a message', { peer: event.peer, reason: event.reason });
        return;
      case 'snapshot':
        if (event.ok) this.counters.snapshotsSent++;
        this.logger.info('raft snapshot sent', { peer: event.peer, ok: event.ok, bytes: event.bytes });
        return;
    }
  }

  // ----- the Raft service (peer port) -----

  /**
   * The `tessera.v1.Raft` implementation to mount on the peer port. `principalOf`
   * (usually `TesseraServer.principalOf`) reads the caller's verified identity.
   */
  service(principalOf: (call: CallWithAuthContext) => Principal): grpc.UntypedServiceImplementation {
    this.principalOf = principalOf;
    return {
      Exchange: (call: ExchangeCall) => this.onExchange(call),
      InstallSnapshot: (call: SnapshotCall, callback: grpc.sendUnaryData<SnapshotReceipt>) => this.onInstallSnapshot(call, callback),
    };
  }

  private principal(call: CallWithAuthContext): Principal | undefined {
    try {
      return this.principalOf?.(call);
    } catch {
      return undefined;
    }
  }

  private onExchange(call: ExchangeCall): void {
    const principal = this.principal(call);
    if (principal === undefined || this.closed) {
      call.emit('error', { code: grpc.status.UNAUTHENTICATED, details: 'unauthenticated' });
      return;
    }
    this.calls.add(call);
    // Headers now, so the sender learns at once that the link works.
    call.sendMetadata(new grpc.Metadata());
    call.on('data', (batch: RaftBatch__Output) => {
      if (tracing) trace('recv', { node: this.localId, n: batch.messages.length });
      let reported = false;
      for (const envelope of batch.messages) {
        const refusal = this.deliver(principal, envelope);
        if (refusal === undefined) continue;
        if (refusal === 'fatal') {
          this.logger.warn('raft peer sent for another node; stream closed', { peer: principal.spiffeId });
          this.calls.delete(call);
          call.emit('error', { code: grpc.status.PERMISSION_DENIED, details: 'permission denied' });
          return;
        }
        // One refusal per batch is enough for the sender to learn why.
        if (!reported) call.write({ refused: { seq: batch.seq, groupId: envelope.groupId, reason: refusal } });
        reported = true;
      }
    });
    call.on('end', () => {
      this.calls.delete(call);
      call.end();
    });
    call.on('error', () => this.calls.delete(call));
    call.on('cancelled', () => this.calls.delete(call));
  }

  /** Hands one envelope to its group; returns why it was refused, or 'fatal'. */
  private deliver(principal: Principal, envelope: WireEnvelope): Refusal | 'fatal' | undefined {
    this.counters.received++;
    const admission = admit(principal, envelope, (g) => this.views.get(g));
    if (!admission.ok) {
      this.counters.refused++;
      return admission.fatal ? 'fatal' : admission.refusal;
    }
    let message: Message;
    try {
      message = decodeMessage(envelope.message);
    } catch {
      this.counters.refused++;
      return 'RAFT_REFUSAL_MALFORMED';
    }
    if (message.from !== envelope.from || message.to !== envelope.to) {
      this.counters.refused++;
      return 'RAFT_REFUSAL_MALFORMED';
    }
    const handler = this.handlers.get(admission.group);
    if (handler === undefined) {
      this.counters.refused++;
      return 'RAFT_REFUSAL_UNKNOWN_GROUP';
    }
    handler({ group: admission.group, clusterId: envelope.clusterId, fromIncarnation: envelope.fromIncarnationId, message });
    return undefined;
  }

  private onInstallSnapshot(call: SnapshotCall, callback: grpc.sendUnaryData<SnapshotReceipt>): void {
    let answered = false;
    const answer = (err: Partial<grpc.StatusObject> | null, receipt?: SnapshotReceipt): void => {
      if (answered) return;
      answered = true;
      if (err !== null) callback(err);
      else callback(null, receipt);
    };
    const principal = this.principal(call);
    if (principal === undefined || this.closed) {
      answer({ code: grpc.status.UNAUTHENTICATED, details: 'unauthenticated' });
      return;
    }
    const assembler = new SnapshotAssembler(this.maxSnapshotBytes);
    call.on('data', (frame: SnapshotFrame__Output) => {
      if (answered) return;
      try {
        // Check the envelope on the header, before buffering any data.
        if (frame.kind === 'header' && frame.header?.envelope) {
          const admission = admit(principal, { ...frame.header.envelope }, (g) => this.views.get(g));
          if (!admission.ok) {
            this.counters.refused++;
            if (admission.fatal) answer({ code: grpc.status.PERMISSION_DENIED, details: 'permission denied' });
            else answer(null, { accepted: false, refusal: admission.refusal });
            return;
          }
        }
        const whole = assembler.push(frame);
        if (whole === undefined) return;
        const refusal = this.deliver(principal, { ...whole.envelope, message: whole.message });
        if (refusal === 'fatal') answer({ code: grpc.status.PERMISSION_DENIED, details: 'permission denied' });
        else if (refusal !== undefined) answer(null, { accepted: false, refusal });
        else {
          this.counters.snapshotsReceived++;
          answer(null, { accepted: true });
        }
      } catch (err) {
        this.logger.warn('raft snapshot transfer refused', { code: toTesseraError(err).code });
        answer({ code: grpc.status.INVALID_ARGUMENT, details: 'bad snapshot transfer' });
      }
    });
    call.on('end', () => answer({ code: grpc.status.INVALID_ARGUMENT, details: 'incomplete snapshot transfer' }));
    call.on('error', () => answer({ code: grpc.status.CANCELLED, details: 'cancelled' }));
  }
}

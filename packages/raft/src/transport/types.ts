/**
 * What a Raft driver needs from the network. The core's `Message` carries no
 * group, cluster or incarnation: the driver wraps it in an envelope so one
 * connection can carry several groups and a receiver can refuse messages from
 * another cluster or from an earlier incarnation of a member (DESIGN section 2).
 */
import type { Message, NodeId } from '../types.js';

export interface RaftEnvelope {
  /** The Raft group the message belongs to. */
  readonly group: number;
  /** The sender's cluster id ('' while a joining member has not learnt it). */
  readonly clusterId: string;
  /** The sender's incarnation id (random per store, so a wiped member is told apart). */
  readonly fromIncarnation: string;
  readonly message: Message;
}

export type EnvelopeHandler = (envelope: RaftEnvelope) => void;

export interface Transport {
  /**
   * Queues `envelope` for `envelope.message.to` and returns at once: the
   * driver's loop never waits on a peer. Returns false when the message was
   * dropped without being queued (the peer's bounded queue is full, or the
   * peer is unknown or down); the driver then reports the peer unreachable.
   * A queued message may still be lost in the network.
   */
  send(envelope: RaftEnvelope): boolean;
  /** Delivers every envelope of `group` addressed to this node to `handler`; returns an unsubscribe. */
  subscribe(group: number, handler: EnvelopeHandler): () => void;
  /** The node this transport speaks for. */
  readonly localId: NodeId;
}

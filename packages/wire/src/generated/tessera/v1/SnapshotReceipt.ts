// Original file: proto/tessera/v1/raft.proto

import type { RaftRefusal as _tessera_v1_RaftRefusal, RaftRefusal__Output as _tessera_v1_RaftRefusal__Output } from '../../tessera/v1/RaftRefusal.js';

/**
 * Outcome of a snapshot transfer, reported to the sending Raft node.
 */
export interface SnapshotReceipt {
  /**
   * True when the whole message arrived intact and was handed to Raft.
   */
  'accepted'?: (boolean);
  /**
   * Set when refused at the envelope check.
   */
  'refusal'?: (_tessera_v1_RaftRefusal);
}

/**
 * Outcome of a snapshot transfer, reported to the sending Raft node.
 */
export interface SnapshotReceipt__Output {
  /**
   * True when the whole message arrived intact and was handed to Raft.
   */
  'accepted': (boolean);
  /**
   * Set when refused at the envelope check.
   */
  'refusal': (_tessera_v1_RaftRefusal__Output);
}

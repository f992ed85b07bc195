// Original file: proto/tessera/v1/raft.proto

import type { RaftRefusal as _tessera_v1_RaftRefusal, RaftRefusal__Output as _tessera_v1_RaftRefusal__Output } from '../../tessera/v1/RaftRefusal.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A refused message, reported so the sender can stop talking to a stale peer.
 */
export interface RaftRefused {
  /**
   * Batch that contained the refused message.
   */
  'seq'?: (number | string | Long);
  /**
   * Group of the refused message.
   */
  'groupId'?: (string);
  /**
   * Reason for the refusal.
   */
  'reason'?: (_tessera_v1_RaftRefusal);
}

/**
 * A refused message, reported so the sender can stop talking to a stale peer.
 */
export interface RaftRefused__Output {
  /**
   * Batch that contained the refused message.
   */
  'seq': (string);
  /**
   * Group of the refused message.
   */
  'groupId': (string);
  /**
   * Reason for the refusal.
   */
  'reason': (_tessera_v1_RaftRefusal__Output);
}

// Original file: proto/tessera/v1/raft.proto

import type { RaftEnvelope as _tessera_v1_RaftEnvelope, RaftEnvelope__Output as _tessera_v1_RaftEnvelope__Output } from '../../tessera/v1/RaftEnvelope.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Describes the snapshot message that follows.
 */
export interface SnapshotHeader {
  /**
   * Envelope of the snapshot message; its `message` field is empty: the
   * encoded message follows in data frames.
   */
  'envelope'?: (_tessera_v1_RaftEnvelope | null);
  /**
   * Total number of bytes of the encoded message (sum of all data frames).
   */
  'totalBytes'?: (number | string | Long);
}

/**
 * Describes the snapshot message that follows.
 */
export interface SnapshotHeader__Output {
  /**
   * Envelope of the snapshot message; its `message` field is empty: the
   * encoded message follows in data frames.
   */
  'envelope': (_tessera_v1_RaftEnvelope__Output | null);
  /**
   * Total number of bytes of the encoded message (sum of all data frames).
   */
  'totalBytes': (string);
}

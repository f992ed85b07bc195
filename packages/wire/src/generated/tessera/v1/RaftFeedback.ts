// Original file: proto/tessera/v1/raft.proto

import type { RaftRefused as _tessera_v1_RaftRefused, RaftRefused__Output as _tessera_v1_RaftRefused__Output } from '../../tessera/v1/RaftRefused.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Feedback from the recipient of an Exchange stream.
 */
export interface RaftFeedback {
  /**
   * Every batch up to and including this sequence number was received.
   */
  'ackedSeq'?: (number | string | Long);
  /**
   * A message was refused (the stream stays open).
   */
  'refused'?: (_tessera_v1_RaftRefused | null);
  'kind'?: "ackedSeq"|"refused";
}

/**
 * Feedback from the recipient of an Exchange stream.
 */
export interface RaftFeedback__Output {
  /**
   * Every batch up to and including this sequence number was received.
   */
  'ackedSeq'?: (string);
  /**
   * A message was refused (the stream stays open).
   */
  'refused'?: (_tessera_v1_RaftRefused__Output | null);
  'kind'?: "ackedSeq"|"refused";
}

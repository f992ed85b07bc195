// Original file: proto/tessera/v1/raft.proto

import type { RaftEnvelope as _tessera_v1_RaftEnvelope, RaftEnvelope__Output as _tessera_v1_RaftEnvelope__Output } from '../../tessera/v1/RaftEnvelope.js';
import type { Long } from '@grpc/proto-loader';

/**
 * A batch of messages sent in one frame on an Exchange stream.
 */
export interface RaftBatch {
  /**
   * Sequence number of the batch on this stream, starting at 1.
   */
  'seq'?: (number | string | Long);
  /**
   * The messages, in the order the sender produced them. The sender keeps the
   * encoded batch well under the 4 MiB message limit.
   */
  'messages'?: (_tessera_v1_RaftEnvelope)[];
}

/**
 * A batch of messages sent in one frame on an Exchange stream.
 */
export interface RaftBatch__Output {
  /**
   * Sequence number of the batch on this stream, starting at 1.
   */
  'seq': (string);
  /**
   * The messages, in the order the sender produced them. The sender keeps the
   * encoded batch well under the 4 MiB message limit.
   */
  'messages': (_tessera_v1_RaftEnvelope__Output)[];
}

// Original file: proto/tessera/v1/kv.proto


/**
 * Why a write of a Writes stream was not applied: what the unary call would
 * have failed with.
 */
export interface KvWriteFailure {
  /**
   * The gRPC status code the unary call would have ended with.
   */
  'status'?: (number);
  /**
   * The Tessera error code (ErrorCodes).
   */
  'code'?: (string);
  /**
   * A human-readable message.
   */
  'message'?: (string);
  /**
   * The leader's node id when this node is not the leader and knows it.
   */
  'leader'?: (string);
}

/**
 * Why a write of a Writes stream was not applied: what the unary call would
 * have failed with.
 */
export interface KvWriteFailure__Output {
  /**
   * The gRPC status code the unary call would have ended with.
   */
  'status': (number);
  /**
   * The Tessera error code (ErrorCodes).
   */
  'code': (string);
  /**
   * A human-readable message.
   */
  'message': (string);
  /**
   * The leader's node id when this node is not the leader and knows it.
   */
  'leader': (string);
}

// Original file: proto/tessera/v1/raft.proto


/**
 * The envelope of one Raft message.
 */
export interface RaftEnvelope {
  /**
   * Cluster id chosen at bootstrap; a recipient drops messages for another
   * cluster.
   */
  'clusterId'?: (string);
  /**
   * Raft group the message belongs to.
   */
  'groupId'?: (string);
  /**
   * Sending member id.
   */
  'from'?: (string);
  /**
   * Incarnation id of the sender, checked against the committed configuration.
   */
  'fromIncarnationId'?: (string);
  /**
   * Recipient member id.
   */
  'to'?: (string);
  /**
   * Incarnation id the sender believes the recipient has; empty when unknown
   * (a member started with --join before it is configured).
   */
  'toIncarnationId'?: (string);
  /**
   * The message itself, encoded by @tessera/raft.
   */
  'message'?: (Buffer | Uint8Array | string);
}

/**
 * The envelope of one Raft message.
 */
export interface RaftEnvelope__Output {
  /**
   * Cluster id chosen at bootstrap; a recipient drops messages for another
   * cluster.
   */
  'clusterId': (string);
  /**
   * Raft group the message belongs to.
   */
  'groupId': (string);
  /**
   * Sending member id.
   */
  'from': (string);
  /**
   * Incarnation id of the sender, checked against the committed configuration.
   */
  'fromIncarnationId': (string);
  /**
   * Recipient member id.
   */
  'to': (string);
  /**
   * Incarnation id the sender believes the recipient has; empty when unknown
   * (a member started with --join before it is configured).
   */
  'toIncarnationId': (string);
  /**
   * The message itself, encoded by @tessera/raft.
   */
  'message': (Buffer);
}

// Original file: proto/tessera/v1/common.proto


/**
 * Identity of a Raft member as committed in a configuration.
 */
export interface MemberIdentity {
  /**
   * Member id; never reused.
   */
  'id'?: (string);
  /**
   * Random id of this member's incarnation (its Raft store), checked on every
   * message.
   */
  'incarnationId'?: (string);
  /**
   * Peer address (host:port) the member advertised when it joined.
   */
  'address'?: (string);
}

/**
 * Identity of a Raft member as committed in a configuration.
 */
export interface MemberIdentity__Output {
  /**
   * Member id; never reused.
   */
  'id': (string);
  /**
   * Random id of this member's incarnation (its Raft store), checked on every
   * message.
   */
  'incarnationId': (string);
  /**
   * Peer address (host:port) the member advertised when it joined.
   */
  'address': (string);
}

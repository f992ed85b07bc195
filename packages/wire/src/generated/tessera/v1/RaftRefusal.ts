// Original file: proto/tessera/v1/raft.proto

/**
 * Why a recipient refused a message.
 */
export const RaftRefusal = {
  /**
   * Not a refusal (never sent).
   */
  RAFT_REFUSAL_UNSPECIFIED: 'RAFT_REFUSAL_UNSPECIFIED',
  /**
   * Cluster id differs from the recipient's.
   */
  RAFT_REFUSAL_WRONG_CLUSTER: 'RAFT_REFUSAL_WRONG_CLUSTER',
  /**
   * The recipient is not a member of (or does not know) the group.
   */
  RAFT_REFUSAL_UNKNOWN_GROUP: 'RAFT_REFUSAL_UNKNOWN_GROUP',
  /**
   * The sender's incarnation id differs from the committed configuration.
   */
  RAFT_REFUSAL_WRONG_SENDER_INCARNATION: 'RAFT_REFUSAL_WRONG_SENDER_INCARNATION',
  /**
   * The message was meant for another incarnation of the recipient.
   */
  RAFT_REFUSAL_WRONG_RECIPIENT_INCARNATION: 'RAFT_REFUSAL_WRONG_RECIPIENT_INCARNATION',
  /**
   * The sender is not a member of the group's configuration.
   */
  RAFT_REFUSAL_NOT_A_MEMBER: 'RAFT_REFUSAL_NOT_A_MEMBER',
  /**
   * The message could not be decoded.
   */
  RAFT_REFUSAL_MALFORMED: 'RAFT_REFUSAL_MALFORMED',
} as const;

/**
 * Why a recipient refused a message.
 */
export type RaftRefusal =
  /**
   * Not a refusal (never sent).
   */
  | 'RAFT_REFUSAL_UNSPECIFIED'
  | 0
  /**
   * Cluster id differs from the recipient's.
   */
  | 'RAFT_REFUSAL_WRONG_CLUSTER'
  | 1
  /**
   * The recipient is not a member of (or does not know) the group.
   */
  | 'RAFT_REFUSAL_UNKNOWN_GROUP'
  | 2
  /**
   * The sender's incarnation id differs from the committed configuration.
   */
  | 'RAFT_REFUSAL_WRONG_SENDER_INCARNATION'
  | 3
  /**
   * The message was meant for another incarnation of the recipient.
   */
  | 'RAFT_REFUSAL_WRONG_RECIPIENT_INCARNATION'
  | 4
  /**
   * The sender is not a member of the group's configuration.
   */
  | 'RAFT_REFUSAL_NOT_A_MEMBER'
  | 5
  /**
   * The message could not be decoded.
   */
  | 'RAFT_REFUSAL_MALFORMED'
  | 6

/**
 * Why a recipient refused a message.
 */
export type RaftRefusal__Output = typeof RaftRefusal[keyof typeof RaftRefusal]

// Original file: proto/tessera/v1/fabric.proto


/**
 * A metadata command to propose on the leader.
 */
export interface ForwardProposeRequest {
  /**
   * Raft group the command is for (the metadata group: 1).
   */
  'group'?: (number);
  /**
   * The encoded command (at most 1 MiB).
   */
  'command'?: (Buffer | Uint8Array | string);
}

/**
 * A metadata command to propose on the leader.
 */
export interface ForwardProposeRequest__Output {
  /**
   * Raft group the command is for (the metadata group: 1).
   */
  'group': (number);
  /**
   * The encoded command (at most 1 MiB).
   */
  'command': (Buffer);
}

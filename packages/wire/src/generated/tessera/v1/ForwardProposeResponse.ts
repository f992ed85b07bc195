// Original file: proto/tessera/v1/fabric.proto


/**
 * The applied result of a forwarded command.
 */
export interface ForwardProposeResponse {
  /**
   * The encoded result (the group's result codec).
   */
  'result'?: (Buffer | Uint8Array | string);
}

/**
 * The applied result of a forwarded command.
 */
export interface ForwardProposeResponse__Output {
  /**
   * The encoded result (the group's result codec).
   */
  'result': (Buffer);
}

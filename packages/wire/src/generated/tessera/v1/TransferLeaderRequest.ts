// Original file: proto/tessera/v1/admin.proto


/**
 * Hands leadership over.
 */
export interface TransferLeaderRequest {
  /**
   * Voter that should become leader.
   */
  'id'?: (string);
}

/**
 * Hands leadership over.
 */
export interface TransferLeaderRequest__Output {
  /**
   * Voter that should become leader.
   */
  'id': (string);
}

// Original file: proto/tessera/v1/admin.proto


/**
 * Leadership moved.
 */
export interface TransferLeaderResponse {
  /**
   * Leader after the transfer.
   */
  'leaderId'?: (string);
}

/**
 * Leadership moved.
 */
export interface TransferLeaderResponse__Output {
  /**
   * Leader after the transfer.
   */
  'leaderId': (string);
}

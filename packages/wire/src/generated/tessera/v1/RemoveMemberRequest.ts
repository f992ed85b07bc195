// Original file: proto/tessera/v1/admin.proto


/**
 * Removes a member.
 */
export interface RemoveMemberRequest {
  /**
   * Member id to remove.
   */
  'id'?: (string);
}

/**
 * Removes a member.
 */
export interface RemoveMemberRequest__Output {
  /**
   * Member id to remove.
   */
  'id': (string);
}

// Original file: proto/tessera/v1/admin.proto


/**
 * Removes a member.
 */
export interface RemoveMemberRequest {
  /**
   * Member id to remove.
   */
  'id'?: (string);
  /**
   * Override the membership safety rules (a storage node still holding
   * current shards; a removal leaving fewer than three voters). Logged with
   * the principal and what was overridden.
   */
  'force'?: (boolean);
}

/**
 * Removes a member.
 */
export interface RemoveMemberRequest__Output {
  /**
   * Member id to remove.
   */
  'id': (string);
  /**
   * Override the membership safety rules (a storage node still holding
   * current shards; a removal leaving fewer than three voters). Logged with
   * the principal and what was overridden.
   */
  'force': (boolean);
}

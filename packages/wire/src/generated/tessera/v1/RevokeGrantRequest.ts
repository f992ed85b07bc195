// Original file: proto/tessera/v1/admin.proto


/**
 * A tenant admin ends a grant early.
 */
export interface RevokeGrantRequest {
  /**
   * The revoker's tenant (must own the grant).
   */
  'tenant'?: (string);
  /**
   * Grant to end.
   */
  'grantId'?: (string);
}

/**
 * A tenant admin ends a grant early.
 */
export interface RevokeGrantRequest__Output {
  /**
   * The revoker's tenant (must own the grant).
   */
  'tenant': (string);
  /**
   * Grant to end.
   */
  'grantId': (string);
}

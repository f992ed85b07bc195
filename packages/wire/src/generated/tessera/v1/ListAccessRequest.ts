// Original file: proto/tessera/v1/admin.proto


/**
 * Lists access requests and grants.
 */
export interface ListAccessRequest {
  /**
   * Tenant whose requests and grants are listed.
   */
  'tenant'?: (string);
}

/**
 * Lists access requests and grants.
 */
export interface ListAccessRequest__Output {
  /**
   * Tenant whose requests and grants are listed.
   */
  'tenant': (string);
}

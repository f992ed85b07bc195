// Original file: proto/tessera/v1/keys.proto


/**
 * Asks for one tenant.
 */
export interface GetTenantRequest {
  /**
   * Tenant id.
   */
  'tenant'?: (string);
}

/**
 * Asks for one tenant.
 */
export interface GetTenantRequest__Output {
  /**
   * Tenant id.
   */
  'tenant': (string);
}

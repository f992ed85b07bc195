// Original file: proto/tessera/v1/keys.proto


/**
 * Creates a tenant's keys.
 */
export interface CreateTenantKeysRequest {
  /**
   * Tenant id (the caller's own tenant).
   */
  'tenant'?: (string);
}

/**
 * Creates a tenant's keys.
 */
export interface CreateTenantKeysRequest__Output {
  /**
   * Tenant id (the caller's own tenant).
   */
  'tenant': (string);
}

// Original file: proto/tessera/v1/keys.proto


/**
 * Disables a tenant.
 */
export interface DisableTenantRequest {
  /**
   * Tenant id.
   */
  'tenant'?: (string);
}

/**
 * Disables a tenant.
 */
export interface DisableTenantRequest__Output {
  /**
   * Tenant id.
   */
  'tenant': (string);
}

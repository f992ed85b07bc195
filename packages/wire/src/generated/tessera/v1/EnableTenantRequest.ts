// Original file: proto/tessera/v1/keys.proto


/**
 * Enables a disabled tenant.
 */
export interface EnableTenantRequest {
  /**
   * Tenant id.
   */
  'tenant'?: (string);
}

/**
 * Enables a disabled tenant.
 */
export interface EnableTenantRequest__Output {
  /**
   * Tenant id.
   */
  'tenant': (string);
}

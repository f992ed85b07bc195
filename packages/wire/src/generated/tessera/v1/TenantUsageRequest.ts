// Original file: proto/tessera/v1/admin.proto


/**
 * Asks for a tenant's usage.
 */
export interface TenantUsageRequest {
  /**
   * Tenant id.
   */
  'tenant'?: (string);
}

/**
 * Asks for a tenant's usage.
 */
export interface TenantUsageRequest__Output {
  /**
   * Tenant id.
   */
  'tenant': (string);
}

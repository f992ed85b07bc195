// Original file: proto/tessera/v1/common.proto


/**
 * A tenant-qualified object name.
 */
export interface ObjectRef {
  /**
   * Tenant id: 1-63 characters of [a-z0-9-]. Must be the caller's own tenant
   * for tenant principals.
   */
  'tenant'?: (string);
  /**
   * Object name, UTF-8, at most 1024 bytes, unique within the tenant.
   */
  'name'?: (string);
}

/**
 * A tenant-qualified object name.
 */
export interface ObjectRef__Output {
  /**
   * Tenant id: 1-63 characters of [a-z0-9-]. Must be the caller's own tenant
   * for tenant principals.
   */
  'tenant': (string);
  /**
   * Object name, UTF-8, at most 1024 bytes, unique within the tenant.
   */
  'name': (string);
}

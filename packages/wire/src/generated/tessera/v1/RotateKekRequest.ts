// Original file: proto/tessera/v1/keys.proto


/**
 * Rotates a tenant's KEK.
 */
export interface RotateKekRequest {
  /**
   * Tenant id (the caller's own tenant).
   */
  'tenant'?: (string);
  /**
   * The KEK version the caller saw (compare-and-set: a retry after an
   * unknown outcome that already rotated succeeds without rotating again);
   * 0 means "whatever is current".
   */
  'expectedKekVersion'?: (number);
}

/**
 * Rotates a tenant's KEK.
 */
export interface RotateKekRequest__Output {
  /**
   * Tenant id (the caller's own tenant).
   */
  'tenant': (string);
  /**
   * The KEK version the caller saw (compare-and-set: a retry after an
   * unknown outcome that already rotated succeeds without rotating again);
   * 0 means "whatever is current".
   */
  'expectedKekVersion': (number);
}

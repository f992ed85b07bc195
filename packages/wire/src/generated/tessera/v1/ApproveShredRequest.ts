// Original file: proto/tessera/v1/keys.proto


/**
 * Approves a crypto-shred.
 */
export interface ApproveShredRequest {
  /**
   * Tenant id (the caller's own tenant).
   */
  'tenant'?: (string);
}

/**
 * Approves a crypto-shred.
 */
export interface ApproveShredRequest__Output {
  /**
   * Tenant id (the caller's own tenant).
   */
  'tenant': (string);
}

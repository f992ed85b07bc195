// Original file: proto/tessera/v1/keys.proto


/**
 * Asks for a tenant index key.
 */
export interface GetIndexKeyRequest {
  /**
   * Tenant id.
   */
  'tenant'?: (string);
}

/**
 * Asks for a tenant index key.
 */
export interface GetIndexKeyRequest__Output {
  /**
   * Tenant id.
   */
  'tenant': (string);
}

// Original file: proto/tessera/v1/keys.proto


/**
 * Cancels a scheduled shred.
 */
export interface CancelShredRequest {
  /**
   * Tenant whose shred is cancelled.
   */
  'tenant'?: (string);
}

/**
 * Cancels a scheduled shred.
 */
export interface CancelShredRequest__Output {
  /**
   * Tenant whose shred is cancelled.
   */
  'tenant': (string);
}

// Original file: proto/tessera/v1/admin.proto


/**
 * A tenant admin denies a request.
 */
export interface DenyAccessRequest {
  /**
   * The denier's tenant (must own the request).
   */
  'tenant'?: (string);
  /**
   * Request to deny.
   */
  'requestId'?: (string);
}

/**
 * A tenant admin denies a request.
 */
export interface DenyAccessRequest__Output {
  /**
   * The denier's tenant (must own the request).
   */
  'tenant': (string);
  /**
   * Request to deny.
   */
  'requestId': (string);
}

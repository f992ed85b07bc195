// Original file: proto/tessera/v1/admin.proto


/**
 * A tenant admin approves a request.
 */
export interface ApproveAccessRequest {
  /**
   * The approver's tenant (must own the request).
   */
  'tenant'?: (string);
  /**
   * Request to approve.
   */
  'requestId'?: (string);
}

/**
 * A tenant admin approves a request.
 */
export interface ApproveAccessRequest__Output {
  /**
   * The approver's tenant (must own the request).
   */
  'tenant': (string);
  /**
   * Request to approve.
   */
  'requestId': (string);
}

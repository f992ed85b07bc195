// Original file: proto/tessera/v1/keys.proto


/**
 * Asks for a signed audit head.
 */
export interface GetAuditHeadRequest {
  /**
   * A tenant admin: its own tenant (the head covers that chain only). A
   * cluster admin: empty for every chain, or one tenant's chain.
   */
  'tenant'?: (string);
}

/**
 * Asks for a signed audit head.
 */
export interface GetAuditHeadRequest__Output {
  /**
   * A tenant admin: its own tenant (the head covers that chain only). A
   * cluster admin: empty for every chain, or one tenant's chain.
   */
  'tenant': (string);
}

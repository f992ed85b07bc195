// Original file: proto/tessera/v1/admin.proto


/**
 * Asks for a signed head of the metadata group's audit chains.
 */
export interface MetadataAuditHeadRequest {
  /**
   * A tenant admin: its own tenant (the head covers that chain only). A
   * cluster admin: empty for every chain, or one tenant's chain.
   */
  'tenant'?: (string);
}

/**
 * Asks for a signed head of the metadata group's audit chains.
 */
export interface MetadataAuditHeadRequest__Output {
  /**
   * A tenant admin: its own tenant (the head covers that chain only). A
   * cluster admin: empty for every chain, or one tenant's chain.
   */
  'tenant': (string);
}

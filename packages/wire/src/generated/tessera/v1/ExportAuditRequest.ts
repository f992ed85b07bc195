// Original file: proto/tessera/v1/keys.proto


/**
 * Asks for one audit chain.
 */
export interface ExportAuditRequest {
  /**
   * A tenant admin: its own tenant. A cluster admin: empty (the system chain).
   */
  'tenant'?: (string);
}

/**
 * Asks for one audit chain.
 */
export interface ExportAuditRequest__Output {
  /**
   * A tenant admin: its own tenant. A cluster admin: empty (the system chain).
   */
  'tenant': (string);
}

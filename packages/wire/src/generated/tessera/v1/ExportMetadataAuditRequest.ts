// Original file: proto/tessera/v1/admin.proto


/**
 * Asks for one chain of the metadata group's audit log.
 */
export interface ExportMetadataAuditRequest {
  /**
   * A tenant admin: its own tenant. A cluster admin: empty (the system chain).
   */
  'tenant'?: (string);
}

/**
 * Asks for one chain of the metadata group's audit log.
 */
export interface ExportMetadataAuditRequest__Output {
  /**
   * A tenant admin: its own tenant. A cluster admin: empty (the system chain).
   */
  'tenant': (string);
}

// Original file: proto/tessera/v1/keys.proto


/**
 * Audit records from a key-manager member.
 */
export interface ForwardAuditRequest {
  /**
   * Each: u8-len chain id ‖ record fields (canonical, see @tessera/audit).
   */
  'records'?: (Buffer | Uint8Array | string)[];
}

/**
 * Audit records from a key-manager member.
 */
export interface ForwardAuditRequest__Output {
  /**
   * Each: u8-len chain id ‖ record fields (canonical, see @tessera/audit).
   */
  'records': (Buffer)[];
}

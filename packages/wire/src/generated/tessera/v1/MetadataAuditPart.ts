// Original file: proto/tessera/v1/admin.proto


/**
 * A slice of an exported metadata audit chain, in order.
 */
export interface MetadataAuditPart {
  /**
   * The chain id (`system` or `tenant/<id>`).
   */
  'chain'?: (string);
  /**
   * Entries in the canonical entry encoding, consecutive from the last part.
   */
  'entries'?: (Buffer | Uint8Array | string)[];
}

/**
 * A slice of an exported metadata audit chain, in order.
 */
export interface MetadataAuditPart__Output {
  /**
   * The chain id (`system` or `tenant/<id>`).
   */
  'chain': (string);
  /**
   * Entries in the canonical entry encoding, consecutive from the last part.
   */
  'entries': (Buffer)[];
}

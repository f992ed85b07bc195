// Original file: proto/tessera/v1/keys.proto


/**
 * A slice of an exported audit chain, in order.
 */
export interface AuditTrailPart {
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
 * A slice of an exported audit chain, in order.
 */
export interface AuditTrailPart__Output {
  /**
   * The chain id (`system` or `tenant/<id>`).
   */
  'chain': (string);
  /**
   * Entries in the canonical entry encoding, consecutive from the last part.
   */
  'entries': (Buffer)[];
}

// Original file: proto/tessera/v1/keys.proto


/**
 * An unsigned metadata-group audit head to sign.
 */
export interface SignAuditHeadRequest {
  /**
   * The head in its canonical binary encoding (@tessera/audit encodeHead).
   */
  'head'?: (Buffer | Uint8Array | string);
}

/**
 * An unsigned metadata-group audit head to sign.
 */
export interface SignAuditHeadRequest__Output {
  /**
   * The head in its canonical binary encoding (@tessera/audit encodeHead).
   */
  'head': (Buffer);
}

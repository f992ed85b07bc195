// Original file: proto/tessera/v1/kv.proto


/**
 * One key and its value.
 */
export interface KvPair {
  /**
   * The key.
   */
  'key'?: (Buffer | Uint8Array | string);
  /**
   * Its value.
   */
  'value'?: (Buffer | Uint8Array | string);
}

/**
 * One key and its value.
 */
export interface KvPair__Output {
  /**
   * The key.
   */
  'key': (Buffer);
  /**
   * Its value.
   */
  'value': (Buffer);
}

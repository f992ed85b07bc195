// Original file: proto/tessera/v1/kv.proto


/**
 * Reads one key.
 */
export interface KvGetRequest {
  /**
   * Key, 1 to 1024 bytes.
   */
  'key'?: (Buffer | Uint8Array | string);
}

/**
 * Reads one key.
 */
export interface KvGetRequest__Output {
  /**
   * Key, 1 to 1024 bytes.
   */
  'key': (Buffer);
}

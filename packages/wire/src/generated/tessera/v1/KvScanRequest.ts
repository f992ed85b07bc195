// Original file: proto/tessera/v1/kv.proto


/**
 * Reads keys in [start, end) in byte order.
 */
export interface KvScanRequest {
  /**
   * First key (inclusive); empty means the first key.
   */
  'start'?: (Buffer | Uint8Array | string);
  /**
   * Key after the last (exclusive); empty means no upper bound.
   */
  'end'?: (Buffer | Uint8Array | string);
  /**
   * Most pairs to return, at most 10000; 0 means 1000.
   */
  'limit'?: (number);
}

/**
 * Reads keys in [start, end) in byte order.
 */
export interface KvScanRequest__Output {
  /**
   * First key (inclusive); empty means the first key.
   */
  'start': (Buffer);
  /**
   * Key after the last (exclusive); empty means no upper bound.
   */
  'end': (Buffer);
  /**
   * Most pairs to return, at most 10000; 0 means 1000.
   */
  'limit': (number);
}

// Original file: proto/tessera/v1/kv.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The value of one key.
 */
export interface KvGetResponse {
  /**
   * Whether the key exists.
   */
  'found'?: (boolean);
  /**
   * Its value (empty when not found).
   */
  'value'?: (Buffer | Uint8Array | string);
  /**
   * Read index the answer is consistent with.
   */
  'readIndex'?: (number | string | Long);
}

/**
 * The value of one key.
 */
export interface KvGetResponse__Output {
  /**
   * Whether the key exists.
   */
  'found': (boolean);
  /**
   * Its value (empty when not found).
   */
  'value': (Buffer);
  /**
   * Read index the answer is consistent with.
   */
  'readIndex': (string);
}

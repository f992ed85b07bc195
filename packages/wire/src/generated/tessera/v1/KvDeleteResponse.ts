// Original file: proto/tessera/v1/kv.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The delete was applied (or had been, for a retry).
 */
export interface KvDeleteResponse {
  /**
   * Log index at which the delete was applied.
   */
  'index'?: (number | string | Long);
  /**
   * Whether the key existed.
   */
  'existed'?: (boolean);
  /**
   * True when this answer was recorded by an earlier attempt of the same seq.
   */
  'duplicate'?: (boolean);
}

/**
 * The delete was applied (or had been, for a retry).
 */
export interface KvDeleteResponse__Output {
  /**
   * Log index at which the delete was applied.
   */
  'index': (string);
  /**
   * Whether the key existed.
   */
  'existed': (boolean);
  /**
   * True when this answer was recorded by an earlier attempt of the same seq.
   */
  'duplicate': (boolean);
}

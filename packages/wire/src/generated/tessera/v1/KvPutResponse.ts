// Original file: proto/tessera/v1/kv.proto

import type { Long } from '@grpc/proto-loader';

/**
 * The put was applied (or had been, for a retry).
 */
export interface KvPutResponse {
  /**
   * Log index at which the put was applied.
   */
  'index'?: (number | string | Long);
  /**
   * True when this answer was recorded by an earlier attempt of the same seq.
   */
  'duplicate'?: (boolean);
}

/**
 * The put was applied (or had been, for a retry).
 */
export interface KvPutResponse__Output {
  /**
   * Log index at which the put was applied.
   */
  'index': (string);
  /**
   * True when this answer was recorded by an earlier attempt of the same seq.
   */
  'duplicate': (boolean);
}

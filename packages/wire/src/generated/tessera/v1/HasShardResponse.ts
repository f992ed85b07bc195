// Original file: proto/tessera/v1/fabric.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Answer to HasShard.
 */
export interface HasShardResponse {
  /**
   * True when the device's index names a live record for the key.
   */
  'present'?: (boolean);
  /**
   * Payload length of that record in bytes (0 when absent).
   */
  'length'?: (number | string | Long);
}

/**
 * Answer to HasShard.
 */
export interface HasShardResponse__Output {
  /**
   * True when the device's index names a live record for the key.
   */
  'present': (boolean);
  /**
   * Payload length of that record in bytes (0 when absent).
   */
  'length': (string);
}

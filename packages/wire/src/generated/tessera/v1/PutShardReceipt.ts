// Original file: proto/tessera/v1/fabric.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Reply to PutShard.
 */
export interface PutShardReceipt {
  /**
   * Extent offset at which the record was appended (diagnostics only).
   */
  'offset'?: (number | string | Long);
}

/**
 * Reply to PutShard.
 */
export interface PutShardReceipt__Output {
  /**
   * Extent offset at which the record was appended (diagnostics only).
   */
  'offset': (string);
}

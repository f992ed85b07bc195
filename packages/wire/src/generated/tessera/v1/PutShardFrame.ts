// Original file: proto/tessera/v1/fabric.proto

import type { PutShardHeader as _tessera_v1_PutShardHeader, PutShardHeader__Output as _tessera_v1_PutShardHeader__Output } from '../../tessera/v1/PutShardHeader.js';

/**
 * One frame of a PutShard stream.
 */
export interface PutShardFrame {
  /**
   * First frame.
   */
  'header'?: (_tessera_v1_PutShardHeader | null);
  /**
   * Next bytes of the shard payload, at most 1 MiB.
   */
  'data'?: (Buffer | Uint8Array | string);
  'kind'?: "header"|"data";
}

/**
 * One frame of a PutShard stream.
 */
export interface PutShardFrame__Output {
  /**
   * First frame.
   */
  'header'?: (_tessera_v1_PutShardHeader__Output | null);
  /**
   * Next bytes of the shard payload, at most 1 MiB.
   */
  'data'?: (Buffer);
  'kind'?: "header"|"data";
}

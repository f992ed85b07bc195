// Original file: proto/tessera/v1/fabric.proto

import type { GetShardHeader as _tessera_v1_GetShardHeader, GetShardHeader__Output as _tessera_v1_GetShardHeader__Output } from '../../tessera/v1/GetShardHeader.js';

/**
 * One frame of a GetShard reply.
 */
export interface GetShardFrame {
  /**
   * First frame.
   */
  'header'?: (_tessera_v1_GetShardHeader | null);
  /**
   * Next bytes of the requested range, at most 1 MiB.
   */
  'data'?: (Buffer | Uint8Array | string);
  'kind'?: "header"|"data";
}

/**
 * One frame of a GetShard reply.
 */
export interface GetShardFrame__Output {
  /**
   * First frame.
   */
  'header'?: (_tessera_v1_GetShardHeader__Output | null);
  /**
   * Next bytes of the requested range, at most 1 MiB.
   */
  'data'?: (Buffer);
  'kind'?: "header"|"data";
}

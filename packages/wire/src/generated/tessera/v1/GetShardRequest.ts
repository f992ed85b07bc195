// Original file: proto/tessera/v1/fabric.proto

import type { ShardKey as _tessera_v1_ShardKey, ShardKey__Output as _tessera_v1_ShardKey__Output } from '../../tessera/v1/ShardKey.js';
import type { ByteRange as _tessera_v1_ByteRange, ByteRange__Output as _tessera_v1_ByteRange__Output } from '../../tessera/v1/ByteRange.js';

/**
 * Request for a shard.
 */
export interface GetShardRequest {
  /**
   * Which shard.
   */
  'key'?: (_tessera_v1_ShardKey | null);
  /**
   * Device expected to hold it (from the committed placement).
   */
  'deviceId'?: (string);
  /**
   * Part of the payload wanted; length 0 means to the end.
   */
  'range'?: (_tessera_v1_ByteRange | null);
}

/**
 * Request for a shard.
 */
export interface GetShardRequest__Output {
  /**
   * Which shard.
   */
  'key': (_tessera_v1_ShardKey__Output | null);
  /**
   * Device expected to hold it (from the committed placement).
   */
  'deviceId': (string);
  /**
   * Part of the payload wanted; length 0 means to the end.
   */
  'range': (_tessera_v1_ByteRange__Output | null);
}

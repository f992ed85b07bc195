// Original file: proto/tessera/v1/fabric.proto

import type { ShardKey as _tessera_v1_ShardKey, ShardKey__Output as _tessera_v1_ShardKey__Output } from '../../tessera/v1/ShardKey.js';

/**
 * Asks whether a device holds a shard record.
 */
export interface HasShardRequest {
  /**
   * Which shard (chunk id, write id of the committed record, shard index).
   */
  'key'?: (_tessera_v1_ShardKey | null);
  /**
   * Device on the recipient node that the committed placement names.
   */
  'deviceId'?: (string);
}

/**
 * Asks whether a device holds a shard record.
 */
export interface HasShardRequest__Output {
  /**
   * Which shard (chunk id, write id of the committed record, shard index).
   */
  'key': (_tessera_v1_ShardKey__Output | null);
  /**
   * Device on the recipient node that the committed placement names.
   */
  'deviceId': (string);
}

// Original file: proto/tessera/v1/fabric.proto

import type { ShardKey as _tessera_v1_ShardKey, ShardKey__Output as _tessera_v1_ShardKey__Output } from '../../tessera/v1/ShardKey.js';
import type { Long } from '@grpc/proto-loader';

/**
 * Describes the shard that follows.
 */
export interface PutShardHeader {
  /**
   * Which shard this is.
   */
  'key'?: (_tessera_v1_ShardKey | null);
  /**
   * Device on the recipient node that the placement names.
   */
  'deviceId'?: (string);
  /**
   * System epoch the chunk was sealed under.
   */
  'sysEpoch'?: (number | string | Long);
  /**
   * Gateway's clock when the write started (ms), for orphan reclamation.
   */
  'gatewayTimeMs'?: (number | string | Long);
  /**
   * Total payload length (sum of all data frames).
   */
  'length'?: (number | string | Long);
  /**
   * CRC32C of the whole payload, checked before the record is written.
   */
  'crc32c'?: (number);
}

/**
 * Describes the shard that follows.
 */
export interface PutShardHeader__Output {
  /**
   * Which shard this is.
   */
  'key': (_tessera_v1_ShardKey__Output | null);
  /**
   * Device on the recipient node that the placement names.
   */
  'deviceId': (string);
  /**
   * System epoch the chunk was sealed under.
   */
  'sysEpoch': (string);
  /**
   * Gateway's clock when the write started (ms), for orphan reclamation.
   */
  'gatewayTimeMs': (string);
  /**
   * Total payload length (sum of all data frames).
   */
  'length': (string);
  /**
   * CRC32C of the whole payload, checked before the record is written.
   */
  'crc32c': (number);
}

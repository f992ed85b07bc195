// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * A device being emptied (evacuating) or whose shards are rebuilt elsewhere
 * (failed, removed).
 */
export interface EvacuationProgress {
  /**
   * Node that owns the device.
   */
  'nodeId'?: (string);
  /**
   * Device id.
   */
  'deviceId'?: (string);
  /**
   * "evacuating", "failed" or "removed".
   */
  'state'?: (string);
  /**
   * Live chunks still placing a shard on it.
   */
  'remaining'?: (number | string | Long);
  /**
   * No live chunk places a shard on it any more.
   */
  'done'?: (boolean);
}

/**
 * A device being emptied (evacuating) or whose shards are rebuilt elsewhere
 * (failed, removed).
 */
export interface EvacuationProgress__Output {
  /**
   * Node that owns the device.
   */
  'nodeId': (string);
  /**
   * Device id.
   */
  'deviceId': (string);
  /**
   * "evacuating", "failed" or "removed".
   */
  'state': (string);
  /**
   * Live chunks still placing a shard on it.
   */
  'remaining': (string);
  /**
   * No live chunk places a shard on it any more.
   */
  'done': (boolean);
}

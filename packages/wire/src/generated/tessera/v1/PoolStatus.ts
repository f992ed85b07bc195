// Original file: proto/tessera/v1/admin.proto

import type { Long } from '@grpc/proto-loader';

/**
 * Fill of one pool.
 */
export interface PoolStatus {
  /**
   * Pool name.
   */
  'pool'?: (string);
  /**
   * Used bytes over working devices: measured for the answering node's
   * devices, estimated from committed shard sizes for the others.
   */
  'usedBytes'?: (number | string | Long);
  /**
   * Capacity over working devices (not failed, not removed).
   */
  'capacityBytes'?: (number | string | Long);
  /**
   * Threshold level: "ok", "warning", "critical", "read-only" or "full".
   */
  'level'?: (string);
  /**
   * Distinct nodes with a device in the pool that is not removed.
   */
  'nodes'?: (number);
  /**
   * Devices in the pool that are not removed.
   */
  'devices'?: (number);
  /**
   * Erasure profile data shards (the node's default profile).
   */
  'k'?: (number);
  /**
   * Erasure profile parity shards.
   */
  'm'?: (number);
  /**
   * Whether k+m shards fit with at most m per node.
   */
  'fullRedundancy'?: (boolean);
  /**
   * Any this many node failures lose no data placed now.
   */
  'nodeFailures'?: (number);
  /**
   * Any this many device failures lose no data placed now.
   */
  'deviceFailures'?: (number);
  /**
   * Human summary, e.g. "can lose 1 node or 2 devices".
   */
  'tolerance'?: (string);
}

/**
 * Fill of one pool.
 */
export interface PoolStatus__Output {
  /**
   * Pool name.
   */
  'pool': (string);
  /**
   * Used bytes over working devices: measured for the answering node's
   * devices, estimated from committed shard sizes for the others.
   */
  'usedBytes': (string);
  /**
   * Capacity over working devices (not failed, not removed).
   */
  'capacityBytes': (string);
  /**
   * Threshold level: "ok", "warning", "critical", "read-only" or "full".
   */
  'level': (string);
  /**
   * Distinct nodes with a device in the pool that is not removed.
   */
  'nodes': (number);
  /**
   * Devices in the pool that are not removed.
   */
  'devices': (number);
  /**
   * Erasure profile data shards (the node's default profile).
   */
  'k': (number);
  /**
   * Erasure profile parity shards.
   */
  'm': (number);
  /**
   * Whether k+m shards fit with at most m per node.
   */
  'fullRedundancy': (boolean);
  /**
   * Any this many node failures lose no data placed now.
   */
  'nodeFailures': (number);
  /**
   * Any this many device failures lose no data placed now.
   */
  'deviceFailures': (number);
  /**
   * Human summary, e.g. "can lose 1 node or 2 devices".
   */
  'tolerance': (string);
}
